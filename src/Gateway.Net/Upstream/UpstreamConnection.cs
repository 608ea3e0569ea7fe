using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using Gateway.Net.Transport;

namespace Gateway.Net.Upstream;

/// <summary>One keep-alive connection to a backend, with pipes over its stream.</summary>
internal sealed class UpstreamConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly Stream? _stream;
    private bool _broken;
    private int _disposed;

    private UpstreamConnection(Socket socket, Stream? stream)
    {
        _socket = socket;
        _stream = stream;
        if (stream is null)
        {
            // Plain TCP: pipes straight on the socket, without a stream and its adapters in between.
            Input = new SocketPipeReader(socket, bufferSize: 16 * 1024);
            Output = new SocketPipeWriter(socket, minimumSegmentSize: 4096);
        }
        else
        {
            Input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4096, leaveOpen: true));
            Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true));
        }
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    /// <summary>How many requests this connection has carried: a reused connection may have been closed by the backend meanwhile.</summary>
    public int RequestCount { get; set; }

    public bool IsUsable => !_broken && _socket.Connected;

    public void MarkBroken() => _broken = true;

    public static async ValueTask<UpstreamConnection> ConnectAsync(UpstreamEndpoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
            if (!endpoint.UseTls)
            {
                return new UpstreamConnection(socket, null);
            }

            var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = endpoint.Host }, cancellationToken).ConfigureAwait(false);
            return new UpstreamConnection(socket, tls);
        }
        catch
        {
            socket.Dispose();
            throw;
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
        _socket.Dispose();
        if (_stream is null)
        {
            // Hands the socket pipes' buffers back to the pool (a receive still in flight returns its own when it fails).
            Input.Complete();
            Output.Complete();
        }
    }
}
