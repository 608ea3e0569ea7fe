using System.Net;
using System.Net.Sockets;

namespace Gateway.Net.Tests.Transport;

/// <summary>
/// A 127.0.0.1 listener that never accepts, its queue filled by connections of its own: the kernel drops further SYNs,
/// so a connect to <see cref="EndPoint"/> gets no answer. Dispose closes the listener and its fillers.
/// </summary>
internal sealed class UnansweredListener : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _fillers;

    private UnansweredListener(Socket listener, List<Socket> fillers)
    {
        _listener = listener;
        _fillers = fillers;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Connects until a connect hangs (the queue is full); fails if the queue never fills.</summary>
    public static async Task<UnansweredListener> OpenAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var fillers = new List<Socket>();
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            fillers.Add(socket);
            var connect = socket.ConnectAsync(listener.LocalEndPoint!);
            if (await Task.WhenAny(connect, Task.Delay(200)).ConfigureAwait(false) != connect)
            {
                return new UnansweredListener(listener, fillers);
            }
        }

        new UnansweredListener(listener, fillers).Dispose();
        throw new InvalidOperationException("every connect completed: the listener's queue never filled");
    }

    public void Dispose()
    {
        foreach (var socket in _fillers)
        {
            socket.Dispose();
        }

        _listener.Dispose();
    }
}
