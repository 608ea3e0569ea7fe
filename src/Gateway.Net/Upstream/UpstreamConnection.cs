using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Gateway.Net.Transport;

namespace Gateway.Net.Upstream;

/// <summary>One keep-alive connection to a backend, with pipes over its stream.</summary>
internal sealed class UpstreamConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly ILoopSocket? _loopSocket;
    private readonly Stream? _stream;
    private bool _broken;
    private int _disposed;

    private UpstreamConnection(Socket socket, ILoopSocket? loopSocket, Stream? stream, int poolIndex)
    {
        _socket = socket;
        _loopSocket = loopSocket;
        _stream = stream;
        PoolIndex = poolIndex;
        if (stream is null)
        {
            // Plain TCP: pipes straight on the socket, on the client connection's event loop when there is one (the
            // whole exchange then runs on one thread).
            ISocketOperations operations = loopSocket ?? (ISocketOperations)new RuntimeSocketOperations(socket);
            Input = new SocketPipeReader(operations, bufferSize: 16 * 1024);
            Output = new SocketPipeWriter(operations, minimumSegmentSize: 4096);
        }
        else
        {
            Input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4096, leaveOpen: true));
            Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true));
        }
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    /// <summary>Which of its endpoint's idle pools the connection goes back to (the one it was rented for).</summary>
    public int PoolIndex { get; }

    /// <summary>How many requests this connection has carried: a reused connection may have been closed by the backend meanwhile.</summary>
    public int RequestCount { get; set; }

    /// <summary>False once broken, or once the backend is known to have closed it (its event loop saw the hang-up).</summary>
    public bool IsUsable => !_broken && (_loopSocket is null ? _socket.Connected : !_loopSocket.PeerClosed);

    public void MarkBroken() => _broken = true;

    /// <summary>
    /// Opens a connection to <paramref name="endpoint"/>. Plain TCP goes on <paramref name="loop"/> (the client
    /// connection's event loop) when given; TLS and platforms without event loops use the runtime's sockets.
    /// </summary>
    public static async ValueTask<UpstreamConnection> ConnectAsync(UpstreamEndpoint endpoint, EventLoop? loop, CancellationToken cancellationToken)
    {
        var poolIndex = UpstreamEndpoint.PoolIndexOf(loop);
        if (!endpoint.UseTls && (loop ?? (EventLoop.IsSupported ? EventLoop.Next() : null)) is { } eventLoop)
        {
            return await ConnectOnLoopAsync(endpoint, eventLoop, poolIndex, cancellationToken).ConfigureAwait(false);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
            if (!endpoint.UseTls)
            {
                return new UpstreamConnection(socket, null, null, poolIndex);
            }

            var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = endpoint.Host }, cancellationToken).ConfigureAwait(false);
            return new UpstreamConnection(socket, null, tls, poolIndex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async ValueTask<UpstreamConnection> ConnectOnLoopAsync(UpstreamEndpoint endpoint, EventLoop loop, int poolIndex, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // Every address in turn, as the runtime's connect by name does.
        for (var i = 0; ; i++)
        {
            var socket = new Socket(addresses[i].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                var connected = await loop.ConnectAsync(socket, new IPEndPoint(addresses[i], endpoint.Port), cancellationToken).ConfigureAwait(false);
                return new UpstreamConnection(socket, connected, null, poolIndex);
            }
            catch (SocketException) when (i + 1 < addresses.Length && !cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    public void Dispose()
    {
        _broken = true;
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // already closed by the peer
        }
        catch (ObjectDisposedException)
        {
        }

        _stream?.Dispose();
        _loopSocket?.Dispose();
        _socket.Dispose();
        if (_stream is null)
        {
            // Hands the socket pipes' buffers back to the pool (a receive still in flight returns its own when it fails).
            Input.Complete();
            Output.Complete();
        }
    }
}
