using System.Net;
using System.Net.Sockets;
using Gateway.Apig.Apis;
using Gateway.Net.DataPlane;
using Gateway.Net.Tests.Balancing;

namespace Gateway.Net.Tests.DataPlane;

/// <summary>The data plane's connect timeout, against a real backend address whose listener never takes a connection.</summary>
public sealed class BackendConnectTimeoutTests
{
    [Fact]
    public async Task A_backend_that_never_takes_the_connection_is_answered_502_once_the_connect_timeout_ends_not_the_apis()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = await FillAcceptQueueAsync(endpoint);
        try
        {
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
                    UrlDomain = $"127.0.0.1:{endpoint.Port}",
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
        finally
        {
            foreach (var filler in fillers)
            {
                filler.Dispose();
            }
        }
    }

    /// <summary>Connects until a connect hangs: the listener's queue is full and the kernel drops further SYNs.</summary>
    private static async Task<List<Socket>> FillAcceptQueueAsync(IPEndPoint endpoint)
    {
        var sockets = new List<Socket>();
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            sockets.Add(socket);
            var connect = socket.ConnectAsync(endpoint);
            if (await Task.WhenAny(connect, Task.Delay(200)) != connect)
            {
                return sockets;
            }
        }

        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        throw new InvalidOperationException("every connect completed: the listener's queue never filled");
    }
}
