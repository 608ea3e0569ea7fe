using System.Net.Sockets;

namespace Gateway.Net.Transport;

/// <summary>
/// The socket calls the socket pipes make, on the runtime's sockets (<see cref="RuntimeSocketOperations"/>) or on the
/// data plane's event loops (<see cref="Epoll.EpollSocket"/>). At most one receive and one send at a time; a call that
/// fails surfaces a <see cref="SocketException"/> or <see cref="ObjectDisposedException"/>.
/// </summary>
internal interface ISocketOperations
{
    /// <summary>Receives into <paramref name="buffer"/> (not empty): the byte count, 0 at the end of the stream.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer);

    /// <summary>Sends from <paramref name="buffer"/>: the byte count the socket took, perhaps fewer than offered.</summary>
    ValueTask<int> SendAsync(ReadOnlyMemory<byte> buffer);

    /// <summary>Sends the segments in one gathered call: the byte count the socket took.</summary>
    ValueTask<int> SendAsync(IList<ArraySegment<byte>> segments);
}

/// <summary>The socket calls on the runtime's sockets (its socket engine completes what waits).</summary>
internal sealed class RuntimeSocketOperations(Socket socket) : ISocketOperations, IDisposable
{
    private GatheredSend? _gathered;

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer) => socket.ReceiveAsync(buffer, SocketFlags.None, CancellationToken.None);

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> buffer) => socket.SendAsync(buffer, SocketFlags.None, CancellationToken.None);

    /// <summary>One sendmsg through a reused event args: the runtime has no allocation-free gathered send otherwise.</summary>
    public ValueTask<int> SendAsync(IList<ArraySegment<byte>> segments) => (_gathered ??= new GatheredSend()).Start(socket, segments);

    public void Dispose() => _gathered?.Dispose();

    private sealed class GatheredSend() : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true)
    {
        private readonly SocketOperationSource _completion = new();

        public ValueTask<int> Start(Socket socket, IList<ArraySegment<byte>> segments)
        {
            BufferList = segments;
            _completion.Reset();
            if (socket.SendAsync(this))
            {
                return _completion.Pending;
            }

            return SocketError == SocketError.Success ? new ValueTask<int>(BytesTransferred) : ValueTask.FromException<int>(new SocketException((int)SocketError));
        }

        protected override void OnCompleted(SocketAsyncEventArgs e) =>
            _completion.Complete(BytesTransferred, SocketError == SocketError.Success ? null : new SocketException((int)SocketError));
    }
}
