using Gateway.Net.DataPlane;

namespace Gateway.Net.Tests.DataPlane;

public sealed class CorsTests
{
    private const string Host = "Host: g0.apig.localhost\r\n";

    [Fact]
    public async Task A_preflight_is_answered_for_the_cors_api_of_the_requested_method_only()
    {
        await using var engine = EngineHarness.Start(
            EngineHarness.MockApi("put", "PUT", "/items/{id}", cors: true),
            EngineHarness.MockApi("get", "GET", "/items/{id}", cors: false));

        var (status, headers, body) = await engine.SendAsync(
            $"OPTIONS /items/7 HTTP/1.1\r\n{Host}Origin: https://a.example\r\nAccess-Control-Request-Method: PUT\r\n\r\n");
        Assert.Equal(200, status);
        Assert.Equal("*", headers["Access-Control-Allow-Origin"]);
        Assert.Equal("PUT", headers["Access-Control-Allow-Methods"]);
        Assert.Contains("X-Sdk-Date", headers["Access-Control-Allow-Headers"]);
        Assert.Equal("172800", headers["Access-Control-Max-Age"]);
        Assert.Equal("", body);

        // GET on that path has no cors: not a preflight the gateway answers.
        (status, headers, _) = await engine.SendAsync(
            $"OPTIONS /items/7 HTTP/1.1\r\n{Host}Origin: https://a.example\r\nAccess-Control-Request-Method: GET\r\n\r\n");
        Assert.Equal(404, status);
        Assert.False(headers.ContainsKey("Access-Control-Allow-Origin"));

        // Without Origin or without the requested method it is a plain OPTIONS request.
        (status, _, _) = await engine.SendAsync($"OPTIONS /items/7 HTTP/1.1\r\n{Host}Access-Control-Request-Method: PUT\r\n\r\n");
        Assert.Equal(404, status);
        (status, _, _) = await engine.SendAsync($"OPTIONS /items/7 HTTP/1.1\r\n{Host}Origin: https://a.example\r\n\r\n");
        Assert.Equal(404, status);

        // Actual answers: the cors API's carry the headers, the other's do not.
        (status, headers, _) = await engine.SendAsync($"PUT /items/7 HTTP/1.1\r\n{Host}Content-Length: 0\r\n\r\n");
        Assert.Equal(200, status);
        Assert.Equal("*", headers["Access-Control-Allow-Origin"]);
        Assert.Equal("X-Request-Id", headers["Access-Control-Expose-Headers"]);
        (_, headers, _) = await engine.SendAsync($"GET /items/7 HTTP/1.1\r\n{Host}\r\n");
        Assert.False(headers.ContainsKey("Access-Control-Allow-Origin"));
    }

    [Fact]
    public void The_gateway_answers_unless_the_options_request_reached_another_api_without_cors()
    {
        var cors = Compile(EngineHarness.MockApi("a", "GET", "/a", cors: true));
        var otherCors = Compile(EngineHarness.MockApi("b", "OPTIONS", "/a", cors: true));
        var plain = Compile(EngineHarness.MockApi("c", "OPTIONS", "/a", cors: false));
        var plainGet = Compile(EngineHarness.MockApi("d", "GET", "/a", cors: false));

        Assert.True(GatewayConnection.IsPreflightAnsweredByGateway(null, cors));
        Assert.True(GatewayConnection.IsPreflightAnsweredByGateway(cors, cors)); // an ANY api with cors
        Assert.True(GatewayConnection.IsPreflightAnsweredByGateway(otherCors, cors));
        Assert.False(GatewayConnection.IsPreflightAnsweredByGateway(plain, cors));
        Assert.False(GatewayConnection.IsPreflightAnsweredByGateway(null, plainGet));
        Assert.False(GatewayConnection.IsPreflightAnsweredByGateway(null, null));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://x\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\ncontent-type: a\r\naccess-control-allow-origin:*\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nX-Access-Control-Allow-Origin: *\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origins: *\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\n", false)]
    public void A_backend_that_answers_cors_itself_is_recognised(string head, bool expected)
    {
        Assert.Equal(expected, GatewayConnection.HasHeaderLine(System.Text.Encoding.ASCII.GetBytes(head), "access-control-allow-origin:"u8));
    }

    private static CompiledApi Compile(Gateway.Apig.Apis.Api api)
    {
        var snapshot = new DataPlaneCompiler(new Gateway.Net.Upstream.UpstreamRegistry()).Compile(new Gateway.Apig.Runtime.ApigRuntimeModel(
            1, "i", [Gateway.Apig.Groups.ApiGroupManager.NewGroup(new Gateway.Apig.ApigOptions(), "g0", "g", null, isDefault: true, "2026-01-01T00:00:00Z")],
            [Gateway.Apig.Environments.EnvironmentManager.NewReleaseEnvironment("2026-01-01T00:00:00Z")], [],
            [new Gateway.Apig.Runtime.RuntimeApi(api, Gateway.Apig.Environments.EnvironmentManager.NewReleaseEnvironment("2026-01-01T00:00:00Z"), "v")]));
        Span<Gateway.Net.Routing.PathCapture> captures = stackalloc Gateway.Net.Routing.PathCapture[16];
        return snapshot.DefaultGroup!.Find(default)!.Match(System.Text.Encoding.ASCII.GetBytes(api.ReqMethod), "/a"u8, captures).Endpoint!;
    }
}
