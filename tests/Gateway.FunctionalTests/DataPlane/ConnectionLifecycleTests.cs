using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>Slow senders and idle connections are closed by the idle timeout; stopping drains requests in flight.</summary>
public sealed class ConnectionLifecycleTests
{
    [Fact]
    public async Task A_client_that_sends_half_a_head_and_stalls_is_disconnected_while_others_are_served()
    {
        await using var host = await DataPlaneTestHost.StartAsync(options => options.IdleTimeout = TimeSpan.FromSeconds(1));
        var apiId = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"alive","req_method":"GET","req_uri":"/alive","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        await host.PublishAsync(apiId);

        using var slow = new TcpClient();
        await slow.ConnectAsync(host.DataPlane.Host, host.DataPlane.Port);
        var stream = slow.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /alive HTTP/1.1\r\nHost: x\r\nX-Slow: "));

        // Another client is served meanwhile.
        using var client = host.DataPlaneClient();
        Assert.Equal("ok", await client.GetStringAsync("/alive"));

        // The stalled connection is closed by the server within the timeout plus one timer period (bounded wait).
        var watch = Stopwatch.StartNew();
        var buffer = new byte[256];
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        int read;
        try
        {
            read = await stream.ReadAsync(buffer, cancel.Token);
        }
        catch (IOException)
        {
            read = 0; // reset by the server: also closed
        }

        Assert.Equal(0, read);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"closed after {watch.Elapsed}");
    }

    [Fact]
    public async Task Stopping_the_host_lets_a_request_in_flight_finish()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync(options => options.DrainTimeout = TimeSpan.FromSeconds(10));
        var apiId = await host.CreateApiAsync(host.DefaultGroupId, $$"""
            "name":"slow_backend","req_method":"GET","req_uri":"/slow","backend_type":"HTTP",
            "backend_api":{"url_domain":"{{backend.Address}}","req_protocol":"HTTP","req_method":"GET","req_uri":"/slow","timeout":20000}
            """);
        await host.PublishAsync(apiId);
        using var client = host.DataPlaneClient();
        client.Timeout = TimeSpan.FromSeconds(30);

        var inFlight = client.GetAsync("/slow");
        await Task.Delay(500); // let the request reach the backend (which answers after 5 s)
        var stopping = host.StopAsync();
        using var response = await inFlight;
        await stopping;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("late", await response.Content.ReadAsStringAsync());
    }
}
