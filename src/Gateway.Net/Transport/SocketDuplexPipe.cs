using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Net.Transport;

/// <summary>A connection's byte streams as pipes, with the socket for aborting it.</summary>
internal sealed class SocketDuplexPipe : IDuplexPipe, IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ILoopSocket? _loopSocket;

    public SocketDuplexPipe(Socket socket)
    {
        _socket = socket;
        RemoteAddress = (socket.RemoteEndPoint as IPEndPoint)?.Address;
        _loopSocket = EventLoop.IsSupported ? EventLoop.Next().Attach(socket) : null;
        ISocketOperations operations = _loopSocket ?? (ISocketOperations)new RuntimeSocketOperations(socket);
        Input = new SocketPipeReader(operations, bufferSize: 8192);
        Output = new SocketPipeWriter(operations, minimumSegmentSize: 4096);
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public IPAddress? RemoteAddress { get; }

    /// <summary>The event loop serving the connection, or null on the runtime's sockets; its backend connections use the same loop.</summary>
    public EventLoop? Loop => _loopSocket?.Loop;

    /// <summary>Closes the socket at once; pending reads and writes fail.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _loopSocket?.Dispose();
        _socket.Close(0);
    }

    public ValueTask DisposeAsync()
    {
        _loopSocket?.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
