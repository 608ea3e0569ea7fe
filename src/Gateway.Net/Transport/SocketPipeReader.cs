using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace Gateway.Net.Transport;

/// <summary>
/// A <see cref="PipeReader"/> that receives straight from a socket into one buffer it keeps for the connection's life,
/// chaining pooled segments only when unconsumed bytes and a new receive do not fit in it.
/// </summary>
/// <remarks>
/// The socket receive itself is never cancelled: a read cut short by its token or by <see cref="CancelPendingRead"/>
/// returns at once while the receive stays in flight, and the next read picks up its bytes. No byte is lost and the
/// socket stays usable (cancelling a receive can leave a socket in an undefined state on some platforms).
/// Errors surface as <see cref="NetworkStream"/> surfaces them: <see cref="IOException"/> around the socket error.
/// </remarks>
internal sealed class SocketPipeReader : PipeReader, IValueTaskSource<ReadResult>
{
    private static readonly Action<object?, CancellationToken> OnTokenCancelledCallback =
        static (state, token) => ((SocketPipeReader)state!).OnTokenCancelled(token);

    private readonly ISocketOperations _socket;
    private readonly ArrayPool<byte> _pool;
    private readonly int _bufferSize;
    private readonly int _minimumReceive;
    private readonly object _sync = new();
    private readonly Action _onReceiveCompleted;
    private ManualResetValueTaskSourceCore<ReadResult> _source;

    private Segment? _primary; // the owned buffer, rented on the first read and kept until Complete
    private Segment? _head;
    private Segment? _tail;
    private Segment? _spare; // segment objects kept for reuse, linked through Next
    private int _readIndex; // start of the unconsumed bytes in _head
    private bool _examinedEverything;
    private bool _peerClosed;
    private bool _completed;
    private int _cancelRequested;

    // A receive in flight. _receiving belongs to whoever drives the reader (the reader's caller, or the completion
    // callback while a read waits); the rest is handed over under _sync.
    private bool _receiving;
    private ValueTask<int> _receive;
    private bool _receiveDone;
    private int _received;
    private Exception? _receiveError;
    private bool _waiting;
    private CancellationToken _waitToken;
    private CancellationTokenRegistration _waitRegistration;

    /// <summary>Reads through the runtime's socket operations.</summary>
    public SocketPipeReader(Socket socket, int bufferSize = 8192, ArrayPool<byte>? pool = null)
        : this(new RuntimeSocketOperations(socket), bufferSize, pool)
    {
    }

    /// <summary>Reads through <paramref name="socket"/>: the runtime's socket operations or an event loop's socket.</summary>
    public SocketPipeReader(ISocketOperations socket, int bufferSize = 8192, ArrayPool<byte>? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 256);
        _socket = socket;
        _pool = pool ?? ArrayPool<byte>.Shared; // another pool only in tests, to count rents and returns
        _bufferSize = bufferSize;
        _minimumReceive = bufferSize / 4;
        _onReceiveCompleted = OnReceiveCompleted;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<ReadResult>(cancellationToken);
        }

        if (TryTakeCancel())
        {
            return new ValueTask<ReadResult>(Result(isCanceled: true));
        }

        if (HasReadableBytes)
        {
            return new ValueTask<ReadResult>(Result(isCanceled: false));
        }

        try
        {
            if (!_receiving && StartReceive())
            {
                return new ValueTask<ReadResult>(Result(isCanceled: false));
            }

            lock (_sync)
            {
                if (!_receiveDone)
                {
                    if (TryTakeCancel())
                    {
                        return new ValueTask<ReadResult>(Result(isCanceled: true));
                    }

                    _source.Reset();
                    _waiting = true;
                    _waitToken = cancellationToken;
                    if (cancellationToken.CanBeCanceled)
                    {
                        // Registered only now that the read really waits; a token cancelled meanwhile runs the
                        // callback inline, which completes the read (the lock is re-entrant).
                        var registration = cancellationToken.UnsafeRegister(OnTokenCancelledCallback, this);
                        if (_waiting)
                        {
                            _waitRegistration = registration;
                        }
                    }

                    return new ValueTask<ReadResult>(this, _source.Version);
                }
            }

            TakeReceive(); // it finished before the read could wait
            return new ValueTask<ReadResult>(Result(isCanceled: false));
        }
        catch (Exception exception) when (exception is IOException)
        {
            return ValueTask.FromException<ReadResult>(exception);
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        ThrowIfCompleted();
        if (TryTakeCancel())
        {
            result = Result(isCanceled: true);
            return true;
        }

        if (!HasReadableBytes && _receiving && Volatile.Read(ref _receiveDone))
        {
            TakeReceive();
        }

        if (HasReadableBytes)
        {
            result = Result(isCanceled: false);
            return true;
        }

        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        ThrowIfCompleted();
        if (_head is null || _tail is null)
        {
            // Only the empty buffer of a read cancelled before anything was received.
            if (consumed.GetObject() is null && examined.GetObject() is null)
            {
                return;
            }

            throw new InvalidOperationException("The position does not belong to the last buffer read.");
        }

        var start = _head.RunningIndex + _readIndex;
        var end = _tail.RunningIndex + _tail.Length;
        var consumedAt = Offset(consumed);
        var examinedAt = Offset(examined);
        if (consumedAt < start || examinedAt < consumedAt || examinedAt > end)
        {
            throw new InvalidOperationException("The consumed and examined positions are out of order or outside the last buffer read.");
        }

        _examinedEverything = examinedAt == end;
        var segment = (Segment)consumed.GetObject()!;
        while (_head != segment)
        {
            DropHead();
        }

        _readIndex = consumed.GetInteger();
        while (_head != _tail && _readIndex == _head.Length)
        {
            DropHead();
        }
    }

    public override void CancelPendingRead()
    {
        Interlocked.Exchange(ref _cancelRequested, 1);
        CancellationTokenRegistration registration;
        lock (_sync)
        {
            if (!_waiting)
            {
                return; // the next read returns cancelled
            }

            _waiting = false;
            _cancelRequested = 0;
            registration = _waitRegistration;
            _waitRegistration = default;
        }

        registration.Unregister();
        _source.RunContinuationsAsynchronously = true; // never run the reader on the cancelling thread
        _source.SetResult(Result(isCanceled: true));
    }

    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        bool release;
        lock (_sync)
        {
            _completed = true;

            // The socket may still write into a buffer of a receive in flight: its completion returns the buffers.
            release = !_receiving || _receiveDone;
        }

        if (release)
        {
            ReleaseBuffers();
        }
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _source.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    internal static Exception Translate(Exception exception, bool reading) => exception switch
    {
        SocketException socket => new IOException(
            $"Unable to {(reading ? "read data from" : "write data to")} the transport connection: {socket.Message}.", socket),
        ObjectDisposedException disposed => new IOException(
            $"Unable to {(reading ? "read data from" : "write data to")} the transport connection: the socket was closed.", disposed),
        _ => exception,
    };

    private bool HasReadableBytes =>
        _peerClosed || (_head is not null && !_examinedEverything && (_head != _tail || _readIndex < _head.Length));

    private bool TryTakeCancel() =>
        Volatile.Read(ref _cancelRequested) != 0 && Interlocked.Exchange(ref _cancelRequested, 0) != 0;

    private ReadResult Result(bool isCanceled)
    {
        var buffer = _head is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_head, _readIndex, _tail!, _tail!.Length);
        return new ReadResult(buffer, isCanceled, _peerClosed);
    }

    /// <summary>Starts a receive; true when it completed at once (its bytes applied), false when it is in flight.</summary>
    private bool StartReceive()
    {
        var memory = ReceiveMemory();
        ValueTask<int> receive;
        try
        {
            receive = _socket.ReceiveAsync(memory);
            if (receive.IsCompleted)
            {
                Received(receive.GetAwaiter().GetResult());
                return true;
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            throw Translate(exception, reading: true);
        }

        _receive = receive;
        _receiving = true;
        receive.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onReceiveCompleted);
        return false;
    }

    private void OnReceiveCompleted()
    {
        var received = 0;
        Exception? error = null;
        try
        {
            received = _receive.GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            error = Translate(exception, reading: true);
        }

        _receive = default;
        bool release;
        bool resume;
        var registration = default(CancellationTokenRegistration);
        lock (_sync)
        {
            _received = received;
            _receiveError = error;
            _receiveDone = true;
            release = _completed;
            resume = _waiting && !release;
            if (resume)
            {
                _waiting = false;
                registration = _waitRegistration;
                _waitRegistration = default;
            }
        }

        if (release)
        {
            ReleaseBuffers();
            return;
        }

        if (!resume)
        {
            return; // a cancelled read left it: the next read takes it
        }

        registration.Unregister();
        _source.RunContinuationsAsynchronously = false; // already off the reader's thread
        try
        {
            TakeReceive();
        }
        catch (Exception exception)
        {
            _source.SetException(exception);
            return;
        }

        _source.SetResult(Result(isCanceled: false));
    }

    private void OnTokenCancelled(CancellationToken token)
    {
        lock (_sync)
        {
            if (!_waiting || _waitToken != token)
            {
                return; // a late callback of a read that has already finished
            }

            _waiting = false;
            _waitRegistration = default;
        }

        _source.RunContinuationsAsynchronously = true;
        _source.SetException(new OperationCanceledException(token));
    }

    /// <summary>Applies the finished in-flight receive: its bytes, or its error thrown.</summary>
    private void TakeReceive()
    {
        int received;
        Exception? error;
        lock (_sync)
        {
            received = _received;
            error = _receiveError;
            _receiveDone = false;
            _receiveError = null;
        }

        _receiving = false;
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        Received(received);
    }

    private void Received(int count)
    {
        if (count == 0)
        {
            _peerClosed = true;
            return;
        }

        _tail!.Length += count;
        _examinedEverything = false;
    }

    /// <summary>Where the next receive writes: the owned buffer from its start whenever everything was consumed.</summary>
    private Memory<byte> ReceiveMemory()
    {
        if (_primary is null)
        {
            _primary = new Segment();
            _primary.Array = _pool.Rent(_bufferSize);
            _head = _tail = _primary;
        }

        var head = _head!;
        var tail = _tail!;
        var unconsumed = tail.RunningIndex + tail.Length - head.RunningIndex - _readIndex;
        if (unconsumed == 0)
        {
            while (_head != _tail)
            {
                DropHead();
            }

            if (_head != _primary)
            {
                Release(_head!);
            }

            RestartAtPrimary(0);
        }
        else if (tail.Array.Length - tail.Length < _minimumReceive)
        {
            if (head == tail && unconsumed <= _primary.Array.Length - _minimumReceive)
            {
                // A short remainder (the start of the next pipelined message): move it to the front of the owned
                // buffer rather than renting a segment.
                head.Array.AsSpan(_readIndex, (int)unconsumed).CopyTo(_primary.Array);
                if (head != _primary)
                {
                    Release(head);
                }

                RestartAtPrimary((int)unconsumed);
            }
            else
            {
                var segment = _spare ?? new Segment();
                _spare = segment.NextSegment;
                segment.Array = _pool.Rent(_bufferSize);
                segment.Length = 0;
                segment.Link(null, tail.RunningIndex + tail.Length);
                tail.Link(segment, tail.RunningIndex);
                _tail = segment;
            }
        }

        return _tail!.Array.AsMemory(_tail.Length);
    }

    private void RestartAtPrimary(int length)
    {
        var primary = _primary!;
        primary.Link(null, 0);
        primary.Length = length;
        _head = _tail = primary;
        _readIndex = 0;
    }

    /// <summary>Drops the fully consumed first segment; the owned buffer is kept, others go back to the pool.</summary>
    private void DropHead()
    {
        var head = _head!;
        _head = head.NextSegment;
        _readIndex = 0;
        if (head != _primary)
        {
            Release(head);
        }
    }

    private void Release(Segment segment)
    {
        _pool.Return(segment.Array);
        segment.Array = [];
        segment.Length = 0;
        segment.Link(_spare, 0);
        _spare = segment;
    }

    private void ReleaseBuffers()
    {
        for (var segment = _head; segment is not null; segment = segment.NextSegment)
        {
            if (segment != _primary)
            {
                _pool.Return(segment.Array);
            }
        }

        if (_primary is not null)
        {
            _pool.Return(_primary.Array);
        }

        _primary = _head = _tail = _spare = null;
    }

    private long Offset(SequencePosition position)
    {
        if (position.GetObject() is not Segment segment)
        {
            throw new InvalidOperationException("The position does not belong to the last buffer read.");
        }

        for (var current = _head!; current != segment; current = current.NextSegment!)
        {
            if (current == _tail)
            {
                throw new InvalidOperationException("The position does not belong to the last buffer read.");
            }
        }

        var index = position.GetInteger();
        if ((uint)index > (uint)segment.Length)
        {
            throw new InvalidOperationException("The position does not belong to the last buffer read.");
        }

        return segment.RunningIndex + index;
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("Reading is not allowed after the reader was completed.");
        }
    }

    /// <summary>A buffer in the chain; its memory is the bytes received into it so far.</summary>
    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        private int _length;

        public byte[] Array { get; set; } = [];

        public Segment? NextSegment => (Segment?)Next;

        public int Length
        {
            get => _length;
            set
            {
                _length = value;
                Memory = Array.AsMemory(0, value);
            }
        }

        public void Link(Segment? next, long runningIndex)
        {
            Next = next;
            RunningIndex = runningIndex;
        }
    }
}
