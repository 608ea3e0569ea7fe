using System.Net;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>3.5.8: the debug operation runs a request through the data-plane engine and reports both messages.</summary>
public sealed class DebugApiTests
{
    [Fact]
    public async Task Developer_mode_debugs_the_editing_definition_and_consumer_mode_the_published_one()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("debug_group");
        var apiId = await host.CreateApiAsync(groupId, $$"""
            "name":"debugged","req_method":"POST","req_uri":"/debug/{id}","backend_type":"HTTP",
            "req_params":[{"name":"id","location":"PATH","type":"NUMBER","required":1,"valid_enable":1}],
            "backend_params":[{"name":"id","location":"PATH","origin":"REQUEST","value":"id"}],
            "backend_api":{"url_domain":"{{backend.Address}}","req_protocol":"HTTP","req_method":"POST","req_uri":"/echo/{id}","timeout":5000}
            """);

        using (var developer = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/apis/debug/{apiId}",
            """{"mode":"DEVELOPER","scheme":"HTTP","method":"POST","path":"/debug/7","query":{"q":["a b"]},"header":{"x-MY-hEaDer":["v"]},"body":"hello"}""",
            HttpStatusCode.OK))
        {
            var root = developer.RootElement;
            var request = root.GetProperty("request").GetString()!;
            var response = root.GetProperty("response").GetString()!;
            Assert.StartsWith("POST /debug/7?q=a%20b HTTP/1.1", request, StringComparison.Ordinal);
            Assert.Contains("X-My-Header: v", request, StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 200 OK", response, StringComparison.Ordinal);
            Assert.Contains("\"path\":\"/echo/7\"", response, StringComparison.Ordinal);
            Assert.Contains("\"body\":\"hello\"", response, StringComparison.Ordinal);
            Assert.True(root.GetProperty("latency").GetInt64() >= 0);
        }

        // Frontend checks apply as on the data plane.
        using (var invalid = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/apis/debug/{apiId}",
            """{"mode":"DEVELOPER","scheme":"HTTP","method":"POST","path":"/debug/seven"}""", HttpStatusCode.OK))
        {
            Assert.StartsWith("HTTP/1.1 400", invalid.RootElement.GetProperty("response").GetString(), StringComparison.Ordinal);
        }

        // CONSUMER mode needs the API published in the stage.
        using (var notPublished = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/apis/debug/{apiId}",
            """{"mode":"CONSUMER","scheme":"HTTP","method":"POST","path":"/debug/1","stage":"RELEASE"}""", HttpStatusCode.NotFound))
        {
            Assert.Equal("APIG.3015", notPublished.RootElement.GetProperty("error_code").GetString());
        }

        await host.PublishAsync(apiId);
        using (var consumer = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/apis/debug/{apiId}",
            """{"mode":"CONSUMER","scheme":"HTTP","method":"POST","path":"/debug/1","stage":"RELEASE"}""", HttpStatusCode.OK))
        {
            Assert.Contains("\"path\":\"/echo/1\"", consumer.RootElement.GetProperty("response").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Debugging_an_api_behind_a_vpc_channel_reaches_a_member()
    {
        await using var member = await IdentityBackend.StartAsync("debug_member");
        await using var host = await DataPlaneTestHost.StartAsync();
        var channelId = await host.CreateChannelAsync("VPC_debug", 1, member.Member(1));
        var apiId = await host.CreateApiAsync(host.DefaultGroupId,
            "\"name\":\"debug_channel\",\"req_method\":\"GET\",\"req_uri\":\"/debug/channel\",\"backend_type\":\"HTTP\"," + DataPlaneTestHost.ChannelBackend(channelId));

        using var developer = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/apis/debug/{apiId}",
            """{"mode":"DEVELOPER","scheme":"HTTP","method":"GET","path":"/debug/channel"}""", HttpStatusCode.OK);
        var response = developer.RootElement.GetProperty("response").GetString()!;
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Contains("debug_member", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debugging_a_custom_authorizer_api_calls_the_authorizer_in_both_modes_and_reports_its_refusal()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var authorizer = await AuthorizerServer.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var allowId = await host.CreateAuthorizerAsync("debug_allow", $"{authorizer.BaseUrl}/allow", """[{"name":"X-User-Token","location":"HEADER"}]""");
        var denyId = await host.CreateAuthorizerAsync("debug_deny", $"{authorizer.BaseUrl}/deny");
        var allowed = await host.CreateAuthorizedApiAsync(host.DefaultGroupId, allowId, $$"""
            "name":"debug_allowed","req_method":"GET","req_uri":"/debug/allowed","backend_type":"HTTP",
            "backend_params":[{"name":"X-Auth-User","location":"HEADER","origin":"SYSTEM","value":"$context.authorizer.frontend.user"}],
            "backend_api":{"url_domain":"{{backend.Address}}","req_protocol":"HTTP","req_method":"GET","req_uri":"/echo","timeout":5000}
            """);
        var denied = await host.CreateAuthorizedApiAsync(host.DefaultGroupId, denyId, $$"""
            "name":"debug_denied","req_method":"GET","req_uri":"/debug/denied","backend_type":"HTTP",
            "backend_api":{"url_domain":"{{backend.Address}}","req_protocol":"HTTP","req_method":"GET","req_uri":"/echo","timeout":5000}
            """);

        using (var developer = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/apis/debug/{allowed}",
            """{"mode":"DEVELOPER","scheme":"HTTP","method":"GET","path":"/debug/allowed","header":{"X-User-Token":["alice"]}}""", HttpStatusCode.OK))
        {
            var response = developer.RootElement.GetProperty("response").GetString()!;
            Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
            Assert.Contains("\"X-Auth-User\":\"alice\"", response, StringComparison.Ordinal);
        }

        Assert.Equal(1, authorizer.Calls("allow"));
        await host.PublishAsync(allowed);
        using (var consumer = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/apis/debug/{allowed}",
            """{"mode":"CONSUMER","scheme":"HTTP","method":"GET","path":"/debug/allowed","header":{"X-User-Token":["bob"]}}""", HttpStatusCode.OK))
        {
            Assert.Contains("\"X-Auth-User\":\"bob\"", consumer.RootElement.GetProperty("response").GetString()!, StringComparison.Ordinal);
        }

        // Without the identity the authorizer is not asked; a deny is the gateway's AUTHORIZER_FAILURE.
        using (var missing = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/apis/debug/{allowed}",
            """{"mode":"CONSUMER","scheme":"HTTP","method":"GET","path":"/debug/allowed"}""", HttpStatusCode.OK))
        {
            var response = missing.RootElement.GetProperty("response").GetString()!;
            Assert.StartsWith("HTTP/1.1 401", response, StringComparison.Ordinal);
            Assert.Contains("APIG.0305", response, StringComparison.Ordinal);
        }

        Assert.Equal(2, authorizer.Calls("allow"));
        using (var refused = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/apis/debug/{denied}",
            """{"mode":"DEVELOPER","scheme":"HTTP","method":"GET","path":"/debug/denied"}""", HttpStatusCode.OK))
        {
            var response = refused.RootElement.GetProperty("response").GetString()!;
            Assert.StartsWith("HTTP/1.1 500", response, StringComparison.Ordinal);
            Assert.Contains("APIG.0601", response, StringComparison.Ordinal); // the authorizer's refusal, not a configuration failure
        }

        Assert.Equal(1, authorizer.Calls("deny"));
    }

    [Theory]
    [InlineData("""{"scheme":"HTTP","method":"GET","path":"/x"}""", "APIG.2001", "mode")]
    [InlineData("""{"mode":"OTHER","scheme":"HTTP","method":"GET","path":"/x"}""", "APIG.2011", "mode")]
    [InlineData("""{"mode":"DEVELOPER","scheme":"FTP","method":"GET","path":"/x"}""", "APIG.2011", "scheme")]
    [InlineData("""{"mode":"DEVELOPER","scheme":"HTTP","method":"ANY","path":"/x"}""", "APIG.2011", "method")]
    [InlineData("""{"mode":"DEVELOPER","scheme":"HTTP","method":"GET","path":"x"}""", "APIG.2011", "path")]
    [InlineData("""{"mode":"DEVELOPER","scheme":"HTTP","method":"GET","path":"/x","header":{"X-Stage":["DEV"]}}""", "APIG.2011", "header")]
    [InlineData("""{"mode":"DEVELOPER","scheme":"HTTP","method":"GET","path":"/x","header":{"X-Apig-Mode":["1"]}}""", "APIG.2011", "header")]
    [InlineData("""{"mode":"CONSUMER","scheme":"HTTP","method":"GET","path":"/x","header":{"Authorization":["x"]}}""", "APIG.2011", "header")]
    [InlineData("""{"mode":"DEVELOPER","scheme":"HTTP","method":"GET","path":"/x","query":{"1abc":["v"]}}""", "APIG.2011", "query")]
    public async Task Bad_debug_requests_get_the_documented_errors(string body, string code, string parameter)
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        var apiId = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"debug_mock","req_method":"GET","req_uri":"/x","backend_type":"MOCK","mock_info":{"result_content":"m"}
            """);
        using var reply = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/apis/debug/{apiId}", body, HttpStatusCode.BadRequest);
        Assert.Equal(code, reply.RootElement.GetProperty("error_code").GetString());
        Assert.Contains(parameter, reply.RootElement.GetProperty("error_msg").GetString(), StringComparison.Ordinal);
    }
}
