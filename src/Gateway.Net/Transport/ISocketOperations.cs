using System.Net.Sockets;
using System.Threading.Tasks.Sources;

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

    private sealed class GatheredSend() : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true), IValueTaskSource<int>
    {
        private ManualResetValueTaskSourceCore<int> _source;

        public ValueTask<int> Start(Socket socket, IList<ArraySegment<byte>> segments)
        {
            BufferList = segments;
            _source.Reset();
            if (socket.SendAsync(this))
            {
                return new ValueTask<int>(this, _source.Version);
            }

            return SocketError == SocketError.Success ? new ValueTask<int>(BytesTransferred) : ValueTask.FromException<int>(new SocketException((int)SocketError));
        }

        protected override void OnCompleted(SocketAsyncEventArgs e)
        {
            if (SocketError == SocketError.Success)
            {
                _source.SetResult(BytesTransferred);
            }
            else
            {
                _source.SetException(new SocketException((int)SocketError));
            }
        }

        int IValueTaskSource<int>.GetResult(short token) => _source.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _source.GetStatus(token);

        void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _source.OnCompleted(continuation, state, token, flags);
    }
}
