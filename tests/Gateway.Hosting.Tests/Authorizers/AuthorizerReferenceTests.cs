using System.Net;
using Gateway.Hosting.Tests.Apis;

namespace Gateway.Hosting.Tests.Authorizers;

/// <summary>An authorizer an API uses (frontend or backend, draft or version in effect) can't be deleted.</summary>
public sealed class AuthorizerReferenceTests
{
    private static async Task<string> CreateAuthorizerAsync(ApiTestHost host, string name, string type)
    {
        var created = await host.PostAsync("/authorizers", $$"""
            {"name":"{{name}}","type":"{{type}}","authorizer_type":"FUNC","authorizer_uri":"http://127.0.0.1:7000/auth"}
            """);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.String("id");
    }

    [Fact]
    public async Task A_frontend_authorizer_used_by_an_api_is_not_deletable()
    {
        await using var host = await ApiTestHost.StartAsync();
        var authorizer = await CreateAuthorizerAsync(host, "front_auth", "FRONTEND");
        var api = await host.CreateApiAsync(ApiSamples.Http, $$"""{"auth_type":"AUTHORIZER","authorizer_id":"{{authorizer}}"}""");

        var refused = await host.DeleteAsync($"/authorizers/{authorizer}");
        refused.AssertError(HttpStatusCode.Forbidden, "APIG.1137");
        Assert.Contains(api, refused.String("error_msg"), StringComparison.Ordinal);

        // Once the API no longer uses it, it can go.
        var updated = await host.PutAsync($"/apis/{api}", host.Body(ApiSamples.Http, """{"auth_type":"NONE"}"""));
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        var deleted = await host.DeleteAsync($"/authorizers/{authorizer}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
    }

    [Theory]
    [InlineData(ApiSamples.Http, "backend_api")]
    [InlineData(ApiSamples.Function, "func_info")]
    [InlineData(ApiSamples.Mock, "mock_info")]
    public async Task A_backend_authorizer_used_by_an_api_is_not_deletable(string sample, string backend)
    {
        await using var host = await ApiTestHost.StartAsync();
        var authorizer = await CreateAuthorizerAsync(host, "back_auth", "BACKEND");
        await host.CreateApiAsync(sample, $$$"""{"{{{backend}}}":{"authorizer_id":"{{{authorizer}}}"}}""");
        var refused = await host.DeleteAsync($"/authorizers/{authorizer}");
        refused.AssertError(HttpStatusCode.Forbidden, "APIG.1137");
    }

    [Fact]
    public async Task A_policy_backend_authorizer_counts_too()
    {
        await using var host = await ApiTestHost.StartAsync();
        var authorizer = await CreateAuthorizerAsync(host, "policy_auth", "BACKEND");
        var body = ApiTestHost.With(host.Body(ApiSamples.Http), "{}").Replace("\"name\":\"policy_http\"", $"\"name\":\"policy_http\",\"authorizer_id\":\"{authorizer}\"", StringComparison.Ordinal);
        var created = await host.PostAsync("/apis", body);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var refused = await host.DeleteAsync($"/authorizers/{authorizer}");
        refused.AssertError(HttpStatusCode.Forbidden, "APIG.1137");
    }

    [Fact]
    public async Task A_published_version_keeps_the_authorizer_in_use_until_taken_offline()
    {
        await using var host = await ApiTestHost.StartAsync();
        var authorizer = await CreateAuthorizerAsync(host, "front_auth", "FRONTEND");
        var api = await host.CreateApiAsync(ApiSamples.Http, $$"""{"auth_type":"AUTHORIZER","authorizer_id":"{{authorizer}}"}""");
        await host.PublishAsync(api);

        // The draft drops the authorizer, but the published version still runs with it.
        var updated = await host.PutAsync($"/apis/{api}", host.Body(ApiSamples.Http, """{"auth_type":"NONE"}"""));
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        var refused = await host.DeleteAsync($"/authorizers/{authorizer}");
        refused.AssertError(HttpStatusCode.Forbidden, "APIG.1137");

        await host.PublishAsync(api, action: "offline");
        var deleted = await host.DeleteAsync($"/authorizers/{authorizer}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
    }

    [Fact]
    public async Task Deleting_the_api_releases_the_authorizer()
    {
        await using var host = await ApiTestHost.StartAsync();
        var authorizer = await CreateAuthorizerAsync(host, "front_auth", "FRONTEND");
        var api = await host.CreateApiAsync(ApiSamples.Http, $$"""{"auth_type":"AUTHORIZER","authorizer_id":"{{authorizer}}"}""");
        Assert.Equal(HttpStatusCode.NoContent, (await host.DeleteAsync($"/apis/{api}")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await host.DeleteAsync($"/authorizers/{authorizer}")).Status);
    }
}
