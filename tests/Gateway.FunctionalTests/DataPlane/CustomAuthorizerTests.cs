using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>auth_type AUTHORIZER over real sockets: a Kestrel authorizer decides, the gateway enforces and caches.</summary>
public sealed class CustomAuthorizerTests
{
    private const string TokenIdentity = """[{"name":"X-User-Token","location":"HEADER"}]""";

    private static async Task<string> PublishAuthorizedEchoAsync(DataPlaneTestHost host, EchoBackend backend, string authorizerId, string name, string path)
    {
        var apiId = await host.CreateAuthorizedApiAsync(host.DefaultGroupId, authorizerId, $$"""
            "name":"{{name}}","req_method":"GET","req_uri":"{{path}}","backend_type":"HTTP",
            "backend_params":[{"name":"X-Auth-X","location":"HEADER","origin":"SYSTEM","value":"$context.authorizer.frontend.x"},
                              {"name":"X-Auth-User","location":"HEADER","origin":"SYSTEM","value":"$context.authorizer.frontend.user"},
                              {"name":"X-Auth-Level","location":"HEADER","origin":"SYSTEM","value":"$context.authorizer.frontend.level"}],
            "backend_api":{"url_domain":"{{backend.Address}}","req_protocol":"HTTP","req_method":"GET","req_uri":"/backend","timeout":5000}
            """);
        await host.PublishAsync(apiId);
        return apiId;
    }

    private static async Task<(HttpStatusCode Status, JsonDocument Body)> GetAsync(HttpClient client, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Add("X-User-Token", token);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task An_allowed_call_reaches_the_backend_with_the_authorizer_context_and_the_authorizer_gets_the_documented_event()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var authorizer = await AuthorizerServer.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var authorizerId = await host.CreateAuthorizerAsync("allow_auth", $"{authorizer.BaseUrl}/allow", TokenIdentity, userData: "tenant-7");
        var apiId = await PublishAuthorizedEchoAsync(host, backend, authorizerId, "secure", "/secure");
        using var client = host.DataPlaneClient();

        var (status, body) = await GetAsync(client, "/secure?q=a%20b&q=c", "alice");
        using (body)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            var headers = body.RootElement.GetProperty("headers");
            Assert.Equal("from-authorizer", headers.GetProperty("X-Auth-X").GetString());
            Assert.Equal("alice", headers.GetProperty("X-Auth-User").GetString());
            Assert.Equal("3", headers.GetProperty("X-Auth-Level").GetString());
        }

        using var sent = JsonDocument.Parse(authorizer.LastEvent!);
        var root = sent.RootElement;
        Assert.Equal("FRONTEND", root.GetProperty("type").GetString());
        Assert.Equal("GET", root.GetProperty("httpMethod").GetString());
        Assert.Equal("/secure", root.GetProperty("path").GetString());
        Assert.Equal("alice", root.GetProperty("headers").GetProperty("x-user-token").GetString());
        Assert.Equal("a b,c", root.GetProperty("queryStringParameters").GetProperty("q").GetString());
        Assert.Equal(apiId, root.GetProperty("requestContext").GetProperty("apiId").GetString());
        Assert.Equal("RELEASE", root.GetProperty("requestContext").GetProperty("stage").GetString());
        Assert.Equal("127.0.0.1", root.GetProperty("requestContext").GetProperty("sourceIp").GetString());
        Assert.Matches("^[0-9a-f]{32}$", root.GetProperty("requestContext").GetProperty("requestId").GetString());
        Assert.Equal("tenant-7", root.GetProperty("user_data").GetString());
    }

    [Fact]
    public async Task A_deny_is_500_authorizer_failure_and_a_missing_or_invalid_identity_is_401_without_calling_the_authorizer()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var authorizer = await AuthorizerServer.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var deny = await host.CreateAuthorizerAsync("deny_auth", $"{authorizer.BaseUrl}/deny", TokenIdentity);
        var strict = await host.CreateAuthorizerAsync("strict_auth", $"{authorizer.BaseUrl}/allow",
            """[{"name":"X-User-Token","location":"HEADER","validation":"[a-z]+"},{"name":"tenant","location":"QUERY"}]""");
        await PublishAuthorizedEchoAsync(host, backend, deny, "denied", "/denied");
        await PublishAuthorizedEchoAsync(host, backend, strict, "strict", "/strict");
        using var client = host.DataPlaneClient();

        var (status, body) = await GetAsync(client, "/denied", "alice");
        using (body)
        {
            // apig.md: the authorizer's negative answer is AUTHORIZER_FAILURE, 500 by default.
            Assert.Equal(HttpStatusCode.InternalServerError, status);
            Assert.Equal("APIG.0601", body.RootElement.GetProperty("error_code").GetString());
            Assert.Contains("refused", body.RootElement.GetProperty("error_msg").GetString());
        }

        Assert.Equal(1, authorizer.Calls("deny"));

        foreach (var (path, token) in new[] { ("/denied", (string?)null), ("/strict?tenant=t1", "Alice1"), ("/strict", "alice"), ("/strict?tenant=", "alice") })
        {
            var (identityStatus, identityBody) = await GetAsync(client, path, token);
            using (identityBody)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, identityStatus);
                Assert.Equal("APIG.0305", identityBody.RootElement.GetProperty("error_code").GetString());
                Assert.Contains("Identity source", identityBody.RootElement.GetProperty("error_msg").GetString());
            }
        }

        Assert.Equal(1, authorizer.Calls("deny"));
        Assert.Equal(0, authorizer.Calls("allow"));

        var (allowed, allowedBody) = await GetAsync(client, "/strict?tenant=t1", "alice");
        allowedBody.Dispose();
        Assert.Equal(HttpStatusCode.OK, allowed);
        Assert.Equal(1, authorizer.Calls("allow"));
    }

    [Fact]
    public async Task With_need_body_the_authorizer_sees_the_body_and_the_backend_still_gets_it()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var authorizer = await AuthorizerServer.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var authorizerId = await host.CreateAuthorizerAsync("body_auth", $"{authorizer.BaseUrl}/allow", TokenIdentity, needBody: true);
        var apiId = await host.CreateAuthorizedApiAsync(host.DefaultGroupId, authorizerId, $$"""
            "name":"with_body","req_method":"POST","req_uri":"/with-body","backend_type":"HTTP",
            "backend_api":{"url_domain":"{{backend.Address}}","req_protocol":"HTTP","req_method":"POST","req_uri":"/backend","timeout":5000}
            """);
        await host.PublishAsync(apiId);
        await host.WaitForDataPlaneAsync();
        using var client = host.DataPlaneClient();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/with-body") { Content = new StringContent("{\"order\":42}") };
        request.Headers.Add("X-User-Token", "alice");
        using var response = await client.SendAsync(request);
        var echoed = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var sentEvent = JsonDocument.Parse(authorizer.LastEvent!);
        Assert.Equal("{\"order\":42}", sentEvent.RootElement.GetProperty("body").GetString());
        using var echo = JsonDocument.Parse(echoed);
        Assert.Equal("{\"order\":42}", echo.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task An_authorizer_that_is_down_failing_slow_or_answering_garbage_gives_500_authorizer_conf_failure()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var authorizer = await AuthorizerServer.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync(options => options.AuthorizerTimeout = TimeSpan.FromMilliseconds(500));
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var cases = new[] { ("down", $"http://127.0.0.1:{deadPort}/allow"), ("fail", $"{authorizer.BaseUrl}/fail"), ("slow", $"{authorizer.BaseUrl}/slow"), ("garbage", $"{authorizer.BaseUrl}/garbage") };
        foreach (var (name, url) in cases)
        {
            var id = await host.CreateAuthorizerAsync($"{name}_auth", url, TokenIdentity, ttl: 60);
            await PublishAuthorizedEchoAsync(host, backend, id, name, $"/{name}");
        }

        using var client = host.DataPlaneClient();
        foreach (var (name, _) in cases)
        {
            var watch = Stopwatch.StartNew();
            var (status, body) = await GetAsync(client, $"/{name}", "alice");
            using (body)
            {
                Assert.True(status == HttpStatusCode.InternalServerError, $"{name}: {status}");
                Assert.Equal("APIG.0602", body.RootElement.GetProperty("error_code").GetString());
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.5), $"{name} took {watch.Elapsed}");
        }

        // Failures are not cached: the failing authorizer is asked again.
        var (again, againBody) = await GetAsync(client, "/fail", "alice");
        againBody.Dispose();
        Assert.Equal(HttpStatusCode.InternalServerError, again);
        Assert.Equal(2, authorizer.Calls("fail"));
    }

    [Fact]
    public async Task Within_the_ttl_a_second_call_with_the_same_identity_does_not_reach_the_authorizer()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var authorizer = await AuthorizerServer.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var cached = await host.CreateAuthorizerAsync("cached_auth", $"{authorizer.BaseUrl}/allow", TokenIdentity, ttl: 60);
        await PublishAuthorizedEchoAsync(host, backend, cached, "cached", "/cached");
        using var client = host.DataPlaneClient();

        for (var i = 0; i < 3; i++)
        {
            var (status, body) = await GetAsync(client, "/cached", "alice");
            using (body)
            {
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal("alice", body.RootElement.GetProperty("headers").GetProperty("X-Auth-User").GetString());
            }
        }

        Assert.Equal(1, authorizer.Calls("allow"));

        // Another identity is another cache entry, with its own context.
        var (bobStatus, bobBody) = await GetAsync(client, "/cached", "bob");
        using (bobBody)
        {
            Assert.Equal(HttpStatusCode.OK, bobStatus);
            Assert.Equal("bob", bobBody.RootElement.GetProperty("headers").GetProperty("X-Auth-User").GetString());
        }

        Assert.Equal(2, authorizer.Calls("allow"));

        // Without a ttl every call asks.
        var uncached = await host.CreateAuthorizerAsync("uncached_auth", $"{authorizer.BaseUrl}/allow", TokenIdentity, ttl: 0);
        await PublishAuthorizedEchoAsync(host, backend, uncached, "uncached", "/uncached");
        for (var i = 0; i < 2; i++)
        {
            var (status, body) = await GetAsync(client, "/uncached", "alice");
            body.Dispose();
            Assert.Equal(HttpStatusCode.OK, status);
        }

        Assert.Equal(4, authorizer.Calls("allow"));
    }

    [Fact]
    public async Task The_functiongraph_answer_shape_is_accepted_and_an_uncallable_authorizer_is_a_configuration_failure()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var authorizer = await AuthorizerServer.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var wrapped = await host.CreateAuthorizerAsync("wrapped_auth", $"{authorizer.BaseUrl}/wrapped", TokenIdentity);
        var urn = await host.CreateAuthorizerAsync("urn_auth", "urn:fss:xx-xxx:106506b9a92342df9a5025fc12351cfc:function:default:apigDemo", TokenIdentity);
        await PublishAuthorizedEchoAsync(host, backend, wrapped, "wrapped", "/wrapped");
        await PublishAuthorizedEchoAsync(host, backend, urn, "urn", "/urn");
        using var client = host.DataPlaneClient();

        var (status, body) = await GetAsync(client, "/wrapped", "carol");
        using (body)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("wrapped-carol", body.RootElement.GetProperty("headers").GetProperty("X-Auth-X").GetString());
        }

        var (urnStatus, urnBody) = await GetAsync(client, "/urn", "carol");
        using (urnBody)
        {
            Assert.Equal(HttpStatusCode.InternalServerError, urnStatus);
            Assert.Equal("APIG.0602", urnBody.RootElement.GetProperty("error_code").GetString());
        }
    }
}
