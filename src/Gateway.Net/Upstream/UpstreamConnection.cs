using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;

namespace Gateway.Net.Upstream;

/// <summary>One keep-alive connection to a backend, with pipes over its stream.</summary>
internal sealed class UpstreamConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private bool _broken;

    private UpstreamConnection(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4096, leaveOpen: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true));
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
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (endpoint.UseTls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = endpoint.Host }, cancellationToken).ConfigureAwait(false);
                stream = tls;
            }

            return new UpstreamConnection(socket, stream);
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

        _stream.Dispose();
        _socket.Dispose();
    }
}
