using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using static Gateway.Net.Transport.Uring.UringInterop;

namespace Gateway.Net.Transport.Uring;

/// <summary>
/// A socket on a <see cref="UringLoop"/>, with at most one receive and one send in flight. The ring receives ahead into
/// the loop's buffers (one multishot receive, re-armed when it ends); a receive copies out what is there or waits for
/// the next completion. A send is one ring entry; its bytes stay pinned until the ring says how many it took.
/// </summary>
/// <remarks>
/// Everything but the entry points runs on the loop's thread; a call from another thread is queued to the loop. A
/// socket that falls behind its peer (64 KiB received and not read) stops receiving until its reader catches up, so
/// the kernel's flow control reaches the sender and one slow reader cannot take the loop's buffers.
/// </remarks>
internal sealed class UringSocket : ILoopSocket
{
    private const int MaxGatheredSegments = 16;
    private const int PauseAtBytes = 64 * 1024;
    private const int ResumeBelowBytes = 16 * 1024;

    private const ulong ReceiveKind = 1;
    private const ulong SendKind = 2;
    private const ulong PollKind = 3;

    private readonly UringLoop _loop;
    private readonly SafeSocketHandle _handle;
    private readonly SocketOperationSource _receive = new();
    private readonly SocketOperationSource _send = new();
    private int _closed;
    private int _hangUp;

    // Loop-thread state.
    private int _slot = -1;
    private uint _generation;
    private bool _registered;
    private bool _closing;
    private bool _released;
    private int _inFlight;
    private bool _receiveArmed;
    private bool _receivePaused;
    private bool _endOfStream;
    private Exception? _receiveError;
    private bool _receiveWaiting;
    private Memory<byte> _receiveBuffer;
    private Chunk[] _chunks = new Chunk[4];
    private int _chunkHead;
    private int _chunkCount;
    private int _queuedBytes;
    private bool _sending;
    private ReadOnlyMemory<byte> _sendMemory;
    private IList<ArraySegment<byte>>? _sendSegments;
    private MemoryHandle _sendPin;
    private MemoryHandle[]? _segmentPins;
    private int _segmentPinCount;
    private unsafe LinuxSockets.MessageHeader* _message;
    private bool _polling;
    private bool _connectCanceled;
    private CancellationToken _connectToken;

    /// <summary>What a call from another thread asks the loop to do.</summary>
    internal enum Posted : byte
    {
        None,
        Register,
        RegisterAndReceive,
        Receive,
        Send,
        StartReceiving,
        WaitWritable,
        CancelConnect,
        Close,
    }

    internal UringSocket(Socket socket, UringLoop loop, bool armReceive)
    {
        _loop = loop;
        _handle = socket.SafeHandle;
        RunOnLoop(armReceive ? Posted.RegisterAndReceive : Posted.Register);
    }

    public EventLoop Loop => _loop;

    public bool PeerClosed => Volatile.Read(ref _hangUp) != 0;

    /// <summary>Connects without blocking: the connect starts at once, the ring reports when it finished.</summary>
    public static async ValueTask<ILoopSocket> ConnectAsync(Socket socket, EndPoint endpoint, UringLoop loop, CancellationToken cancellationToken)
    {
        socket.Blocking = false;
        var inProgress = false;
        try
        {
            socket.Connect(endpoint);
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            inProgress = true;
        }

        var connected = new UringSocket(socket, loop, armReceive: !inProgress);
        if (!inProgress)
        {
            return connected;
        }

        try
        {
            await connected.WaitWritableAsync(cancellationToken).ConfigureAwait(false);
            var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }

            connected.RunOnLoop(Posted.StartReceiving);
            return connected;
        }
        catch
        {
            connected.Dispose();
            throw;
        }
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            return ValueTask.FromException<int>(new ObjectDisposedException(nameof(UringSocket)));
        }

        _receiveBuffer = buffer;
        _receive.Reset();
        if (!_loop.IsCurrentThread)
        {
            _loop.Post(this, Posted.Receive);
            return _receive.Pending;
        }

        if (TryReceive(out var received, out var error))
        {
            return error is null ? new ValueTask<int>(received) : ValueTask.FromException<int>(error);
        }

        _receiveWaiting = true;
        return _receive.Pending;
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> buffer)
    {
        _sendMemory = buffer;
        _sendSegments = null;
        return BeginSend();
    }

    /// <summary>Sends the segments in one gathered call (at most 16 of them): the byte count the socket took.</summary>
    public ValueTask<int> SendAsync(IList<ArraySegment<byte>> segments)
    {
        _sendMemory = default;
        _sendSegments = segments;
        return BeginSend();
    }

    /// <summary>Stops the socket's operations (waiting ones fail) and, once the ring holds none, takes it out of the ring's file table.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            RunOnLoop(Posted.Close);
        }
    }

    /// <summary>Runs a queued call (loop thread).</summary>
    internal void RunPosted(Posted work)
    {
        switch (work)
        {
            case Posted.Register:
                Register(armReceive: false);
                break;
            case Posted.RegisterAndReceive:
                Register(armReceive: true);
                break;
            case Posted.Receive:
                if (TryReceive(out var received, out var error))
                {
                    _receive.Complete(received, error);
                }
                else
                {
                    _receiveWaiting = true;
                }

                break;
            case Posted.Send:
                StartSend();
                break;
            case Posted.StartReceiving:
                StartReceiving();
                break;
            case Posted.WaitWritable:
                StartPoll();
                break;
            case Posted.CancelConnect:
                _connectCanceled = true;
                if (_polling)
                {
                    _loop.Cancel(UserData(PollKind));
                }

                break;
            case Posted.Close:
                Close();
                break;
        }
    }

    /// <summary>Takes a completion of one of the socket's operations (loop thread).</summary>
    internal void OnCompletion(UringInterop.Completion completion)
    {
        switch ((completion.UserData >> 24) & 0xFF)
        {
            case ReceiveKind:
                OnReceived(completion);
                break;
            case SendKind:
                OnSent(completion.Result);
                break;
            case PollKind:
                OnPolled(completion.Result);
                break;
        }

        if (_closing && _inFlight == 0 && !_released)
        {
            Release();
        }
    }

    /// <summary>Arms the receive again after the loop's buffers ran out, now that some came back (loop thread).</summary>
    internal void RearmReceive()
    {
        if (WantsReceive)
        {
            ArmReceive();
        }
    }

    private bool WantsReceive =>
        _registered && !_receiveArmed && !_receivePaused && !_endOfStream && _receiveError is null && !_closing;

    private ulong UserData(ulong kind) => ((ulong)_generation << 32) | (kind << 24) | (uint)_slot;

    private void RunOnLoop(Posted work)
    {
        if (_loop.IsCurrentThread)
        {
            RunPosted(work);
        }
        else
        {
            _loop.Post(this, work);
        }
    }

    private ValueTask<int> BeginSend()
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            return ValueTask.FromException<int>(new ObjectDisposedException(nameof(UringSocket)));
        }

        _send.Reset();
        RunOnLoop(Posted.Send);
        return _send.Pending;
    }

    private async ValueTask WaitWritableAsync(CancellationToken cancellationToken)
    {
        _connectToken = cancellationToken;
        _send.Reset();
        RunOnLoop(Posted.WaitWritable);
        using var registration = cancellationToken.UnsafeRegister(static state => ((UringSocket)state!).RunOnLoop(Posted.CancelConnect), this);
        await _send.Pending.ConfigureAwait(false);
    }

    private void Register(bool armReceive)
    {
        if (_closing || Volatile.Read(ref _closed) != 0)
        {
            return; // disposed before the loop got to it: Close marks it released
        }

        try
        {
            // Held while the descriptor number is handed to the ring, so it cannot be another socket's by then.
            using var descriptor = new HeldDescriptor(_handle);
            if (armReceive)
            {
                MakeBlocking(descriptor.Fd);
            }

            _slot = _loop.AddFile(this, descriptor.Fd, out _generation);
        }
        catch (ObjectDisposedException)
        {
            _slot = -1;
        }

        _registered = _slot >= 0;
        if (!_registered)
        {
            _receiveError = new SocketException((int)SocketError.TooManyOpenSockets);
            return;
        }

        if (armReceive)
        {
            ArmReceive();
        }
    }

    private void StartReceiving()
    {
        if (!_registered || _closing)
        {
            return;
        }

        try
        {
            using var descriptor = new HeldDescriptor(_handle);
            MakeBlocking(descriptor.Fd);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        RearmReceive();
    }

    private unsafe void ArmReceive()
    {
        var entry = _loop.NextSubmission();
        entry->Opcode = OpReceive;
        entry->Flags = EntryFixedFile | EntryBufferSelect;
        entry->Priority = ReceiveMultishot;
        entry->Fd = _slot;
        entry->BufferGroup = UringLoop.BufferGroup;
        entry->UserData = UserData(ReceiveKind);
        _receiveArmed = true;
        _inFlight++;
    }

    /// <summary>Copies received bytes out (true), or the end, or the error; false when nothing is there yet.</summary>
    private unsafe bool TryReceive(out int received, out Exception? error)
    {
        received = 0;
        error = null;
        if (_chunkCount > 0)
        {
            var destination = _receiveBuffer.Span;
            while (received < destination.Length && _chunkCount > 0)
            {
                ref var chunk = ref _chunks[_chunkHead];
                var take = Math.Min(chunk.Length, destination.Length - received);
                new ReadOnlySpan<byte>(_loop.BufferAt(chunk.Id) + chunk.Offset, take).CopyTo(destination[received..]);
                received += take;
                chunk.Offset += take;
                chunk.Length -= take;
                if (chunk.Length == 0)
                {
                    _loop.ReturnBuffer(chunk.Id);
                    _chunkHead = (_chunkHead + 1) % _chunks.Length;
                    _chunkCount--;
                }
            }

            _queuedBytes -= received;
            _receiveBuffer = default;
            if (_receivePaused && _queuedBytes < ResumeBelowBytes)
            {
                _receivePaused = false;
                RearmReceive(); // unless the cancelled receive is still to end: its completion re-arms
            }

            return true;
        }

        if (_receiveError is not null)
        {
            error = _receiveError;
            return true;
        }

        if (_endOfStream)
        {
            return true;
        }

        if (_closing)
        {
            error = new SocketException((int)SocketError.OperationAborted);
            return true;
        }

        return false;
    }

    private void OnReceived(UringInterop.Completion completion)
    {
        var more = (completion.Flags & CompletionMore) != 0;
        if (!more)
        {
            _receiveArmed = false;
            _inFlight--;
        }

        var result = completion.Result;
        if (result > 0)
        {
            var id = (ushort)(completion.Flags >> CompletionBufferShift);
            if (_closing)
            {
                _loop.ReturnBuffer(id);
            }
            else
            {
                Enqueue(new Chunk { Id = id, Length = result });
                if (_queuedBytes >= PauseAtBytes && _receiveArmed && !_receivePaused)
                {
                    _receivePaused = true; // the reader fell behind: let the kernel's window stop the sender
                    _loop.Cancel(UserData(ReceiveKind));
                }
            }
        }
        else if (result == 0)
        {
            _endOfStream = true;
            Volatile.Write(ref _hangUp, 1);
        }
        else if (result == -ErrorNoBuffers)
        {
            if (!_closing)
            {
                _loop.Starved(this);
            }
        }
        else if (result != -ErrorCanceled)
        {
            _receiveError = LinuxSockets.ToSocketException(-result);
            Volatile.Write(ref _hangUp, 1);
        }

        if (!more && result != -ErrorNoBuffers && WantsReceive)
        {
            ArmReceive(); // the kernel ended the multishot receive while the socket still reads
        }

        if (_receiveWaiting && TryReceive(out var received, out var error))
        {
            _receiveWaiting = false;
            _receive.Complete(received, error);
        }
    }

    private void Enqueue(Chunk chunk)
    {
        if (_chunkCount == _chunks.Length)
        {
            var grown = new Chunk[_chunks.Length * 2];
            for (var i = 0; i < _chunkCount; i++)
            {
                grown[i] = _chunks[(_chunkHead + i) % _chunks.Length];
            }

            _chunks = grown;
            _chunkHead = 0;
        }

        _chunks[(_chunkHead + _chunkCount) % _chunks.Length] = chunk;
        _chunkCount++;
        _queuedBytes += chunk.Length;
    }

    private unsafe void StartSend()
    {
        if (_closing || !_registered)
        {
            _send.Complete(0, new SocketException((int)SocketError.OperationAborted));
            return;
        }

        var entry = _loop.NextSubmission();
        if (_sendSegments is null)
        {
            _sendPin = _sendMemory.Pin();
            entry->Opcode = OpSend;
            entry->Address = (ulong)_sendPin.Pointer;
            entry->Length = (uint)_sendMemory.Length;
        }
        else
        {
            var count = Math.Min(_sendSegments.Count, MaxGatheredSegments);
            if (_message is null)
            {
                _message = (LinuxSockets.MessageHeader*)NativeMemory.AllocZeroed(
                    (nuint)(sizeof(LinuxSockets.MessageHeader) + (MaxGatheredSegments * sizeof(LinuxSockets.IoVector))));
                _segmentPins = new MemoryHandle[MaxGatheredSegments];
            }

            var vectors = (LinuxSockets.IoVector*)(_message + 1);
            for (var i = 0; i < count; i++)
            {
                var segment = _sendSegments[i];
                _segmentPins![i] = segment.AsMemory().Pin();
                vectors[i].Base = (byte*)_segmentPins[i].Pointer;
                vectors[i].Length = (nuint)segment.Count;
            }

            _segmentPinCount = count;
            _message->Vectors = vectors;
            _message->VectorCount = (nuint)count;
            entry->Opcode = OpSendMessage;
            entry->Address = (ulong)_message;
            entry->Length = 1;
        }

        entry->Flags = EntryFixedFile;
        entry->Fd = _slot;
        entry->OperationFlags = LinuxSockets.NoSignal;
        entry->UserData = UserData(SendKind);
        _sending = true;
        _inFlight++;
    }

    private void OnSent(int result)
    {
        _sending = false;
        _inFlight--;
        _sendPin.Dispose();
        _sendPin = default;
        for (var i = 0; i < _segmentPinCount; i++)
        {
            _segmentPins![i].Dispose();
            _segmentPins[i] = default;
        }

        _segmentPinCount = 0;
        _sendMemory = default;
        _sendSegments = null;
        if (result >= 0)
        {
            _send.Complete(result, null);
        }
        else
        {
            _send.Complete(0, result == -ErrorCanceled ? new SocketException((int)SocketError.OperationAborted) : LinuxSockets.ToSocketException(-result));
        }
    }

    private unsafe void StartPoll()
    {
        if (_closing || !_registered)
        {
            _send.Complete(0, new SocketException((int)SocketError.OperationAborted));
            return;
        }

        var entry = _loop.NextSubmission();
        entry->Opcode = OpPollAdd;
        entry->Flags = EntryFixedFile;
        entry->Fd = _slot;
        entry->OperationFlags = PollOut | PollError | PollHangUp;
        entry->UserData = UserData(PollKind);
        _polling = true;
        _inFlight++;
    }

    private void OnPolled(int result)
    {
        _polling = false;
        _inFlight--;
        if (_connectCanceled)
        {
            _send.Complete(0, new OperationCanceledException(_connectToken));
        }
        else
        {
            _send.Complete(0, result < 0 ? LinuxSockets.ToSocketException(-result) : null);
        }
    }

    private void Close()
    {
        if (_closing)
        {
            return;
        }

        _closing = true;
        if (_receiveArmed)
        {
            _loop.Cancel(UserData(ReceiveKind));
        }

        if (_sending)
        {
            _loop.Cancel(UserData(SendKind));
        }

        if (_polling)
        {
            _loop.Cancel(UserData(PollKind));
        }

        while (_chunkCount > 0)
        {
            _loop.ReturnBuffer(_chunks[_chunkHead].Id);
            _chunkHead = (_chunkHead + 1) % _chunks.Length;
            _chunkCount--;
        }

        _queuedBytes = 0;
        if (_receiveWaiting)
        {
            _receiveWaiting = false;
            _receive.Complete(0, new SocketException((int)SocketError.OperationAborted));
        }

        if (_inFlight == 0)
        {
            Release();
        }
    }

    private unsafe void Release()
    {
        _released = true;
        if (_registered)
        {
            _loop.RemoveFile(_slot);
        }

        if (_message is not null)
        {
            NativeMemory.Free(_message);
            _message = null;
        }
    }

    /// <summary>Bytes the ring received into one of the loop's buffers and the reader has yet to take.</summary>
    private struct Chunk
    {
        public ushort Id;
        public int Offset;
        public int Length;
    }
}
