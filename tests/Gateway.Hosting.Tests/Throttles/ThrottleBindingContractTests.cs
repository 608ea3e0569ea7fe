using System.Net;

namespace Gateway.Hosting.Tests.Throttles;

/// <summary>3.8 throttle bindings over HTTP.</summary>
public sealed class ThrottleBindingContractTests
{
    private static readonly string[] ApiForThrottleFields =
    [
        "id", "name", "type", "remark", "req_uri", "req_method", "auth_type", "group_id", "group_name", "publish_id", "run_env_id",
        "run_env_name", "throttle_apply_id", "apply_time", "throttle_name",
    ];

    [Fact]
    public async Task Bind_answers_201_with_throttle_applys()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var throttle = await host.CreateThrottleAsync("throttle_demo");
        var test = await host.CreateEnvironmentAsync("TEST");
        var api = await host.CreateApiAsync("bound_api");
        var inRelease = await host.PublishAsync(api);
        var inTest = await host.PublishAsync(api, test);
        using var reply = await host.PostAsync("/throttle-bindings", $$"""{"strategy_id": "{{throttle}}", "publish_ids": ["{{inRelease}}", "{{inTest}}", "{{inRelease}}"]}""");
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(["throttle_applys"], reply.Json.EnumerateObject().Select(p => p.Name));
        var items = reply.Json.GetProperty("throttle_applys").EnumerateArray().ToList();
        Assert.Equal([inRelease, inTest], items.Select(item => item.GetProperty("publish_id").GetString()));
        foreach (var item in items)
        {
            Assert.Equal(new[] { "apply_time", "id", "publish_id", "scope", "strategy_id" }, item.EnumerateObject().Select(p => p.Name).Order());
            Assert.Matches("^[0-9a-f]{32}$", item.GetProperty("id").GetString());
            Assert.Equal(1, item.GetProperty("scope").GetInt32());
            Assert.Equal(throttle, item.GetProperty("strategy_id").GetString());
            Assert.False(string.IsNullOrEmpty(item.GetProperty("apply_time").GetString()));
        }
    }

    [Theory]
    [InlineData("""{"publish_ids": ["p"]}""", "APIG.2001", "strategy_id")]
    [InlineData("""{"strategy_id": "", "publish_ids": ["p"]}""", "APIG.2001", "strategy_id")]
    [InlineData("""{"strategy_id": "@a66", "publish_ids": ["p"]}""", "APIG.2003", "strategy_id")]
    [InlineData("""{"strategy_id": "a b", "publish_ids": ["p"]}""", "APIG.2012", "strategy_id")]
    [InlineData("""{"strategy_id": "s"}""", "APIG.2001", "publish_ids")]
    [InlineData("""{"strategy_id": "s", "publish_ids": []}""", "APIG.2001", "publish_ids")]
    [InlineData("""{"strategy_id": "s", "publish_ids": ["ok", "not ok"]}""", "APIG.2012", "publish_ids")]
    [InlineData("""{"strategy_id": "s", "publish_ids": [null]}""", "APIG.2012", "publish_ids")]
    [InlineData("""{"strategy_id": "s", "publish_ids": "p"}""", "APIG.2012", "publish_ids")]
    public async Task Bind_rejects_malformed_bodies(string body, string code, string parameter)
    {
        await using var host = await PolicyTestHost.StartAsync();
        using var reply = await host.PostAsync("/throttle-bindings", Apis.ApiTestHost.With("{}", body));
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }

    [Fact]
    public async Task Bind_needs_an_existing_policy_and_current_publications_and_writes_nothing_otherwise()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var throttle = await host.CreateThrottleAsync("throttle_demo");
        var api = await host.CreateApiAsync("bound_api");
        var publishId = await host.PublishAsync(api);
        using (var unknownPolicy = await host.PostAsync("/throttle-bindings", $$"""{"strategy_id": "3437448ad06f4e0c91a224183116e965", "publish_ids": ["{{publishId}}"]}"""))
        {
            unknownPolicy.ShouldFail(HttpStatusCode.NotFound, "APIG.3005", "3437448ad06f4e0c91a224183116e965");
        }

        using (var unknownPublication = await host.PostAsync("/throttle-bindings", $$"""{"strategy_id": "{{throttle}}", "publish_ids": ["{{publishId}}", "40e7162dc6b94bbbbb1a60d2a24b1b0c"]}"""))
        {
            unknownPublication.ShouldFail(HttpStatusCode.NotFound, "APIG.3015", "40e7162dc6b94bbbbb1a60d2a24b1b0c");
        }

        // A publication that ended is no longer a publication.
        await host.PublishAsync(api, action: "offline");
        using (var ended = await host.PostAsync("/throttle-bindings", $$"""{"strategy_id": "{{throttle}}", "publish_ids": ["{{publishId}}"]}"""))
        {
            ended.ShouldFail(HttpStatusCode.NotFound, "APIG.3015");
        }

        Assert.Empty(await host.StoredKeysAsync("throttle-bindings"));
        using var shown = await host.GetAsync($"/throttles/{throttle}");
        Assert.Equal(0, shown.Json.GetProperty("bind_num").GetInt32());
    }

    [Fact]
    public async Task An_API_has_one_policy_per_environment()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var first = await host.CreateThrottleAsync("first_policy");
        var second = await host.CreateThrottleAsync("second_policy");
        var test = await host.CreateEnvironmentAsync("TEST");
        var api = await host.CreateApiAsync("bound_api");
        var other = await host.CreateApiAsync("other_api");
        var inRelease = await host.PublishAsync(api);
        var inTest = await host.PublishAsync(api, test);
        var otherInRelease = await host.PublishAsync(other);
        await host.BindThrottleAsync(first, inRelease);

        using (var again = await host.PostAsync("/throttle-bindings", $$"""{"strategy_id": "{{first}}", "publish_ids": ["{{inRelease}}"]}"""))
        {
            again.ShouldFail(HttpStatusCode.BadRequest, "APIG.3309", "first_policy");
        }

        // All or nothing: the free publication in the same request is not bound either.
        using (var another = await host.PostAsync("/throttle-bindings", $$"""{"strategy_id": "{{second}}", "publish_ids": ["{{otherInRelease}}", "{{inRelease}}"]}"""))
        {
            another.ShouldFail(HttpStatusCode.BadRequest, "APIG.3309", api);
        }

        using (var bound = await host.GetAsync($"/throttle-bindings/binded-apis?throttle_id={second}"))
        {
            Assert.Equal(0, bound.Json.GetProperty("total").GetInt64());
        }

        // Another environment may use another policy.
        await host.BindThrottleAsync(second, inTest, otherInRelease);
        using var throttles = await host.GetAsync($"/throttle-bindings/binded-throttles?api_id={api}");
        Assert.Equal(["first_policy", "second_policy"], throttles.Json.GetProperty("throttles").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Unbind_removes_one_binding()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var throttle = await host.CreateThrottleAsync("throttle_demo");
        var api = await host.CreateApiAsync("bound_api");
        var bindings = await host.BindThrottleAsync(throttle, await host.PublishAsync(api));
        using (var unbound = await host.DeleteAsync($"/throttle-bindings/{bindings[0]}"))
        {
            unbound.ShouldBe(HttpStatusCode.NoContent);
        }

        using (var again = await host.DeleteAsync($"/throttle-bindings/{bindings[0]}"))
        {
            again.ShouldFail(HttpStatusCode.NotFound, "APIG.3012");
        }

        using (var malformed = await host.DeleteAsync("/throttle-bindings/a%20b"))
        {
            malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "throttle_binding_id");
        }

        using var shown = await host.GetAsync($"/throttles/{throttle}");
        Assert.Equal(0, shown.Json.GetProperty("bind_num").GetInt32());
    }

    [Fact]
    public async Task Batch_unbind_reports_each_failure_and_removes_the_rest()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var throttle = await host.CreateThrottleAsync("throttle_demo");
        var first = await host.CreateApiAsync("first_api");
        var second = await host.CreateApiAsync("second_api");
        var bindings = await host.BindThrottleAsync(throttle, await host.PublishAsync(first), await host.PublishAsync(second));
        const string missing = "b11e5970f732440dbea647580647d57f";
        using var reply = await host.PutAsync("/throttle-bindings?action=delete", $$"""{"throttle_bindings": ["{{bindings[0]}}", "{{missing}}", "{{bindings[0]}}", "bad id"]}""");
        reply.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(1, reply.Json.GetProperty("success_count").GetInt32());
        var failures = reply.Json.GetProperty("failure").EnumerateArray().ToList();
        Assert.Equal(2, failures.Count);
        Assert.Equal(missing, failures[0].GetProperty("bind_id").GetString());
        Assert.Equal("APIG.3012", failures[0].GetProperty("error_code").GetString());
        Assert.False(string.IsNullOrEmpty(failures[0].GetProperty("error_msg").GetString()));
        Assert.Equal("bad id", failures[1].GetProperty("bind_id").GetString());
        Assert.Equal("APIG.2012", failures[1].GetProperty("error_code").GetString());

        using var bound = await host.GetAsync($"/throttle-bindings/binded-apis?throttle_id={throttle}");
        Assert.Equal(["second_api"], bound.Json.GetProperty("apis").EnumerateArray().Select(a => a.GetProperty("name").GetString()));

        using var nothing = await host.PutAsync("/throttle-bindings?action=delete", "{}");
        nothing.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(0, nothing.Json.GetProperty("success_count").GetInt32());
        Assert.Equal(0, nothing.Json.GetProperty("failure").GetArrayLength());
    }

    [Theory]
    [InlineData("", "APIG.2001")]
    [InlineData("?action=remove", "APIG.2011")]
    [InlineData("?action=DELETE", "APIG.2011")]
    public async Task Batch_unbind_needs_action_delete(string query, string code)
    {
        await using var host = await PolicyTestHost.StartAsync();
        using var reply = await host.PutAsync($"/throttle-bindings{query}", """{"throttle_bindings": []}""");
        reply.ShouldFail(HttpStatusCode.BadRequest, code, "action");
    }

    [Fact]
    public async Task Bound_apis_list_each_binding_with_its_api_environment_and_policy()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var throttle = await host.CreateThrottleAsync("throttle_demo");
        var other = await host.CreateThrottleAsync("other_policy");
        var test = await host.CreateEnvironmentAsync("TEST");
        var group = await host.CreateGroupAsync("api_group_001");
        var http = await host.CreateApiAsync("Api_http", method: "POST", uri: "/test/http");
        var mock = await host.CreateApiAsync("Api_mock", groupId: group);
        var notBound = await host.CreateApiAsync("Api_free");
        var httpRelease = await host.PublishAsync(http);
        var httpTest = await host.PublishAsync(http, test);
        var mockRelease = await host.PublishAsync(mock);
        await host.PublishAsync(notBound);
        var bindings = await host.BindThrottleAsync(throttle, httpRelease, mockRelease, httpTest);
        await host.BindThrottleAsync(other, await host.PublishAsync(notBound, test));

        using var reply = await host.GetAsync($"/throttle-bindings/binded-apis?throttle_id={throttle}");
        reply.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(3, reply.Json.GetProperty("total").GetInt64());
        Assert.Equal(3, reply.Json.GetProperty("size").GetInt32());
        var items = reply.Json.GetProperty("apis").EnumerateArray().ToList();

        // APIs oldest first, then environments RELEASE first.
        Assert.Equal([(http, "RELEASE"), (http, "TEST"), (mock, "RELEASE")], items.Select(i => (i.GetProperty("id").GetString(), i.GetProperty("run_env_name").GetString())));
        var first = items[0];
        Assert.Equal(ApiForThrottleFields.Order(), first.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Api_http", first.GetProperty("name").GetString());
        Assert.Equal(1, first.GetProperty("type").GetInt32());
        Assert.Equal("Api_http remark", first.GetProperty("remark").GetString());
        Assert.Equal("/test/http", first.GetProperty("req_uri").GetString());
        Assert.Equal("POST", first.GetProperty("req_method").GetString());
        Assert.Equal("NONE", first.GetProperty("auth_type").GetString());
        Assert.Equal(host.DefaultGroupId, first.GetProperty("group_id").GetString());
        Assert.Equal("DEFAULT", first.GetProperty("group_name").GetString());
        Assert.Equal(httpRelease, first.GetProperty("publish_id").GetString());
        Assert.Equal(PolicyTestHost.Release, first.GetProperty("run_env_id").GetString());
        Assert.Equal(bindings[0], first.GetProperty("throttle_apply_id").GetString());
        Assert.Equal("throttle_demo", first.GetProperty("throttle_name").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("apply_time").GetString()));
        Assert.Equal("api_group_001", items[2].GetProperty("group_name").GetString());

        await AssertApis(host, $"/throttle-bindings/binded-apis?throttle_id={throttle}&env_id={test}", (http, "TEST"));
        await AssertApis(host, $"/throttle-bindings/binded-apis?throttle_id={throttle}&group_id={group}", (mock, "RELEASE"));
        await AssertApis(host, $"/throttle-bindings/binded-apis?throttle_id={throttle}&api_id={mock}", (mock, "RELEASE"));
        await AssertApis(host, $"/throttle-bindings/binded-apis?throttle_id={throttle}&api_name=HTTP", (http, "RELEASE"), (http, "TEST"));
        await AssertApis(host, $"/throttle-bindings/binded-apis?throttle_id={throttle}&offset=1&limit=1", (http, "TEST"));
    }

    [Fact]
    public async Task A_binding_outlives_taking_the_api_offline()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var throttle = await host.CreateThrottleAsync("throttle_demo");
        var api = await host.CreateApiAsync("bound_api");
        var publishId = await host.PublishAsync(api);
        await host.BindThrottleAsync(throttle, publishId);
        await host.PublishAsync(api, action: "offline");
        using (var bound = await host.GetAsync($"/throttle-bindings/binded-apis?throttle_id={throttle}"))
        {
            Assert.Equal(publishId, bound.Json.GetProperty("apis")[0].GetProperty("publish_id").GetString());
        }

        // Back online: the current publication is shown.
        var republished = await host.PublishAsync(api);
        using var again = await host.GetAsync($"/throttle-bindings/binded-apis?throttle_id={throttle}");
        Assert.Equal(republished, again.Json.GetProperty("apis")[0].GetProperty("publish_id").GetString());
    }

    [Fact]
    public async Task Unbound_apis_are_the_published_ones_not_bound_to_the_policy()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var throttle = await host.CreateThrottleAsync("throttle_demo");
        var other = await host.CreateThrottleAsync("other_policy");
        var test = await host.CreateEnvironmentAsync("TEST");
        var bound = await host.CreateApiAsync("Api_bound");
        var elsewhere = await host.CreateApiAsync("Api_elsewhere");
        await host.CreateApiAsync("Api_draft");
        var free = await host.CreateApiAsync("Api_free");
        await host.BindThrottleAsync(throttle, await host.PublishAsync(bound));
        var boundInTest = await host.PublishAsync(bound, test);
        var otherBindings = await host.BindThrottleAsync(other, await host.PublishAsync(elsewhere));
        var freePublication = await host.PublishAsync(free);

        using var reply = await host.GetAsync($"/throttle-bindings/unbinded-apis?throttle_id={throttle}");
        reply.ShouldBe(HttpStatusCode.OK);
        var items = reply.Json.GetProperty("apis").EnumerateArray().ToList();
        Assert.Equal([(bound, "TEST"), (elsewhere, "RELEASE"), (free, "RELEASE")], items.Select(i => (i.GetProperty("id").GetString(), i.GetProperty("run_env_name").GetString())));
        Assert.Equal(boundInTest, items[0].GetProperty("publish_id").GetString());
        Assert.False(items[0].TryGetProperty("throttle_name", out _));

        // An API bound to another policy there shows that policy.
        Assert.Equal("other_policy", items[1].GetProperty("throttle_name").GetString());
        Assert.Equal(otherBindings[0], items[1].GetProperty("throttle_apply_id").GetString());
        Assert.Equal(freePublication, items[2].GetProperty("publish_id").GetString());

        await AssertApis(host, $"/throttle-bindings/unbinded-apis?throttle_id={throttle}&env_id={PolicyTestHost.Release}", (elsewhere, "RELEASE"), (free, "RELEASE"));
        await AssertApis(host, $"/throttle-bindings/unbinded-apis?throttle_id={throttle}&api_name=free", (free, "RELEASE"));
        await AssertApis(host, $"/throttle-bindings/unbinded-apis?throttle_id={throttle}&api_id={bound}", (bound, "TEST"));
        await AssertApis(host, $"/throttle-bindings/unbinded-apis?throttle_id={throttle}&limit=1&offset=2", (free, "RELEASE"));
    }

    [Theory]
    [InlineData("binded-apis")]
    [InlineData("unbinded-apis")]
    public async Task Api_lists_need_an_existing_policy(string list)
    {
        await using var host = await PolicyTestHost.StartAsync();
        using (var missing = await host.GetAsync($"/throttle-bindings/{list}"))
        {
            missing.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "throttle_id");
        }

        using (var malformed = await host.GetAsync($"/throttle-bindings/{list}?throttle_id=a%20b"))
        {
            malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "throttle_id");
        }

        using var unknown = await host.GetAsync($"/throttle-bindings/{list}?throttle_id=3437448ad06f4e0c91a224183116e965");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3005");
    }

    [Fact]
    public async Task Bound_throttles_list_the_policies_of_an_api_with_environment_and_binding()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var first = await host.CreateThrottleAsync("first_policy");
        var second = await host.CreateThrottleAsync("second_policy");
        var test = await host.CreateEnvironmentAsync("TEST");
        var api = await host.CreateApiAsync("bound_api");
        var bindings = await host.BindThrottleAsync(first, await host.PublishAsync(api));
        await host.BindThrottleAsync(second, await host.PublishAsync(api, test));

        using var reply = await host.GetAsync($"/throttle-bindings/binded-throttles?api_id={api}");
        reply.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(2, reply.Json.GetProperty("total").GetInt64());
        var item = reply.Json.GetProperty("throttles")[0];
        string[] expected =
        [
            "id", "name", "api_call_limits", "user_call_limits", "app_call_limits", "ip_call_limits", "time_interval", "time_unit",
            "type", "enable_adaptive_control", "bind_num", "is_inclu_special_throttle", "create_time", "env_name", "bind_id", "bind_time",
        ];
        Assert.Equal(expected.Order(), item.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(first, item.GetProperty("id").GetString());
        Assert.Equal("RELEASE", item.GetProperty("env_name").GetString());
        Assert.Equal(bindings[0], item.GetProperty("bind_id").GetString());
        Assert.Equal(1, item.GetProperty("bind_num").GetInt32());
        Assert.Equal(2, item.GetProperty("is_inclu_special_throttle").GetInt32());
        Assert.Equal(800, item.GetProperty("api_call_limits").GetInt32());

        await AssertThrottles(host, $"/throttle-bindings/binded-throttles?api_id={api}&env_id={test}", "second_policy");
        await AssertThrottles(host, $"/throttle-bindings/binded-throttles?api_id={api}&throttle_id={first}", "first_policy");
        await AssertThrottles(host, $"/throttle-bindings/binded-throttles?api_id={api}&throttle_name=SECOND", "second_policy");
        await AssertThrottles(host, $"/throttle-bindings/binded-throttles?api_id={api}&offset=1", "second_policy");

        using (var missing = await host.GetAsync("/throttle-bindings/binded-throttles"))
        {
            missing.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "api_id");
        }

        using var unknown = await host.GetAsync("/throttle-bindings/binded-throttles?api_id=5f918d104dc84480a75166ba99efff21");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3002");
    }

    [Fact]
    public async Task Bindings_go_with_their_environment_and_their_api()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var throttle = await host.CreateThrottleAsync("throttle_demo");
        var test = await host.CreateEnvironmentAsync("TEST");
        var kept = await host.CreateApiAsync("kept_api");
        var doomed = await host.CreateApiAsync("doomed_api");
        await host.BindThrottleAsync(throttle, await host.PublishAsync(kept), await host.PublishAsync(kept, test), await host.PublishAsync(doomed));

        await host.PublishAsync(kept, test, "offline");
        using (var deletedEnvironment = await host.DeleteAsync($"/envs/{test}"))
        {
            deletedEnvironment.ShouldBe(HttpStatusCode.NoContent);
        }

        await host.PublishAsync(doomed, action: "offline");
        using (var deletedApi = await host.DeleteAsync($"/apis/{doomed}"))
        {
            deletedApi.ShouldBe(HttpStatusCode.NoContent);
        }

        await AssertApis(host, $"/throttle-bindings/binded-apis?throttle_id={throttle}", (kept, "RELEASE"));
        Assert.Single(await host.StoredKeysAsync("throttle-bindings"));
        using var shown = await host.GetAsync($"/throttles/{throttle}");
        Assert.Equal(1, shown.Json.GetProperty("bind_num").GetInt32());
    }

    private static async Task AssertApis(PolicyTestHost host, string path, params (string Id, string Env)[] expected)
    {
        using var reply = await host.GetAsync(path);
        reply.ShouldBe(HttpStatusCode.OK);
        var items = reply.Json.GetProperty("apis").EnumerateArray().Select(i => (i.GetProperty("id").GetString()!, i.GetProperty("run_env_name").GetString()!)).ToArray();
        Assert.Equal(expected, items);
        Assert.Equal(expected.Length, reply.Json.GetProperty("size").GetInt32());
    }

    private static async Task AssertThrottles(PolicyTestHost host, string path, params string[] expected)
    {
        using var reply = await host.GetAsync(path);
        reply.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(expected, reply.Json.GetProperty("throttles").EnumerateArray().Select(t => t.GetProperty("name").GetString()!));
    }
}
