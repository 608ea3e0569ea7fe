using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Gateway.Net.Transport.Epoll;

/// <summary>
/// A non-blocking socket registered on an <see cref="EpollLoop"/>, with at most one receive and one send in flight.
/// Operations try the socket at once and wait only when it has nothing to give (or no room); the loop finishes a waiting
/// operation when the socket's edge-triggered event arrives and runs its continuation inline.
/// </summary>
/// <remarks>
/// A receive that got fewer bytes than it asked for drained the socket, so the next receive on the loop's own thread
/// waits for the next event without first calling into the kernel only to hear "try again": that call is the one the
/// runtime's sockets make on every read between requests. Each direction counts its events; an operation that found
/// the socket empty waits only if no event arrived since it looked, which closes the race with the loop without a lock.
/// </remarks>
internal sealed class EpollSocket : ILoopSocket
{
    private const int MaxGatheredSegments = 16;

    private readonly SafeSocketHandle _handle;
    private readonly Operation _receive = new();
    private readonly Operation _send = new();
    private int _readEvents;
    private int _writeEvents;
    private int _drainedAt = -1; // the read-event count at which a receive last found the socket empty
    private int _hangUp;
    private int _closed;
    private bool _connecting;
    private Memory<byte> _receiveBuffer;
    private ReadOnlyMemory<byte> _sendBuffer;
    private IList<ArraySegment<byte>>? _sendSegments;

    /// <summary>Takes over a connected socket (accepted or connected elsewhere) and registers it on <paramref name="loop"/>.</summary>
    public EpollSocket(Socket socket, EpollLoop loop)
        : this(socket, loop, register: true)
    {
    }

    private EpollSocket(Socket socket, EpollLoop loop, bool register)
    {
        Loop = loop;
        _handle = socket.SafeHandle;
        socket.Blocking = false;
        if (register)
        {
            Register();
        }
    }

    public EpollLoop Loop { get; }

    EventLoop ILoopSocket.Loop => Loop;

    /// <summary>The loop's identity for this socket: slot and generation. Set on registration.</summary>
    internal ulong Token { get; set; }

    /// <summary>Whether the loop saw the peer close its side or the connection fail: a pooled connection in this state is spent.</summary>
    public bool PeerClosed => Volatile.Read(ref _hangUp) != 0;

    /// <summary>Connects a new socket to <paramref name="endpoint"/> without blocking, registered on <paramref name="loop"/>.</summary>
    public static async ValueTask<EpollSocket> ConnectAsync(Socket socket, EndPoint endpoint, EpollLoop loop, CancellationToken cancellationToken)
    {
        var epoll = new EpollSocket(socket, loop, register: false);
        var inProgress = false;
        try
        {
            socket.Connect(endpoint);
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            inProgress = true;
        }

        // Registered only once the connect started: an unconnected socket reports a hang-up straight away.
        epoll.Register();
        if (!inProgress)
        {
            return epoll;
        }

        try
        {
            await epoll.WaitConnectedAsync(cancellationToken).ConfigureAwait(false);
            var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }

            return epoll;
        }
        catch
        {
            epoll.Dispose();
            throw;
        }
    }

    private async ValueTask WaitConnectedAsync(CancellationToken cancellationToken)
    {
        _connecting = true;
        _send.Reset();
        if (!_send.Arm(ref _writeEvents, 0))
        {
            _connecting = false;
            return; // writable (or failed) before the wait began
        }

        using var registration = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                var self = (EpollSocket)state!;
                if (self._send.TryTake())
                {
                    self._connecting = false;
                    self._send.Complete(0, new OperationCanceledException(token));
                }
            },
            this);
        AbortIfClosed(_send);
        await _send.Pending.ConfigureAwait(false);
    }

    /// <summary>Receives into <paramref name="buffer"/> (not empty): the byte count, 0 at the end of the stream.</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        _receiveBuffer = buffer;
        _receive.Reset();
        if (TryCompleteReceive(out var received, out var error))
        {
            return error is null ? new ValueTask<int>(received) : ValueTask.FromException<int>(error);
        }

        return _receive.Pending;
    }

    /// <summary>Sends from <paramref name="buffer"/>: the byte count the socket took, perhaps fewer than offered.</summary>
    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> buffer)
    {
        _sendBuffer = buffer;
        _sendSegments = null;
        return StartSend();
    }

    /// <summary>Sends the segments in one gathered call (at most 16 of them): the byte count the socket took.</summary>
    public ValueTask<int> SendAsync(IList<ArraySegment<byte>> segments)
    {
        _sendSegments = segments;
        return StartSend();
    }

    private ValueTask<int> StartSend()
    {
        _send.Reset();
        if (TryCompleteSend(out var sent, out var error))
        {
            return error is null ? new ValueTask<int>(sent) : ValueTask.FromException<int>(error);
        }

        return _send.Pending;
    }

    /// <summary>Called on the loop's thread with the event bits epoll reported for this socket.</summary>
    internal void OnEvents(uint events)
    {
        if ((events & (EpollInterop.EventHangUp | EpollInterop.EventReadHangUp | EpollInterop.EventError)) != 0)
        {
            Volatile.Write(ref _hangUp, 1);
        }

        if ((events & (EpollInterop.EventIn | EpollInterop.EventHangUp | EpollInterop.EventReadHangUp | EpollInterop.EventError)) != 0)
        {
            Interlocked.Increment(ref _readEvents);
            if (_receive.TryTake() && TryCompleteReceive(out var received, out var error))
            {
                _receive.Complete(received, error);
            }
        }

        if ((events & (EpollInterop.EventOut | EpollInterop.EventHangUp | EpollInterop.EventError)) != 0)
        {
            Interlocked.Increment(ref _writeEvents);
            if (_send.TryTake())
            {
                if (_connecting)
                {
                    _connecting = false;
                    _send.Complete(0, null);
                }
                else if (TryCompleteSend(out var sent, out var error))
                {
                    _send.Complete(sent, error);
                }
            }
        }
    }

    /// <summary>Unregisters from the loop and fails a waiting operation; the owner closes the socket itself.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        if (Token != 0)
        {
            try
            {
                using var descriptor = new HeldDescriptor(_handle);
                Loop.Unregister(Token, descriptor.Fd);
            }
            catch (ObjectDisposedException)
            {
                Loop.Release(Token); // closing the descriptor already took it out of the epoll set
            }
        }

        AbortIfClosed(_receive);
        AbortIfClosed(_send);
    }

    private void Register()
    {
        using var descriptor = new HeldDescriptor(_handle);
        Loop.Register(this, descriptor.Fd);
    }

    /// <summary>Receives until there is a result (true) or the operation waits for the loop (false).</summary>
    private bool TryCompleteReceive(out int received, out Exception? error)
    {
        received = 0;
        error = null;
        while (true)
        {
            var seen = Volatile.Read(ref _readEvents);

            // Once the peer closed or failed, the end or the error is still to be read even when the last receive came
            // back short: that event may have been counted before this receive looked. Off the loop's thread, bytes
            // that arrived since may wait in an event the loop has yet to take: asking the kernel beats a hand-over.
            if (seen != _drainedAt || Volatile.Read(ref _hangUp) != 0 || !Loop.IsCurrentThread)
            {
                nint count;
                int errno;
                try
                {
                    count = Receive(_receiveBuffer.Span, out errno);
                }
                catch (ObjectDisposedException exception)
                {
                    error = exception;
                    return true;
                }

                if (count >= 0)
                {
                    if (count > 0 && count < _receiveBuffer.Length)
                    {
                        _drainedAt = seen;
                    }

                    received = (int)count;
                    _receiveBuffer = default;
                    return true;
                }

                if (errno == EpollInterop.ErrorInterrupted)
                {
                    continue;
                }

                if (errno != EpollInterop.ErrorWouldBlock)
                {
                    error = LinuxSockets.ToSocketException(errno);
                    return true;
                }

                _drainedAt = seen;
            }

            if (_receive.Arm(ref _readEvents, seen))
            {
                return TryAbort(_receive, out error);
            }
        }
    }

    /// <summary>Sends until the socket took some bytes or failed (true) or the operation waits for room (false).</summary>
    private bool TryCompleteSend(out int sent, out Exception? error)
    {
        sent = 0;
        error = null;
        while (true)
        {
            var seen = Volatile.Read(ref _writeEvents);
            nint count;
            int errno;
            try
            {
                count = _sendSegments is null ? Send(_sendBuffer.Span, out errno) : SendGathered(_sendSegments, out errno);
            }
            catch (ObjectDisposedException exception)
            {
                error = exception;
                return true;
            }

            if (count >= 0)
            {
                sent = (int)count;
                _sendBuffer = default;
                _sendSegments = null;
                return true;
            }

            if (errno == EpollInterop.ErrorInterrupted)
            {
                continue;
            }

            if (errno != EpollInterop.ErrorWouldBlock)
            {
                error = LinuxSockets.ToSocketException(errno);
                return true;
            }

            if (_send.Arm(ref _writeEvents, seen))
            {
                return TryAbort(_send, out error);
            }
        }
    }

    /// <summary>After arming: if the socket was closed meanwhile, takes the operation back with an abort error.</summary>
    private bool TryAbort(Operation operation, out Exception? error)
    {
        if (Volatile.Read(ref _closed) != 0 && operation.TryTake())
        {
            error = new SocketException((int)SocketError.OperationAborted);
            return true;
        }

        error = null;
        return false;
    }

    private void AbortIfClosed(Operation operation)
    {
        if (TryAbort(operation, out var error))
        {
            operation.Complete(0, error);
        }
    }

    private unsafe nint Receive(Span<byte> buffer, out int errno)
    {
        using var descriptor = new HeldDescriptor(_handle);
        fixed (byte* bytes = buffer)
        {
            return WithError(EpollInterop.Receive(descriptor.Fd, bytes, buffer.Length, 0), out errno);
        }
    }

    private unsafe nint Send(ReadOnlySpan<byte> buffer, out int errno)
    {
        using var descriptor = new HeldDescriptor(_handle);
        fixed (byte* bytes = buffer)
        {
            return WithError(EpollInterop.Send(descriptor.Fd, bytes, buffer.Length, LinuxSockets.NoSignal), out errno);
        }
    }

    private unsafe nint SendGathered(IList<ArraySegment<byte>> segments, out int errno)
    {
        var count = Math.Min(segments.Count, MaxGatheredSegments);
        var vectors = stackalloc LinuxSockets.IoVector[count];
        Span<GCHandle> pins = stackalloc GCHandle[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                var segment = segments[i];
                pins[i] = GCHandle.Alloc(segment.Array, GCHandleType.Pinned);
                vectors[i].Base = (byte*)pins[i].AddrOfPinnedObject() + segment.Offset;
                vectors[i].Length = (nuint)segment.Count;
            }

            var message = default(LinuxSockets.MessageHeader);
            message.Vectors = vectors;
            message.VectorCount = (nuint)count;
            using var descriptor = new HeldDescriptor(_handle);
            return WithError(EpollInterop.SendMessage(descriptor.Fd, &message, LinuxSockets.NoSignal), out errno);
        }
        finally
        {
            foreach (var pin in pins)
            {
                if (pin.IsAllocated)
                {
                    pin.Free();
                }
            }
        }
    }

    /// <summary>A call's result, with the errno of a failed one (read before anything else can change it).</summary>
    private static nint WithError(nint result, out int errno)
    {
        errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
        return result;
    }

    /// <summary>One direction's waiting operation: armed by its caller, taken by whoever finishes it first.</summary>
    private sealed class Operation : SocketOperationSource
    {
        private int _waiting;

        /// <summary>
        /// Marks the operation waiting. True if it waits (or the loop already took it and will finish it); false if an
        /// event arrived since <paramref name="seen"/> and the caller took it back to try again.
        /// </summary>
        public bool Arm(ref int events, int seen)
        {
            Interlocked.Exchange(ref _waiting, 1);
            if (Volatile.Read(ref events) == seen)
            {
                return true;
            }

            return Interlocked.CompareExchange(ref _waiting, 0, 1) == 0;
        }

        /// <summary>Takes a waiting operation to finish it; false if none waits or another thread took it.</summary>
        public bool TryTake() => Volatile.Read(ref _waiting) != 0 && Interlocked.CompareExchange(ref _waiting, 0, 1) == 1;
    }
}
