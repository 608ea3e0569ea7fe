using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gateway.Net.Balancing;
using Gateway.Net.Health;
using static Gateway.Net.Tests.Health.HealthTestModels;

namespace Gateway.Net.Tests.Health;

/// <summary>The real probes against real loopback sockets.</summary>
public sealed class SocketHealthProbeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    private static HealthCheckTarget Target(int port, string protocol = "HTTP", string? httpCode = "200", string path = "/health", string method = "GET") =>
        new(new MemberHealth("probe", "m", "127.0.0.1", port), HealthCheckSettings.From(Check("probe", protocol: protocol, httpCode: httpCode, path: path) with { Method = method })!);

    private static async Task<bool> ProbeAsync(HealthCheckTarget target, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Generous);
        return await SocketHealthProbe.Instance.ProbeAsync(target, cancel.Token);
    }

    [Fact]
    public async Task Tcp_passes_when_the_port_accepts_and_fails_when_it_refuses()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        try
        {
            Assert.True(await ProbeAsync(Target(port, "TCP")));
        }
        finally
        {
            listener.Stop();
        }

        Assert.False(await ProbeAsync(Target(port, "TCP")));
    }

    [Theory]
    [InlineData("200", 200, true)]
    [InlineData("200", 503, false)]
    [InlineData("200-299", 204, true)]
    [InlineData("200,301-302", 302, true)]
    [InlineData("200,301-302", 404, false)]
    public async Task Http_passes_only_for_accepted_status_codes(string httpCode, int status, bool expected)
    {
        await using var responder = TinyResponder.Start($"HTTP/1.1 {status} Whatever\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(expected, await ProbeAsync(Target(responder.Port, httpCode: httpCode)));
    }

    [Fact]
    public async Task Http_sends_method_path_host_and_connection_close()
    {
        await using var responder = TinyResponder.Start("HTTP/1.1 200 OK\r\n\r\n");
        Assert.True(await ProbeAsync(Target(responder.Port, path: "/status/live?deep=1", method: "HEAD")));
        var request = Assert.Single(responder.Requests);
        var lines = request.Split("\r\n");
        Assert.Equal("HEAD /status/live?deep=1 HTTP/1.1", lines[0]);
        Assert.Contains($"Host: 127.0.0.1:{responder.Port}", lines);
        Assert.Contains("Connection: close", lines);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20")]
    public async Task Http_fails_for_answers_that_are_not_a_status_line(string answer)
    {
        await using var responder = TinyResponder.Start(answer);
        Assert.False(await ProbeAsync(Target(responder.Port)));
    }

    [Fact]
    public async Task Http_fails_when_the_member_never_answers_within_the_timeout()
    {
        await using var responder = TinyResponder.Start(answer: null);
        var started = DateTime.UtcNow;
        Assert.False(await ProbeAsync(Target(responder.Port), TimeSpan.FromMilliseconds(300)));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Https_passes_through_tls_with_a_self_signed_member_certificate()
    {
        using var certificate = SelfSigned();
        await using var responder = TinyResponder.Start("HTTP/1.1 200 OK\r\n\r\n", certificate);
        Assert.True(await ProbeAsync(Target(responder.Port, "HTTPS")));
        Assert.StartsWith("GET /health HTTP/1.1", Assert.Single(responder.Requests), StringComparison.Ordinal);

        // Plain HTTP to a TLS port is not a pass.
        Assert.False(await ProbeAsync(Target(responder.Port, "HTTP")));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=member.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    /// <summary>
    /// Accepts connections on a loopback port, reads each request head and answers a fixed text (or nothing, holding
    /// the connection), then closes. Optionally through TLS.
    /// </summary>
    private sealed class TinyResponder : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly string? _answer;
        private readonly X509Certificate2? _certificate;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;

        private TinyResponder(string? answer, X509Certificate2? certificate)
        {
            _answer = answer;
            _certificate = certificate;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _accepting = AcceptAsync();
        }

        public int Port { get; }

        public ConcurrentQueue<string> Requests { get; } = new();

        public static TinyResponder Start(string? answer, X509Certificate2? certificate = null) => new(answer, certificate);

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    Stream stream = client.GetStream();
                    if (_certificate is not null)
                    {
                        var tls = new SslStream(stream);
                        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                        stream = tls;
                    }

                    var head = new StringBuilder();
                    var buffer = new byte[1024];
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    Requests.Enqueue(head.ToString());
                    if (_answer is null)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    }

                    await stream.WriteAsync(Encoding.ASCII.GetBytes(_answer!), _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }
                catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or System.Security.Authentication.AuthenticationException)
                {
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            _stop.Dispose();
        }
    }
}
