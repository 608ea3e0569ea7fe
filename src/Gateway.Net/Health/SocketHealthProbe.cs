using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Gateway.Net.Http.Parsing;

namespace Gateway.Net.Health;

/// <summary>
/// Probes over real sockets. TCP: the connection is accepted. HTTP: a request with <c>Connection: close</c>, and only
/// the status line of the answer is read and matched against the accepted codes. HTTPS: the same through TLS.
/// </summary>
/// <remarks>
/// HTTPS checks do not validate the member's certificate: a probe asks whether the member serves, members are usually
/// addressed by IP (no name to match) and often carry private certificates. <c>enable_client_ssl</c> asks for mutual
/// TLS with the instance's <c>backend_client_certificate</c>; that certificate is not modelled by this library, so no
/// client certificate is presented and a member that insists on one fails its checks.
/// </remarks>
internal sealed class SocketHealthProbe : IHealthProbe
{
    // A status line longer than this is not worth reading for a health check.
    private const int MaxStatusLine = 1024;

    public static SocketHealthProbe Instance { get; } = new();

    public async ValueTask<bool> ProbeAsync(HealthCheckTarget target, CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target.Host, target.Port, cancellationToken).ConfigureAwait(false);
            if (target.Settings.Protocol == HealthCheckProtocol.Tcp)
            {
                return true;
            }

            Stream stream = new NetworkStream(socket, ownsSocket: false);
            await using (stream.ConfigureAwait(false))
            {
                if (target.Settings.Protocol == HealthCheckProtocol.Https)
                {
                    var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                    stream = tls;
                    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        TargetHost = target.Host,
                        RemoteCertificateValidationCallback = static (_, _, _, _) => true,
                    }, cancellationToken).ConfigureAwait(false);
                }

                await stream.WriteAsync(target.Request, cancellationToken).ConfigureAwait(false);
                var status = await ReadStatusAsync(stream, cancellationToken).ConfigureAwait(false);
                return status is { } code && target.Settings.Codes.Contains(code);
            }
        }
        catch (Exception exception) when (exception is SocketException or IOException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Reads until the status line is complete; null when the answer is not HTTP or ends too early.</summary>
    private static async ValueTask<int?> ReadStatusAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxStatusLine);
        try
        {
            var length = 0;
            var parser = new Http1ResponseParser(HttpParserLimits.Default);
            while (length < MaxStatusLine)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(length, MaxStatusLine - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return null;
                }

                length += read;
                switch (TryParse(parser, buffer.AsMemory(0, length)))
                {
                    case HttpParseStatus.Complete:
                        return parser.StatusCode;
                    case HttpParseStatus.Rejected:
                        return null;
                }
            }

            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static HttpParseStatus TryParse(Http1ResponseParser parser, ReadOnlyMemory<byte> received)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(received));
        var handler = default(StatusOnlyResponseHandler);
        return parser.TryParseStatusLine(ref reader, ref handler);
    }
}
