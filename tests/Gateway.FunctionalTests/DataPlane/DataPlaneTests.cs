using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Gateway.FunctionalTests.DataPlane;

public sealed class DataPlaneTests
{
    [Fact]
    public async Task A_mock_api_is_served_only_while_published()
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("mock_group");
        var apiId = await host.CreateApiAsync(groupId, """
            "name":"hello","req_method":"GET","req_uri":"/hello","backend_type":"MOCK","mock_info":{"result_content":"{\"hello\":\"world\"}"}
            """);
        using var client = host.DataPlaneClient(host.SubDomain(groupId));

        using (var before = await client.GetAsync("/hello"))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
            using var error = JsonDocument.Parse(await before.Content.ReadAsStringAsync());
            Assert.Equal("APIG.0101", error.RootElement.GetProperty("error_code").GetString());
            Assert.Matches("^[0-9a-f]{32}$", error.RootElement.GetProperty("request_id").GetString());
            Assert.Equal(error.RootElement.GetProperty("request_id").GetString(), before.Headers.GetValues("X-Request-Id").Single());
        }

        await host.PublishAsync(apiId);
        using (var published = await client.GetAsync("/hello"))
        {
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
            Assert.Equal("application/json", published.Content.Headers.ContentType!.MediaType);
            Assert.Equal("""{"hello":"world"}""", await published.Content.ReadAsStringAsync());
        }

        // Editing the API does not change what is served until it is published again.
        using (var _ = await host.SendJsonAsync(HttpMethod.Put, $"{host.Instance}/apis/{apiId}",
            $$$"""{"group_id":"{{{groupId}}}","type":1,"req_protocol":"HTTP","auth_type":"NONE","name":"hello","req_method":"GET","req_uri":"/hello","backend_type":"MOCK","mock_info":{"result_content":"v2"}}""", HttpStatusCode.OK))
        {
        }

        await host.WaitForDataPlaneAsync();
        Assert.Equal("""{"hello":"world"}""", await client.GetStringAsync("/hello"));
        await host.PublishAsync(apiId);
        Assert.Equal("v2", await client.GetStringAsync("/hello"));

        await host.PublishAsync(apiId, action: "offline");
        using var after = await client.GetAsync("/hello");
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_known_host_reach_the_default_group_and_x_stage_selects_the_environment()
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        var releaseApi = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"stage_release","req_method":"GET","req_uri":"/stage","backend_type":"MOCK","mock_info":{"result_content":"release"}
            """);
        await host.PublishAsync(releaseApi);
        using var env = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/envs", """{"name":"DEV"}""", HttpStatusCode.Created);
        var devId = env.RootElement.GetProperty("id").GetString()!;
        var devApi = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"stage_dev","req_method":"GET","req_uri":"/stage","match_mode":"SWA","backend_type":"MOCK","mock_info":{"result_content":"dev"}
            """);
        await host.PublishAsync(devApi, devId);

        using var client = host.DataPlaneClient();
        Assert.Equal("release", await client.GetStringAsync("/stage"));
        using var devRequest = new HttpRequestMessage(HttpMethod.Get, "/stage/deeper/path");
        devRequest.Headers.Add("X-Stage", "DEV");
        using var devResponse = await client.SendAsync(devRequest);
        Assert.Equal("dev", await devResponse.Content.ReadAsStringAsync());
        using var unknownStage = new HttpRequestMessage(HttpMethod.Get, "/stage");
        unknownStage.Headers.Add("X-Stage", "NOPE");
        using var unknown = await client.SendAsync(unknownStage);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Http_backends_get_the_mapped_request_and_stream_the_answer_back()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("http_group");
        var apiId = await host.CreateApiAsync(groupId, $$"""
            "name":"orders","req_method":"ANY","req_uri":"/orders/{id}","backend_type":"HTTP",
            "req_params":[{"name":"id","location":"PATH","type":"STRING","required":1},
                          {"name":"x-tenant","location":"HEADER","type":"STRING","required":2},
                          {"name":"page","location":"QUERY","type":"NUMBER","required":2,"valid_enable":1,"min_num":1,"max_num":100}],
            "backend_params":[{"name":"id","location":"PATH","origin":"REQUEST","value":"id"},
                              {"name":"tenant","location":"QUERY","origin":"REQUEST","value":"x-tenant"},
                              {"name":"X-Constant","location":"HEADER","origin":"CONSTANT","value":"fixed"},
                              {"name":"X-Api-Id","location":"HEADER","origin":"SYSTEM","value":"$context.apiId"},
                              {"name":"X-Source","location":"HEADER","origin":"SYSTEM","value":"$context.sourceIp"}],
            "backend_api":{"url_domain":"{{backend.Address}}","req_protocol":"HTTP","req_method":"ANY","req_uri":"/backend/orders/{id}","timeout":5000}
            """);
        await host.PublishAsync(apiId);
        using var client = host.DataPlaneClient(host.SubDomain(groupId));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders/42?page=3") { Content = new StringContent("payload-bytes", Encoding.UTF8, "text/plain") };
        request.Headers.Add("x-tenant", "acme corp");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("echo", response.Headers.GetValues("X-Backend").Single());
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = echo.RootElement;
        Assert.Equal("POST", root.GetProperty("method").GetString());
        Assert.Equal("/backend/orders/42", root.GetProperty("path").GetString());
        Assert.Equal("?page=3&tenant=acme%20corp", root.GetProperty("query").GetString());
        Assert.Equal("payload-bytes", root.GetProperty("body").GetString());
        var headers = root.GetProperty("headers");
        Assert.Equal(backend.Address, headers.GetProperty("Host").GetString());
        Assert.Equal("fixed", headers.GetProperty("X-Constant").GetString());
        Assert.Equal(apiId, headers.GetProperty("X-Api-Id").GetString());
        Assert.Equal("127.0.0.1", headers.GetProperty("X-Source").GetString());
        Assert.Equal("127.0.0.1", headers.GetProperty("X-Forwarded-For").GetString());
        Assert.Equal(host.SubDomain(groupId), headers.GetProperty("X-Forwarded-Host").GetString());
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), headers.GetProperty("X-Request-Id").GetString());
        Assert.Equal("acme corp", headers.GetProperty("x-tenant").GetString());

        // Frontend parameter checks run before the backend is called.
        using var outOfRange = await client.GetAsync("/orders/42?page=1000");
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        using var error = JsonDocument.Parse(await outOfRange.Content.ReadAsStringAsync());
        Assert.Equal("APIG.0201", error.RootElement.GetProperty("error_code").GetString());

        // Keep-alive on both hops: several requests, one backend connection.
        var connections = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            using var again = JsonDocument.Parse(await client.GetStringAsync($"/orders/{i}"));
            connections.Add(again.RootElement.GetProperty("connection").GetString()!);
            Assert.Equal($"/backend/orders/{i}", again.RootElement.GetProperty("path").GetString());
        }

        Assert.Single(connections);
    }

    [Fact]
    public async Task Large_and_chunked_bodies_stream_through_both_ways()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("stream_group");
        var apiId = await host.CreateApiAsync(groupId, $$"""
            "name":"stream","req_method":"ANY","req_uri":"/s","match_mode":"SWA","backend_type":"HTTP",
            "backend_api":{"url_domain":"{{backend.Address}}","req_protocol":"HTTP","req_method":"ANY","req_uri":"/","timeout":5000}
            """);
        await host.PublishAsync(apiId);
        using var client = host.DataPlaneClient(host.SubDomain(groupId));

        var big = await client.GetByteArrayAsync("/s/big/3000000");
        Assert.Equal(3_000_000, big.Length);
        Assert.Equal((byte)'a', big[0]);
        Assert.Equal((byte)('a' + (2_999_999 % 26)), big[^1]);

        var payload = new string('x', 200_000);
        using var chunked = new HttpRequestMessage(HttpMethod.Put, "/s/upload")
        {
            Content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(payload))),
        };
        chunked.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(chunked);
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(payload, echo.RootElement.GetProperty("body").GetString());
        Assert.Equal("PUT", echo.RootElement.GetProperty("method").GetString());
    }

    [Fact]
    public async Task A_backend_that_is_down_or_too_slow_gets_the_documented_gateway_responses()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("fault_group");

        // A port nothing listens on: bind and release one.
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var down = await host.CreateApiAsync(groupId, $$"""
            "name":"down","req_method":"GET","req_uri":"/down","backend_type":"HTTP",
            "backend_api":{"url_domain":"127.0.0.1:{{deadPort}}","req_protocol":"HTTP","req_method":"GET","req_uri":"/","timeout":2000}
            """);
        var slow = await host.CreateApiAsync(groupId, $$"""
            "name":"slow","req_method":"GET","req_uri":"/slow","backend_type":"HTTP",
            "backend_api":{"url_domain":"{{backend.Address}}","req_protocol":"HTTP","req_method":"GET","req_uri":"/slow","timeout":300,"retry_count":"0"}
            """);
        await host.PublishAsync(down);
        await host.PublishAsync(slow);
        using var client = host.DataPlaneClient(host.SubDomain(groupId));

        using var unavailable = await client.GetAsync("/down");
        Assert.Equal(HttpStatusCode.BadGateway, unavailable.StatusCode);
        using (var body = JsonDocument.Parse(await unavailable.Content.ReadAsStringAsync()))
        {
            Assert.Equal("APIG.0202", body.RootElement.GetProperty("error_code").GetString());
        }

        using var timeout = await client.GetAsync("/slow");
        Assert.Equal(HttpStatusCode.GatewayTimeout, timeout.StatusCode);
        using (var body = JsonDocument.Parse(await timeout.Content.ReadAsStringAsync()))
        {
            Assert.Equal("APIG.0203", body.RootElement.GetProperty("error_code").GetString());
        }

        // The gateway keeps serving after both failures, on the same client connection.
        using var notFound = await client.GetAsync("/missing");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order_and_ambiguous_messages_are_refused()
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        var apiId = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"pipe","req_method":"GET","req_uri":"/p/{n}","backend_type":"MOCK","mock_info":{"result_content":"ok"},
            "req_params":[{"name":"n","location":"PATH","type":"NUMBER","required":1}]
            """);
        await host.PublishAsync(apiId);

        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(host.DataPlane.Host, host.DataPlane.Port);
            var stream = socket.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /p/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /p/2 HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            var all = await ReadToEndAsync(stream);
            var first = all.IndexOf("HTTP/1.1 200 OK", StringComparison.Ordinal);
            var second = all.IndexOf("HTTP/1.1 200 OK", first + 1, StringComparison.Ordinal);
            var third = all.IndexOf("HTTP/1.1 404 Not Found", StringComparison.Ordinal);
            Assert.True(first >= 0 && second > first && third > second, all);
        }

        foreach (var attack in new[]
        {
            "POST /p/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "GET /p/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na",
            "GET /p/1 HTTP/1.1\r\nHost: x\r\n folded: header\r\n\r\n",
            "GET /p/1 HTTP/1.1\nHost: x\n\n",
            "GET /p/1 HTTP/1.1\r\n\r\n",
        })
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync(host.DataPlane.Host, host.DataPlane.Port);
            var stream = socket.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(attack));
            var answer = await ReadToEndAsync(stream);
            Assert.StartsWith("HTTP/1.1 400 Bad Request", answer, StringComparison.Ordinal);
            Assert.Contains("Connection: close", answer, StringComparison.Ordinal);
            Assert.DoesNotContain("200 OK", answer, StringComparison.Ordinal);
        }
    }

    private static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancel.Token);
        return Encoding.ASCII.GetString(buffer.ToArray());
    }
}
