using Gateway.Apig.Apis;
using Gateway.Net.DataPlane;
using Gateway.Net.Tests.Balancing;
using Gateway.Net.Tests.Transport;

namespace Gateway.Net.Tests.DataPlane;

/// <summary>The data plane's connect timeout, against a real backend address whose listener never takes a connection.</summary>
public sealed class BackendConnectTimeoutTests
{
    [Fact]
    public async Task A_backend_that_never_takes_the_connection_is_answered_502_once_the_connect_timeout_ends_not_the_apis()
    {
        using var listener = await UnansweredListener.OpenAsync();

        // The API allows a minute; the data plane gives a connect 300 ms, and GET retries once.
        var api = ChannelModels.MockApi("a1", "/orders", "unused") with
        {
            BackendType = "HTTP",
            BackendApi = new BackendApi
            {
                Id = "b-a1",
                ReqProtocol = "HTTP",
                ReqMethod = "GET",
                ReqUri = "/orders",
                Timeout = 60_000,
                UrlDomain = $"127.0.0.1:{listener.EndPoint.Port}",
                RegisterTime = "2026-01-01T00:00:00.0000000Z",
                UpdateTime = "2026-01-01T00:00:00.0000000Z",
            },
        };
        var snapshot = ChannelModels.Compile(ChannelModels.Model([api]));
        var options = new DataPlaneOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) };

        // Answered well within the harness's 10 s bound, which the API's own timeout would run past.
        var response = await ChannelModels.SendAsync(snapshot, "GET /orders HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n", options: options);
        Assert.StartsWith("HTTP/1.1 502 ", response, StringComparison.Ordinal);
        Assert.Contains("\"APIG.0202\"", ChannelModels.Body(response), StringComparison.Ordinal);
    }
}
