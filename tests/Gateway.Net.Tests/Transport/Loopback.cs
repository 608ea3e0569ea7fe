using System.Net;
using System.Net.Sockets;

namespace Gateway.Net.Tests.Transport;

/// <summary>A connected TCP pair on 127.0.0.1 for the transport tests; both sockets close on dispose.</summary>
internal sealed class Loopback : IDisposable
{
    private Loopback(Socket client, Socket server)
    {
        Client = client;
        Server = server;
    }

    public Socket Client { get; }

    public Socket Server { get; }

    /// <param name="smallBuffers">8 KiB socket buffers (instead of the kernel's auto-tuned ones), so a writer with
    /// no reader fills them quickly.</param>
    public static async Task<Loopback> ConnectAsync(bool smallBuffers = false)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (smallBuffers)
        {
            client.SendBufferSize = 8192;
            listener.ReceiveBufferSize = 8192; // inherited by the accepted socket
        }

        var accept = listener.AcceptAsync();

        // Not the async connect: it would also register the socket with the runtime's engine, and the event-loop
        // tests take the socket over.
        client.Connect(listener.LocalEndPoint!);
        var server = await accept.ConfigureAwait(false);
        server.NoDelay = true;
        return new Loopback(client, server);
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
