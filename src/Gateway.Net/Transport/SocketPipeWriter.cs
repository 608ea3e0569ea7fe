using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace Gateway.Net.Transport;

/// <summary>
/// A <see cref="PipeWriter"/> that sends straight to a socket from one buffer it keeps for the connection's life,
/// chaining pooled segments only for writes larger than it.
/// </summary>
/// <remarks>
/// Like the reader, a flush cut short by its token or by <see cref="CancelPendingFlush"/> returns at once while the send
/// in flight goes on: the bytes still leave in order and the next flush waits for it before sending the rest.
/// </remarks>
internal sealed class SocketPipeWriter : PipeWriter, IValueTaskSource<FlushResult>
{
    private static readonly Action<object?, CancellationToken> OnTokenCancelledCallback =
        static (state, token) => ((SocketPipeWriter)state!).OnTokenCancelled(token);

    private const int MaxGather = 8;

    private readonly ISocketOperations _socket;
    private readonly ArrayPool<byte> _pool;
    private readonly int _minimumSegmentSize;
    private readonly object _sync = new();
    private readonly Action _onSendCompleted;
    private ManualResetValueTaskSourceCore<FlushResult> _source;

    private Segment? _primary; // the owned buffer, rented on the first write and kept until Complete
    private Segment? _head;
    private Segment? _tail;
    private Segment? _spare; // segment objects kept for reuse
    private int _sentIndex; // start of the unsent bytes in _head
    private long _unflushed;
    private bool _completed;
    private int _cancelRequested;

    // A send in flight: _sending belongs to whoever drives the flush, the rest is handed over under _sync.
    private bool _sending;
    private List<ArraySegment<byte>>? _gatherList;
    private ValueTask<int> _send;
    private bool _sendDone;
    private int _sent;
    private Exception? _sendError;
    private bool _waiting;
    private CancellationToken _waitToken;
    private CancellationTokenRegistration _waitRegistration;

    /// <summary>Writes through the runtime's socket operations.</summary>
    public SocketPipeWriter(Socket socket, int minimumSegmentSize = 4096, ArrayPool<byte>? pool = null)
        : this(new RuntimeSocketOperations(socket), minimumSegmentSize, pool)
    {
    }

    /// <summary>Writes through <paramref name="socket"/>: the runtime's socket operations or an event loop's socket.</summary>
    public SocketPipeWriter(ISocketOperations socket, int minimumSegmentSize = 4096, ArrayPool<byte>? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumSegmentSize, 256);
        _socket = socket;
        _pool = pool ?? ArrayPool<byte>.Shared; // another pool only in tests, to count rents and returns
        _minimumSegmentSize = minimumSegmentSize;
        _onSendCompleted = OnSendCompleted;
    }

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _unflushed;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        var tail = TailWithRoom(sizeHint);
        return tail.Array.AsMemory(tail.Length);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        var tail = TailWithRoom(sizeHint);
        return tail.Array.AsSpan(tail.Length);
    }

    public override void Advance(int bytes)
    {
        ThrowIfCompleted();
        if (bytes == 0)
        {
            return;
        }

        if (_tail is null || (uint)bytes > (uint)(_tail.Array.Length - _tail.Length))
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), "Advanced past the memory handed out.");
        }

        _tail.Length += bytes;
        _unflushed += bytes;
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<FlushResult>(cancellationToken);
        }

        _unflushed = 0;
        if (TryTakeCancel())
        {
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: true, isCompleted: false));
        }

        try
        {
            while (!Pump())
            {
                lock (_sync)
                {
                    if (!_sendDone)
                    {
                        if (TryTakeCancel())
                        {
                            return new ValueTask<FlushResult>(new FlushResult(isCanceled: true, isCompleted: false));
                        }

                        _source.Reset();
                        _waiting = true;
                        _waitToken = cancellationToken;
                        if (cancellationToken.CanBeCanceled)
                        {
                            // Registered only when the flush really waits (a cancelled token runs the callback inline).
                            var registration = cancellationToken.UnsafeRegister(OnTokenCancelledCallback, this);
                            if (_waiting)
                            {
                                _waitRegistration = registration;
                            }
                        }

                        return new ValueTask<FlushResult>(this, _source.Version);
                    }
                }

                // The send finished before the flush could wait: go on sending.
            }
        }
        catch (Exception exception) when (exception is IOException)
        {
            return ValueTask.FromException<FlushResult>(exception);
        }

        return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
    }

    public override void CancelPendingFlush()
    {
        Interlocked.Exchange(ref _cancelRequested, 1);
        CancellationTokenRegistration registration;
        lock (_sync)
        {
            if (!_waiting)
            {
                return; // the next flush returns cancelled
            }

            _waiting = false;
            _cancelRequested = 0;
            registration = _waitRegistration;
            _waitRegistration = default;
        }

        registration.Unregister();
        _source.RunContinuationsAsynchronously = true; // never run the writer on the cancelling thread
        _source.SetResult(new FlushResult(isCanceled: true, isCompleted: false));
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

            // The socket may still read from a buffer of a send in flight: its completion returns the buffers.
            release = !_sending || _sendDone;
        }

        if (release)
        {
            ReleaseBuffers();
        }
    }

    FlushResult IValueTaskSource<FlushResult>.GetResult(short token) => _source.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<FlushResult>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource<FlushResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    private bool TryTakeCancel() =>
        Volatile.Read(ref _cancelRequested) != 0 && Interlocked.Exchange(ref _cancelRequested, 0) != 0;

    private Segment TailWithRoom(int sizeHint)
    {
        ThrowIfCompleted();
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        var needed = Math.Max(sizeHint, 1);
        if (_tail is null)
        {
            _primary = new Segment { Array = _pool.Rent(_minimumSegmentSize) };
            _head = _tail = _primary;
        }

        if (_tail.Array.Length - _tail.Length >= needed)
        {
            return _tail;
        }

        // Bytes in the current tail stay where they are (a send may be reading them): chain a segment.
        var segment = _spare ?? new Segment();
        _spare = segment.Next;
        segment.Array = _pool.Rent(Math.Max(needed, _minimumSegmentSize));
        segment.Length = 0;
        segment.Next = null;
        _tail.Next = segment;
        _tail = segment;
        return segment;
    }

    /// <summary>Sends until everything written is out (true) or a send is in flight (false). Throws the send's error.</summary>
    private bool Pump()
    {
        while (true)
        {
            if (_sending)
            {
                if (!Volatile.Read(ref _sendDone))
                {
                    return false;
                }

                TakeSend();
            }

            var head = _head;
            if (head is null)
            {
                return true; // nothing was ever written
            }

            if (_sentIndex == head.Length)
            {
                if (head == _tail)
                {
                    // All out: the next write starts at the front of the owned buffer again.
                    if (head != _primary)
                    {
                        Release(head);
                    }

                    _primary!.Next = null;
                    _primary.Length = 0;
                    _head = _tail = _primary;
                    _sentIndex = 0;
                    return true;
                }

                _head = head.Next;
                _sentIndex = 0;
                if (head != _primary)
                {
                    Release(head);
                }

                continue;
            }

            if (head != _tail)
            {
                StartGatheredSend();
            }
            else
            {
                StartSend(head.Array.AsMemory(_sentIndex, head.Length - _sentIndex));
            }
        }
    }

    /// <summary>
    /// One send for a chain of segments (a single sendmsg): measured, a 16 KiB answer in five segments took about 40% less
    /// time than one send per segment. At most <see cref="MaxGather"/> segments a send, the most the runtime gathers
    /// without allocating.
    /// </summary>
    private void StartGatheredSend() => StartSend(default, GatherList());

    /// <summary>The unsent bytes as at most <see cref="MaxGather"/> segments, in a list reused for every send.</summary>
    private List<ArraySegment<byte>> GatherList()
    {
        var list = _gatherList ??= [];
        list.Clear();
        list.Add(new ArraySegment<byte>(_head!.Array, _sentIndex, _head.Length - _sentIndex));
        for (var segment = _head.Next; segment is not null && list.Count < MaxGather; segment = segment.Next)
        {
            list.Add(new ArraySegment<byte>(segment.Array, 0, segment.Length));
        }

        return list;
    }

    /// <summary>Moves past bytes the socket took, which may run over several segments.</summary>
    private void Consume(int sent)
    {
        while (true)
        {
            var head = _head!;
            var take = Math.Min(sent, head.Length - _sentIndex);
            _sentIndex += take;
            sent -= take;
            if (sent == 0 || head == _tail)
            {
                return;
            }

            _head = head.Next;
            _sentIndex = 0;
            if (head != _primary)
            {
                Release(head);
            }
        }
    }

    private void StartSend(ReadOnlyMemory<byte> memory, List<ArraySegment<byte>>? segments = null)
    {
        ValueTask<int> send;
        try
        {
            send = segments is null ? _socket.SendAsync(memory) : _socket.SendAsync(segments);
            if (send.IsCompleted)
            {
                Consume(send.GetAwaiter().GetResult()); // a partial send loops in Pump
                return;
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            throw SocketPipeReader.Translate(exception, reading: false);
        }

        _send = send;
        _sending = true;
        send.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onSendCompleted);
    }

    private void TakeSend()
    {
        int sent;
        Exception? error;
        lock (_sync)
        {
            sent = _sent;
            error = _sendError;
            _sendDone = false;
            _sendError = null;
        }

        _sending = false;
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        Consume(sent);
    }

    private void OnSendCompleted()
    {
        var sent = 0;
        Exception? error = null;
        try
        {
            sent = _send.GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            error = SocketPipeReader.Translate(exception, reading: false);
        }

        _send = default;
        SendFinished(sent, error);
    }

    private void SendFinished(int sent, Exception? error)
    {
        bool release;
        bool resume;
        var registration = default(CancellationTokenRegistration);
        lock (_sync)
        {
            _sent = sent;
            _sendError = error;
            _sendDone = true;
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

        if (resume)
        {
            Resume(registration);
        }
    }

    /// <summary>Drives a waiting flush on from the completion of its send, until it is done or waits again.</summary>
    private void Resume(CancellationTokenRegistration registration)
    {
        _source.RunContinuationsAsynchronously = false; // already off the writer's thread
        while (true)
        {
            bool done;
            try
            {
                done = Pump();
            }
            catch (Exception exception)
            {
                registration.Unregister();
                _source.SetException(exception);
                return;
            }

            if (done)
            {
                registration.Unregister();
                _source.SetResult(new FlushResult(isCanceled: false, isCompleted: false));
                return;
            }

            var canceled = false;
            lock (_sync)
            {
                if (!_sendDone)
                {
                    canceled = TryTakeCancel();
                    if (!canceled && !_waitToken.IsCancellationRequested)
                    {
                        _waiting = true;
                        _waitRegistration = registration;
                        return;
                    }
                }
            }

            if (canceled || _waitToken.IsCancellationRequested)
            {
                registration.Unregister();
                _source.RunContinuationsAsynchronously = true;
                if (canceled)
                {
                    _source.SetResult(new FlushResult(isCanceled: true, isCompleted: false));
                }
                else
                {
                    _source.SetException(new OperationCanceledException(_waitToken));
                }

                return;
            }
        }
    }

    private void OnTokenCancelled(CancellationToken token)
    {
        lock (_sync)
        {
            if (!_waiting || _waitToken != token)
            {
                return; // a late callback of a flush that has already finished
            }

            _waiting = false;
            _waitRegistration = default;
        }

        _source.RunContinuationsAsynchronously = true;
        _source.SetException(new OperationCanceledException(token));
    }

    private void Release(Segment segment)
    {
        _pool.Return(segment.Array);
        segment.Array = [];
        segment.Length = 0;
        segment.Next = _spare;
        _spare = segment;
    }

    private void ReleaseBuffers()
    {
        for (var segment = _head; segment is not null; segment = segment.Next)
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
        (_socket as RuntimeSocketOperations)?.Dispose(); // made by this writer; an event loop's socket belongs to its connection
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("Writing is not allowed after the writer was completed.");
        }
    }

    private sealed class Segment
    {
        public byte[] Array { get; set; } = [];

        public int Length { get; set; }

        public Segment? Next { get; set; }
    }
}
