using System.Net;
using System.Net.Sockets;

namespace Gateway.Net.Transport;

/// <summary>Accepts TCP connections on one endpoint and hands each to a callback; stops accepting on dispose.</summary>
internal sealed class SocketListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Func<SocketDuplexPipe, Task> _onConnection;
    private readonly CancellationTokenSource _stopping = new();
    private Task _acceptLoop = Task.CompletedTask;

    public SocketListener(IPEndPoint endpoint, Func<SocketDuplexPipe, Task> onConnection, int backlog = 512)
    {
        _onConnection = onConnection;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.Bind(endpoint);
        _socket.Listen(backlog);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Start() => _acceptLoop = AcceptLoopAsync();

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // a connection reset before it was accepted
            }

            accepted.NoDelay = true;
            _ = _onConnection(new SocketDuplexPipe(accepted));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private int _disposed;
}
