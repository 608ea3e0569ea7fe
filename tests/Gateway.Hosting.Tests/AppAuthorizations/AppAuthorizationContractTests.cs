using System.Net;
using System.Text.Json;
using Gateway.Hosting.Tests.Apps;

namespace Gateway.Hosting.Tests.AppAuthorizations;

/// <summary>The REST contract of 3.10: authorizing APIs to APPs per environment and the three list views.</summary>
public sealed class AppAuthorizationContractTests
{
    private const string Release = CredentialHost.Release;

    private static readonly string[] ApiAuthInfoKeys =
    [
        "api_id", "api_name", "api_remark", "api_type", "app_creator", "app_id", "app_name", "app_type", "auth_role", "auth_time",
        "auth_tunnel", "env_id", "env_name", "group_id", "group_name", "id",
    ];

    [Fact]
    public async Task Authorize_answers_201_with_one_relation_per_api_and_app()
    {
        await using var host = await CredentialHost.StartAsync();
        var app1 = await host.CreateAppAsync("app_one");
        var app2 = await host.CreateAppAsync("app_two");
        var api1 = await host.CreateApiAsync("Api_one");
        var api2 = await host.CreateApiAsync("Api_two");
        host.Clock.Advance(TimeSpan.FromSeconds(1));

        using var reply = await host.PostAsync("/app-auths", CredentialHost.AuthorizationBody(Release, [app1, app2, app1], [api1, api2]));
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(["auths"], CredentialHost.Keys(reply.Json));
        var auths = reply.Json.GetProperty("auths");
        Assert.Equal(4, auths.GetArrayLength());
        Assert.Equal([api1, api1, api2, api2], CredentialHost.Strings(auths, "api_id"));
        Assert.Equal([app1, app2, app1, app2], CredentialHost.Strings(auths, "app_id"));
        foreach (var auth in auths.EnumerateArray())
        {
            Assert.Equal(["api_id", "app_id", "auth_result", "auth_role", "auth_time", "auth_tunnel", "id"], CredentialHost.Keys(auth));
            Assert.Matches("^[0-9a-f]{32}$", auth.GetProperty("id").GetString());
            Assert.Equal("PROVIDER", auth.GetProperty("auth_role").GetString());
            Assert.Equal("NORMAL", auth.GetProperty("auth_tunnel").GetString());
            Assert.Equal("2025-03-01T08:30:05.0000000Z", auth.GetProperty("auth_time").GetString());
            Assert.Equal("""{"status":"SUCCESS"}""", auth.GetProperty("auth_result").GetRawText());
        }

        Assert.Equal(4, CredentialHost.Strings(auths, "id").Distinct().Count());
    }

    [Fact]
    public async Task Existing_pairs_are_skipped_and_a_call_with_nothing_new_is_APIG_3316()
    {
        await using var host = await CredentialHost.StartAsync();
        var app1 = await host.CreateAppAsync("app_one");
        var app2 = await host.CreateAppAsync("app_two");
        var api = await host.CreateApiAsync("Api_one");
        var first = await host.AuthorizeAsync(Release, [app1], [api]);
        var firstId = first[0].GetProperty("id").GetString();

        var second = await host.AuthorizeAsync(Release, [app1, app2], [api]);
        Assert.Equal(2, second.GetArrayLength());
        var skipped = second[0];
        Assert.Equal(firstId, skipped.GetProperty("id").GetString());
        Assert.Equal(first[0].GetProperty("auth_time").GetString(), skipped.GetProperty("auth_time").GetString());
        var result = skipped.GetProperty("auth_result");
        Assert.Equal("SKIPPED", result.GetProperty("status").GetString());
        Assert.Equal("APIG.3316", result.GetProperty("error_code").GetString());
        Assert.False(string.IsNullOrEmpty(result.GetProperty("error_msg").GetString()));
        Assert.Equal("Api_one", result.GetProperty("api_name").GetString());
        Assert.Equal("app_one", result.GetProperty("app_name").GetString());
        Assert.Equal("SUCCESS", second[1].GetProperty("auth_result").GetProperty("status").GetString());

        using var nothingNew = await host.PostAsync("/app-auths", CredentialHost.AuthorizationBody(Release, [app1, app2], [api]));
        nothingNew.ShouldFail(HttpStatusCode.BadRequest, "APIG.3316");

        // The same pair in another environment is another authorization.
        var env = await host.CreateEnvironmentAsync("TEST_env");
        var elsewhere = await host.AuthorizeAsync(env, [app1], [api]);
        Assert.Equal("SUCCESS", elsewhere[0].GetProperty("auth_result").GetProperty("status").GetString());

        using var list = await host.GetAsync($"/app-auths/binded-apps?api_id={api}");
        Assert.Equal(3, list.Json.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("""{"app_ids":["{app}"],"api_ids":["{api}"]}""", HttpStatusCode.BadRequest, "APIG.2001", "env_id")]
    [InlineData("""{"env_id":"","app_ids":["{app}"],"api_ids":["{api}"]}""", HttpStatusCode.BadRequest, "APIG.2001", "env_id")]
    [InlineData("""{"env_id":"bad id","app_ids":["{app}"],"api_ids":["{api}"]}""", HttpStatusCode.BadRequest, "APIG.2012", "env_id")]
    [InlineData("""{"env_id":"{env}","api_ids":["{api}"]}""", HttpStatusCode.BadRequest, "APIG.2001", "app_ids")]
    [InlineData("""{"env_id":"{env}","app_ids":[],"api_ids":["{api}"]}""", HttpStatusCode.BadRequest, "APIG.2001", "app_ids")]
    [InlineData("""{"env_id":"{env}","app_ids":["{app}",null],"api_ids":["{api}"]}""", HttpStatusCode.BadRequest, "APIG.2001", "app_ids")]
    [InlineData("""{"env_id":"{env}","app_ids":["a/b"],"api_ids":["{api}"]}""", HttpStatusCode.BadRequest, "APIG.2012", "app_ids")]
    [InlineData("""{"env_id":"{env}","app_ids":"{app}","api_ids":["{api}"]}""", HttpStatusCode.BadRequest, "APIG.2012", "app_ids")]
    [InlineData("""{"env_id":"{env}","app_ids":["{app}"]}""", HttpStatusCode.BadRequest, "APIG.2001", "api_ids")]
    [InlineData("""{"env_id":"{env}","app_ids":["{app}"],"api_ids":[]}""", HttpStatusCode.BadRequest, "APIG.2001", "api_ids")]
    [InlineData("""{"env_id":"{env}","app_ids":["{app}"],"api_ids":["x y"]}""", HttpStatusCode.BadRequest, "APIG.2012", "api_ids")]
    [InlineData("""{"env_id":"0123456789abcdef0123456789abcdef","app_ids":["{app}"],"api_ids":["{api}"]}""", HttpStatusCode.NotFound, "APIG.3003", "0123456789abcdef0123456789abcdef")]
    [InlineData("""{"env_id":"{env}","app_ids":["{app}","0123456789abcdef0123456789abcdef"],"api_ids":["{api}"]}""", HttpStatusCode.NotFound, "APIG.3004", "0123456789abcdef0123456789abcdef")]
    [InlineData("""{"env_id":"{env}","app_ids":["{app}"],"api_ids":["{api}","0123456789abcdef0123456789abcdef"]}""", HttpStatusCode.NotFound, "APIG.3002", "0123456789abcdef0123456789abcdef")]
    public async Task Authorize_rejects_bad_input_and_writes_nothing(string template, HttpStatusCode status, string code, string parameter)
    {
        await using var host = await CredentialHost.StartAsync();
        var app = await host.CreateAppAsync("app_one");
        var api = await host.CreateApiAsync("Api_one");
        var body = template.Replace("{app}", app, StringComparison.Ordinal).Replace("{api}", api, StringComparison.Ordinal).Replace("{env}", Release, StringComparison.Ordinal);

        using var reply = await host.PostAsync("/app-auths", body);
        reply.ShouldFail(status, code, parameter);
        using var list = await host.GetAsync("/app-auths/binded-apps");
        Assert.Equal(0, list.Json.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task At_most_500_ids_per_list()
    {
        await using var host = await CredentialHost.StartAsync();
        var app = await host.CreateAppAsync("app_one");
        var ids = Enumerable.Range(0, 501).Select(i => $"{i:x32}").ToArray();
        using var reply = await host.PostAsync("/app-auths", CredentialHost.AuthorizationBody(Release, [app], ids));
        reply.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "api_ids");
    }

    [Fact]
    public async Task Revoke_answers_204_and_then_APIG_3009()
    {
        await using var host = await CredentialHost.StartAsync();
        var app = await host.CreateAppAsync("app_one");
        var api = await host.CreateApiAsync("Api_one");
        var auths = await host.AuthorizeAsync(Release, [app], [api]);
        var authId = auths[0].GetProperty("id").GetString();

        using var revoked = await host.DeleteAsync($"/app-auths/{authId}");
        revoked.ShouldBe(HttpStatusCode.NoContent);
        using var again = await host.DeleteAsync($"/app-auths/{authId}");
        again.ShouldFail(HttpStatusCode.NotFound, "APIG.3009");
        Assert.Contains(authId!, again.Json.GetProperty("error_msg").GetString(), StringComparison.Ordinal);
        using var malformed = await host.DeleteAsync("/app-auths/bad%20id");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "app_auth_id");

        using var list = await host.GetAsync($"/app-auths/binded-apis?app_id={app}");
        Assert.Equal(0, list.Json.GetProperty("total").GetInt64());

        // After revoking, the pair can be authorized again.
        var again2 = await host.AuthorizeAsync(Release, [app], [api]);
        Assert.Equal("SUCCESS", again2[0].GetProperty("auth_result").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Bound_apis_of_an_app_with_their_api_group_environment_and_publication()
    {
        await using var host = await CredentialHost.StartAsync();
        var app = await host.CreateAppAsync("app_demo", ""","remark":"Demo app" """);
        var otherApp = await host.CreateAppAsync("app_other");
        var group = await host.CreateGroupAsync("api_group_001");
        var api1 = await host.CreateApiAsync("Api_http", group);
        var api2 = await host.CreateApiAsync("Api_mock");
        var env = await host.CreateEnvironmentAsync("TEST_env");
        var publishId = await host.PublishAsync(api1);
        await host.AuthorizeAsync(Release, [app], [api1]);
        await host.AuthorizeAsync(env, [app], [api2]);
        await host.AuthorizeAsync(Release, [otherApp], [api2]);

        using var all = await host.GetAsync($"/app-auths/binded-apis?app_id={app}");
        all.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["auths", "size", "total"], CredentialHost.Keys(all.Json));
        Assert.Equal(2, all.Json.GetProperty("total").GetInt64());
        var auths = all.Json.GetProperty("auths");
        Assert.Equal([api1, api2], CredentialHost.Strings(auths, "api_id"));

        var published = auths[0];
        Assert.Equal([.. ApiAuthInfoKeys.Append("app_remark").Append("publish_id").Order(StringComparer.Ordinal)], CredentialHost.Keys(published));
        Assert.Equal("Api_http", published.GetProperty("api_name").GetString());
        Assert.Equal("remark of Api_http", published.GetProperty("api_remark").GetString());
        Assert.Equal(1, published.GetProperty("api_type").GetInt32());
        Assert.Equal(group, published.GetProperty("group_id").GetString());
        Assert.Equal("api_group_001", published.GetProperty("group_name").GetString());
        Assert.Equal(Release, published.GetProperty("env_id").GetString());
        Assert.Equal("RELEASE", published.GetProperty("env_name").GetString());
        Assert.Equal(publishId, published.GetProperty("publish_id").GetString());
        Assert.Equal(app, published.GetProperty("app_id").GetString());
        Assert.Equal("app_demo", published.GetProperty("app_name").GetString());
        Assert.Equal("Demo app", published.GetProperty("app_remark").GetString());
        Assert.Equal("apig", published.GetProperty("app_type").GetString());
        Assert.Equal("USER", published.GetProperty("app_creator").GetString());
        Assert.Equal("PROVIDER", published.GetProperty("auth_role").GetString());
        Assert.Equal("NORMAL", published.GetProperty("auth_tunnel").GetString());

        var unpublished = auths[1];
        Assert.False(unpublished.TryGetProperty("publish_id", out _));
        Assert.Equal("TEST_env", unpublished.GetProperty("env_name").GetString());
        Assert.Equal("DEFAULT", unpublished.GetProperty("group_name").GetString());

        await AssertApiIds(host, $"/app-auths/binded-apis?app_id={app}&api_id={api2}", api2);
        await AssertApiIds(host, $"/app-auths/binded-apis?app_id={app}&api_name=http", api1);
        await AssertApiIds(host, $"/app-auths/binded-apis?app_id={app}&api_name=API_", api1, api2);
        await AssertApiIds(host, $"/app-auths/binded-apis?app_id={app}&group_id={group}", api1);
        await AssertApiIds(host, $"/app-auths/binded-apis?app_id={app}&group_name=DEFAULT", api2);
        await AssertApiIds(host, $"/app-auths/binded-apis?app_id={app}&group_name=group_0", api1);
        await AssertApiIds(host, $"/app-auths/binded-apis?app_id={app}&env_id={env}", api2);
        await AssertApiIds(host, $"/app-auths/binded-apis?app_id={otherApp}", api2);

        using var page = await host.GetAsync($"/app-auths/binded-apis?app_id={app}&offset=1&limit=1");
        Assert.Equal([api2], CredentialHost.Strings(page.Json.GetProperty("auths"), "api_id"));
        Assert.Equal(2, page.Json.GetProperty("total").GetInt64());
        Assert.Equal(1, page.Json.GetProperty("size").GetInt32());

        using var missing = await host.GetAsync("/app-auths/binded-apis");
        missing.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "app_id");
        using var malformed = await host.GetAsync("/app-auths/binded-apis?app_id=a%2Fb");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "app_id");
        using var unknown = await host.GetAsync("/app-auths/binded-apis?app_id=0123456789abcdef0123456789abcdef");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3004");
    }

    [Fact]
    public async Task Unbound_apis_are_the_apis_published_in_the_environment_and_not_authorized_there()
    {
        await using var host = await CredentialHost.StartAsync();
        var app = await host.CreateAppAsync("app_demo");
        var group = await host.CreateGroupAsync("APIGroup_d3da");
        var authorized = await host.CreateApiAsync("Api_authorized");
        var open1 = await host.CreateApiAsync("Api_function", group);
        var open2 = await host.CreateApiAsync("API_test");
        var unpublished = await host.CreateApiAsync("Api_draft");
        var env = await host.CreateEnvironmentAsync("TEST_env");
        await host.PublishAsync(authorized);
        var publishId = await host.PublishAsync(open1);
        await host.PublishAsync(open2);
        await host.PublishAsync(unpublished, env);
        await host.AuthorizeAsync(Release, [app], [authorized]);
        await host.AuthorizeAsync(env, [app], [open2]);

        using var list = await host.GetAsync($"/app-auths/unbinded-apis?app_id={app}&env_id={Release}");
        list.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["apis", "size", "total"], CredentialHost.Keys(list.Json));
        var apis = list.Json.GetProperty("apis");
        Assert.Equal([open1, open2], CredentialHost.Strings(apis, "id"));
        var first = apis[0];
        Assert.Equal(["auth_type", "group_id", "group_name", "id", "name", "publish_id", "remark", "req_uri", "run_env_id", "run_env_name"], CredentialHost.Keys(first));
        Assert.Equal("Api_function", first.GetProperty("name").GetString());
        Assert.Equal("remark of Api_function", first.GetProperty("remark").GetString());
        Assert.Equal("/api_function", first.GetProperty("req_uri").GetString());
        Assert.Equal("APP", first.GetProperty("auth_type").GetString());
        Assert.Equal(group, first.GetProperty("group_id").GetString());
        Assert.Equal("APIGroup_d3da", first.GetProperty("group_name").GetString());
        Assert.Equal(publishId, first.GetProperty("publish_id").GetString());
        Assert.Equal(Release, first.GetProperty("run_env_id").GetString());
        Assert.Equal("RELEASE", first.GetProperty("run_env_name").GetString());

        using var inEnv = await host.GetAsync($"/app-auths/unbinded-apis?app_id={app}&env_id={env}");
        Assert.Equal([unpublished], CredentialHost.Strings(inEnv.Json.GetProperty("apis"), "id"));
        Assert.Equal("TEST_env", inEnv.Json.GetProperty("apis")[0].GetProperty("run_env_name").GetString());

        await AssertIds(host, $"/app-auths/unbinded-apis?app_id={app}&env_id={Release}&group_id={group}", open1);
        await AssertIds(host, $"/app-auths/unbinded-apis?app_id={app}&env_id={Release}&api_id={open2}", open2);
        await AssertIds(host, $"/app-auths/unbinded-apis?app_id={app}&env_id={Release}&api_id={authorized}");
        await AssertIds(host, $"/app-auths/unbinded-apis?app_id={app}&env_id={Release}&api_name=TEST", open2);
        await AssertIds(host, $"/app-auths/unbinded-apis?app_id={app}&env_id={Release}&limit=1&offset=1", open2);

        using var noApp = await host.GetAsync($"/app-auths/unbinded-apis?env_id={Release}");
        noApp.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "app_id");
        using var noEnv = await host.GetAsync($"/app-auths/unbinded-apis?app_id={app}");
        noEnv.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "env_id");
        using var unknownApp = await host.GetAsync($"/app-auths/unbinded-apis?app_id=0123456789abcdef0123456789abcdef&env_id={Release}");
        unknownApp.ShouldFail(HttpStatusCode.NotFound, "APIG.3004");
        using var unknownEnv = await host.GetAsync($"/app-auths/unbinded-apis?app_id={app}&env_id=0123456789abcdef0123456789abcdef");
        unknownEnv.ShouldFail(HttpStatusCode.NotFound, "APIG.3003");
    }

    [Fact]
    public async Task Bound_apps_of_an_api()
    {
        await using var host = await CredentialHost.StartAsync();
        var app1 = await host.CreateAppAsync("app_alpha");
        var app2 = await host.CreateAppAsync("app_beta");
        var api1 = await host.CreateApiAsync("Api_one");
        var api2 = await host.CreateApiAsync("Api_two");
        var env = await host.CreateEnvironmentAsync("TEST_env");
        await host.AuthorizeAsync(Release, [app1, app2], [api1]);
        await host.AuthorizeAsync(env, [app2], [api1, api2]);

        using var all = await host.GetAsync("/app-auths/binded-apps");
        all.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(4, all.Json.GetProperty("total").GetInt64());
        Assert.Equal(ApiAuthInfoKeys, CredentialHost.Keys(all.Json.GetProperty("auths")[0]));

        await AssertAuths(host, $"/app-auths/binded-apps?api_id={api1}", (api1, app1), (api1, app2), (api1, app2));
        await AssertAuths(host, $"/app-auths/binded-apps?api_id={api1}&env_id={env}", (api1, app2));
        await AssertAuths(host, $"/app-auths/binded-apps?app_id={app1}", (api1, app1));
        await AssertAuths(host, "/app-auths/binded-apps?app_name=BETA", (api1, app2), (api1, app2), (api2, app2));
        await AssertAuths(host, $"/app-auths/binded-apps?api_id={api2}&app_name=alpha");
        await AssertAuths(host, "/app-auths/binded-apps?app_id=0123456789abcdef0123456789abcdef");
        using (var emptyFilters = await host.GetAsync("/app-auths/binded-apps?api_id=&app_id=&env_id=&app_name=&limit=3"))
        {
            emptyFilters.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(4, emptyFilters.Json.GetProperty("total").GetInt64());
            Assert.Equal(3, emptyFilters.Json.GetProperty("size").GetInt32());
        }

        using var page = await host.GetAsync("/app-auths/binded-apps?offset=3&limit=2");
        Assert.Equal(1, page.Json.GetProperty("size").GetInt32());
        Assert.Equal(4, page.Json.GetProperty("total").GetInt64());

        using var unknownApi = await host.GetAsync("/app-auths/binded-apps?api_id=0123456789abcdef0123456789abcdef");
        unknownApi.ShouldFail(HttpStatusCode.NotFound, "APIG.3002");
        using var malformed = await host.GetAsync("/app-auths/binded-apps?api_id=a%20b");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "api_id");
    }

    [Fact]
    public async Task Authorizations_go_with_their_api_environment_and_app()
    {
        await using var host = await CredentialHost.StartAsync();
        var app = await host.CreateAppAsync("app_one");
        var doomedApp = await host.CreateAppAsync("app_two");
        var api = await host.CreateApiAsync("Api_one");
        var doomedApi = await host.CreateApiAsync("Api_two");
        var env = await host.CreateEnvironmentAsync("TEST_env");
        await host.AuthorizeAsync(Release, [app, doomedApp], [api, doomedApi]);
        await host.AuthorizeAsync(env, [app], [api]);
        await AssertCount(host, 5);

        using (var deleted = await host.DeleteAsync($"/apis/{doomedApi}"))
        {
            deleted.ShouldBe(HttpStatusCode.NoContent);
        }

        await AssertCount(host, 3);
        using (var deleted = await host.DeleteAsync($"/envs/{env}"))
        {
            deleted.ShouldBe(HttpStatusCode.NoContent);
        }

        await AssertCount(host, 2);
        using (var deleted = await host.DeleteAsync($"/apps/{doomedApp}"))
        {
            deleted.ShouldBe(HttpStatusCode.NoContent);
        }

        await AssertAuths(host, "/app-auths/binded-apps", (api, app));
        using var apps = await host.GetAsync("/apps");
        Assert.Equal(1, apps.Json.GetProperty("apps")[0].GetProperty("bind_num").GetInt32());
    }

    [Fact]
    public async Task Taking_an_api_offline_keeps_its_authorizations_but_hides_it_from_the_unbound_view()
    {
        await using var host = await CredentialHost.StartAsync();
        var app = await host.CreateAppAsync("app_one");
        var api = await host.CreateApiAsync("Api_one");
        await host.PublishAsync(api);
        await AssertIds(host, $"/app-auths/unbinded-apis?app_id={app}&env_id={Release}", api);
        await host.AuthorizeAsync(Release, [app], [api]);
        await AssertIds(host, $"/app-auths/unbinded-apis?app_id={app}&env_id={Release}");
        await host.PublishAsync(api, action: "offline");

        using var bound = await host.GetAsync($"/app-auths/binded-apis?app_id={app}");
        Assert.Equal(1, bound.Json.GetProperty("total").GetInt64());
        Assert.False(bound.Json.GetProperty("auths")[0].TryGetProperty("publish_id", out _));
        await AssertIds(host, $"/app-auths/unbinded-apis?app_id={app}&env_id={Release}");
    }

    private static async Task AssertCount(CredentialHost host, int expected)
    {
        using var list = await host.GetAsync("/app-auths/binded-apps");
        Assert.Equal(expected, list.Json.GetProperty("total").GetInt64());
    }

    private static async Task AssertApiIds(CredentialHost host, string path, params string[] expected)
    {
        using var list = await host.GetAsync(path);
        list.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(expected, CredentialHost.Strings(list.Json.GetProperty("auths"), "api_id"));
        Assert.Equal(expected.Length, list.Json.GetProperty("total").GetInt64());
    }

    private static async Task AssertIds(CredentialHost host, string path, params string[] expected)
    {
        using var list = await host.GetAsync(path);
        list.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(expected, CredentialHost.Strings(list.Json.GetProperty("apis"), "id"));
    }

    /// <summary>The (API, APP) pairs listed, in any order (pairs authorized in one call share their time).</summary>
    private static async Task AssertAuths(CredentialHost host, string path, params (string Api, string App)[] expected)
    {
        using var list = await host.GetAsync(path);
        list.ShouldBe(HttpStatusCode.OK);
        var auths = list.Json.GetProperty("auths");
        var actual = auths.EnumerateArray().Select(auth => (auth.GetProperty("api_id").GetString()!, auth.GetProperty("app_id").GetString()!));
        Assert.Equal(expected.Order(), actual.Order());
        Assert.Equal(expected.Length, list.Json.GetProperty("total").GetInt64());
    }
}
