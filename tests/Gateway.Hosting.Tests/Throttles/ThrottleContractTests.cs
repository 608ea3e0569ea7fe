using System.Net;

namespace Gateway.Hosting.Tests.Throttles;

/// <summary>3.4 throttling policies over HTTP.</summary>
public sealed class ThrottleContractTests
{
    private const string Example = """
        {"api_call_limits":800,"app_call_limits":300,"enable_adaptive_control":"FALSE","ip_call_limits":600,"name":"throttle_demo",
         "remark":"Total: 800 calls/second","time_interval":1,"time_unit":"SECOND","type":1,"user_call_limits":500}
        """;

    private static readonly string[] PolicyFields =
    [
        "id", "name", "api_call_limits", "user_call_limits", "app_call_limits", "ip_call_limits", "time_interval", "time_unit",
        "remark", "type", "enable_adaptive_control", "bind_num", "is_inclu_special_throttle", "create_time",
    ];

    private static string Body(string patch) => Apis.ApiTestHost.With(Example, patch);

    [Fact]
    public async Task Create_answers_201_with_the_documented_policy()
    {
        await using var host = await PolicyTestHost.StartAsync();
        using var reply = await host.PostAsync("/throttles", Example);
        reply.ShouldBe(HttpStatusCode.Created);
        var policy = reply.Json;
        Assert.Equal(PolicyFields.Order(), policy.EnumerateObject().Select(p => p.Name).Order());
        Assert.Matches("^[0-9a-f]{32}$", policy.GetProperty("id").GetString());
        Assert.Equal("throttle_demo", policy.GetProperty("name").GetString());
        Assert.Equal(800, policy.GetProperty("api_call_limits").GetInt32());
        Assert.Equal(500, policy.GetProperty("user_call_limits").GetInt32());
        Assert.Equal(300, policy.GetProperty("app_call_limits").GetInt32());
        Assert.Equal(600, policy.GetProperty("ip_call_limits").GetInt32());
        Assert.Equal(1, policy.GetProperty("time_interval").GetInt32());
        Assert.Equal("SECOND", policy.GetProperty("time_unit").GetString());
        Assert.Equal(1, policy.GetProperty("type").GetInt32());
        Assert.Equal("FALSE", policy.GetProperty("enable_adaptive_control").GetString());
        Assert.Equal(0, policy.GetProperty("bind_num").GetInt32());
        Assert.Equal(2, policy.GetProperty("is_inclu_special_throttle").GetInt32());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$", policy.GetProperty("create_time").GetString());
    }

    [Fact]
    public async Task Optional_members_default_as_documented_and_absent_limits_are_left_out()
    {
        await using var host = await PolicyTestHost.StartAsync();
        using var reply = await host.PostAsync("/throttles", """{"name":"minimal","api_call_limits":10,"time_interval":5,"time_unit":"MINUTE"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(1, reply.Json.GetProperty("type").GetInt32());
        Assert.Equal("FALSE", reply.Json.GetProperty("enable_adaptive_control").GetString());
        Assert.False(reply.Json.TryGetProperty("user_call_limits", out _));
        Assert.False(reply.Json.TryGetProperty("app_call_limits", out _));
        Assert.False(reply.Json.TryGetProperty("ip_call_limits", out _));
        Assert.False(reply.Json.TryGetProperty("remark", out _));
    }

    [Fact]
    public async Task The_printed_request_name_app_calls_is_read_as_app_call_limits()
    {
        await using var host = await PolicyTestHost.StartAsync();
        using var reply = await host.PostAsync("/throttles", Body("""{"app_call_limits": null, "app_calls": 250}"""));
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(250, reply.Json.GetProperty("app_call_limits").GetInt32());
        Assert.False(reply.Json.TryGetProperty("app_calls", out _));
    }

    [Fact]
    public async Task Every_limit_may_be_the_largest_documented_value()
    {
        await using var host = await PolicyTestHost.StartAsync();
        const string patch = """{"api_call_limits": 2147483647, "user_call_limits": 2147483647, "app_call_limits": 2147483647, "ip_call_limits": 2147483647, "time_interval": 2147483647}""";
        using var reply = await host.PostAsync("/throttles", Body(patch));
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(int.MaxValue, reply.Json.GetProperty("app_call_limits").GetInt32());
    }

    [Theory]
    [InlineData("""{"name": null}""", "APIG.2001", "name")]
    [InlineData("""{"name": "ab"}""", "APIG.2011", "name")]
    [InlineData("""{"name": "1throttle"}""", "APIG.2011", "name")]
    [InlineData("""{"name": "_throttle"}""", "APIG.2011", "name")]
    [InlineData("""{"name": "throttle-demo"}""", "APIG.2011", "name")]
    [InlineData("""{"name": "@a65"}""", "APIG.2003", "name")]
    [InlineData("""{"api_call_limits": null}""", "APIG.2001", "api_call_limits")]
    [InlineData("""{"api_call_limits": 0}""", "APIG.2004", "api_call_limits")]
    [InlineData("""{"api_call_limits": -5}""", "APIG.2004", "api_call_limits")]
    [InlineData("""{"api_call_limits": 2147483648}""", "APIG.2003", "api_call_limits")]
    [InlineData("""{"api_call_limits": "many"}""", "APIG.2012", "api_call_limits")]
    [InlineData("""{"api_call_limits": 1.5}""", "APIG.2012", "api_call_limits")]
    [InlineData("""{"user_call_limits": 0}""", "APIG.2004", "user_call_limits")]
    [InlineData("""{"user_call_limits": 801}""", "APIG.2003", "user_call_limits")]
    [InlineData("""{"app_call_limits": 501}""", "APIG.2003", "app_call_limits")]
    [InlineData("""{"user_call_limits": null, "app_call_limits": 801}""", "APIG.2003", "app_call_limits")]
    [InlineData("""{"app_call_limits": -1}""", "APIG.2004", "app_call_limits")]
    [InlineData("""{"ip_call_limits": 801}""", "APIG.2003", "ip_call_limits")]
    [InlineData("""{"ip_call_limits": 0}""", "APIG.2004", "ip_call_limits")]
    [InlineData("""{"ip_call_limits": 2147483648}""", "APIG.2003", "ip_call_limits")]
    [InlineData("""{"time_interval": null}""", "APIG.2001", "time_interval")]
    [InlineData("""{"time_interval": 0}""", "APIG.2004", "time_interval")]
    [InlineData("""{"time_interval": 2147483648}""", "APIG.2003", "time_interval")]
    [InlineData("""{"time_unit": null}""", "APIG.2001", "time_unit")]
    [InlineData("""{"time_unit": "WEEK"}""", "APIG.2011", "time_unit")]
    [InlineData("""{"time_unit": "second"}""", "APIG.2011", "time_unit")]
    [InlineData("""{"type": 3}""", "APIG.2011", "type")]
    [InlineData("""{"type": 0}""", "APIG.2011", "type")]
    [InlineData("""{"enable_adaptive_control": "YES"}""", "APIG.2011", "enable_adaptive_control")]
    [InlineData("""{"remark": "@r256"}""", "APIG.2003", "remark")]
    public async Task Create_and_update_reject_each_broken_rule(string patch, string code, string parameter)
    {
        await using var host = await PolicyTestHost.StartAsync();
        using (var created = await host.PostAsync("/throttles", Body(patch)))
        {
            created.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
        }

        var id = await host.CreateThrottleAsync("existing");
        using (var updated = await host.PutAsync($"/throttles/{id}", Body(patch)))
        {
            updated.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
        }

        using var list = await host.GetAsync("/throttles");
        Assert.Equal(1, list.Json.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Boundary_values_are_accepted()
    {
        await using var host = await PolicyTestHost.StartAsync();
        foreach (var (patch, index) in new[]
        {
            """{"remark": "@r255"}""", """{"name": "@a64"}""", """{"name": "限流策略"}""", """{"name": "abc"}""",
            """{"type": 2}""", """{"enable_adaptive_control": "TRUE"}""", """{"time_unit": "DAY"}""", """{"time_unit": "HOUR"}""",
            """{"user_call_limits": 800, "app_call_limits": 800, "ip_call_limits": 800}""",
        }.Select((patch, index) => (patch, index)))
        {
            var named = patch.Contains("\"name\"", StringComparison.Ordinal) ? patch : Apis.ApiTestHost.With(patch, $$"""{"name": "policy_{{index}}"}""");
            using var reply = await host.PostAsync("/throttles", Body(named));
            reply.ShouldBe(HttpStatusCode.Created);
        }
    }

    [Fact]
    public async Task Names_are_unique_in_the_instance()
    {
        await using var host = await PolicyTestHost.StartAsync();
        await host.CreateThrottleAsync("throttle_demo");
        var other = await host.CreateThrottleAsync("throttle_other");
        using (var duplicate = await host.PostAsync("/throttles", Example))
        {
            duplicate.ShouldFail(HttpStatusCode.BadRequest, "APIG.3204");
        }

        using (var renamed = await host.PutAsync($"/throttles/{other}", Example))
        {
            renamed.ShouldFail(HttpStatusCode.BadRequest, "APIG.3204");
        }

        // Names compare exactly: another case is another name.
        using var otherCase = await host.PostAsync("/throttles", Body("""{"name": "THROTTLE_DEMO"}"""));
        otherCase.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Update_replaces_the_definition_and_keeps_identity_and_creation_time()
    {
        await using var host = await PolicyTestHost.StartAsync();
        using var created = await host.PostAsync("/throttles", Example);
        var id = created.Json.GetProperty("id").GetString();
        using var updated = await host.PutAsync($"/throttles/{id}", """{"name":"throttle_demo","api_call_limits":100,"time_interval":2,"time_unit":"MINUTE","type":2}""");
        updated.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(id, updated.Json.GetProperty("id").GetString());
        Assert.Equal(created.Json.GetProperty("create_time").GetString(), updated.Json.GetProperty("create_time").GetString());
        Assert.Equal(100, updated.Json.GetProperty("api_call_limits").GetInt32());
        Assert.Equal(2, updated.Json.GetProperty("type").GetInt32());
        Assert.Equal("MINUTE", updated.Json.GetProperty("time_unit").GetString());
        Assert.False(updated.Json.TryGetProperty("user_call_limits", out _));
        Assert.Equal(0, updated.Json.GetProperty("bind_num").GetInt32());

        using var shown = await host.GetAsync($"/throttles/{id}");
        shown.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(updated.Body, shown.Body);
    }

    [Fact]
    public async Task Unknown_policies_are_404_APIG_3005_and_malformed_ids_400()
    {
        await using var host = await PolicyTestHost.StartAsync();
        const string missing = "3437448ad06f4e0c91a224183116e965";
        using (var shown = await host.GetAsync($"/throttles/{missing}"))
        {
            shown.ShouldFail(HttpStatusCode.NotFound, "APIG.3005", missing);
        }

        using (var updated = await host.PutAsync($"/throttles/{missing}", Example))
        {
            updated.ShouldFail(HttpStatusCode.NotFound, "APIG.3005");
        }

        using (var deleted = await host.DeleteAsync($"/throttles/{missing}"))
        {
            deleted.ShouldFail(HttpStatusCode.NotFound, "APIG.3005");
        }

        using var malformed = await host.GetAsync("/throttles/not$an$id");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "throttle_id");
    }

    [Fact]
    public async Task An_unknown_instance_is_404_APIG_3030()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var other = $"/v2/{Apig.ApigTestHost.ProjectId}/apigw/instances/00000000000000000000000000000000";
        using var created = await host.PostAsync($"{other}/throttles", Example);
        created.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");
        using var list = await host.GetAsync($"{other}/throttles");
        list.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");
    }

    [Fact]
    public async Task List_pages_filters_and_counts()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var ids = new List<string>();
        foreach (var name in new[] { "alpha_policy", "beta_policy", "alpha", "gamma_rule" })
        {
            ids.Add(await host.CreateThrottleAsync(name));
        }

        using (var all = await host.GetAsync("/throttles"))
        {
            all.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(4, all.Json.GetProperty("total").GetInt64());
            Assert.Equal(4, all.Json.GetProperty("size").GetInt32());
            Assert.Equal(ids, all.Json.GetProperty("throttles").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            // Created without a remark, so the remark is left out.
            Assert.All(all.Json.GetProperty("throttles").EnumerateArray(), t => Assert.Equal(PolicyFields.Where(f => f != "remark").Order(), t.EnumerateObject().Select(p => p.Name).Order()));
        }

        await AssertNames(host, "/throttles?name=ALPHA", "alpha_policy", "alpha");
        await AssertNames(host, "/throttles?name=alpha&precise_search=name", "alpha");
        await AssertNames(host, $"/throttles?id={ids[2]}", "alpha");
        await AssertNames(host, "/throttles?offset=1&limit=2", "beta_policy", "alpha");
        await AssertNames(host, "/throttles?offset=-3&limit=0", "alpha_policy", "beta_policy", "alpha", "gamma_rule");
        await AssertNames(host, "/throttles?offset=3&limit=900", "gamma_rule");
        await AssertNames(host, "/throttles?offset=9");
        using var paged = await host.GetAsync("/throttles?offset=1&limit=2");
        Assert.Equal(4, paged.Json.GetProperty("total").GetInt64());
        Assert.Equal(2, paged.Json.GetProperty("size").GetInt32());

        using var badOffset = await host.GetAsync("/throttles?offset=x");
        badOffset.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "offset");
    }

    [Fact]
    public async Task Bind_count_and_special_flag_follow_bindings_and_special_settings()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var throttle = await host.CreateThrottleAsync("counted");
        var test = await host.CreateEnvironmentAsync("TEST");
        var first = await host.CreateApiAsync("first_api");
        var second = await host.CreateApiAsync("second_api");
        await host.BindThrottleAsync(throttle, await host.PublishAsync(first), await host.PublishAsync(first, test), await host.PublishAsync(second));
        using (var special = await host.PostAsync($"/throttles/{throttle}/throttle-specials", """{"call_limits": 100, "object_id": "tenant01", "object_type": "USER"}"""))
        {
            special.ShouldBe(HttpStatusCode.Created);
        }

        using var shown = await host.GetAsync($"/throttles/{throttle}");
        Assert.Equal(2, shown.Json.GetProperty("bind_num").GetInt32());
        Assert.Equal(1, shown.Json.GetProperty("is_inclu_special_throttle").GetInt32());
        using var listed = await host.GetAsync("/throttles");
        Assert.Equal(2, listed.Json.GetProperty("throttles")[0].GetProperty("bind_num").GetInt32());
        Assert.Equal(1, listed.Json.GetProperty("throttles")[0].GetProperty("is_inclu_special_throttle").GetInt32());
    }

    [Fact]
    public async Task Delete_removes_the_policy_with_its_bindings_and_special_settings()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var throttle = await host.CreateThrottleAsync("doomed");
        var kept = await host.CreateThrottleAsync("kept");
        var api = await host.CreateApiAsync("bound_api");
        var other = await host.CreateApiAsync("other_api");
        var bindings = await host.BindThrottleAsync(throttle, await host.PublishAsync(api));
        await host.BindThrottleAsync(kept, await host.PublishAsync(other));
        await host.SeedAppAsync("356de8eb7a8742168586e5daf5339965", "app_demo");
        using (var special = await host.PostAsync($"/throttles/{throttle}/throttle-specials", """{"call_limits": 150, "object_id": "356de8eb7a8742168586e5daf5339965", "object_type": "APP"}"""))
        {
            special.ShouldBe(HttpStatusCode.Created);
        }

        using (var deleted = await host.DeleteAsync($"/throttles/{throttle}"))
        {
            deleted.ShouldBe(HttpStatusCode.NoContent);
            Assert.Equal("", deleted.Body);
        }

        using (var shown = await host.GetAsync($"/throttles/{throttle}"))
        {
            shown.ShouldFail(HttpStatusCode.NotFound, "APIG.3005");
        }

        using (var unbound = await host.DeleteAsync($"/throttle-bindings/{bindings[0]}"))
        {
            unbound.ShouldFail(HttpStatusCode.NotFound, "APIG.3012");
        }

        using (var boundToApi = await host.GetAsync($"/throttle-bindings/binded-throttles?api_id={api}"))
        {
            Assert.Equal(0, boundToApi.Json.GetProperty("total").GetInt64());
        }

        Assert.Empty(await host.StoredKeysAsync("throttle-specials"));
        Assert.Single(await host.StoredKeysAsync("throttle-bindings"));

        // The API is free for another policy now.
        using var shownApi = await host.GetAsync($"/apis/{api}");
        await host.BindThrottleAsync(kept, shownApi.Json.GetProperty("publish_id").GetString()!);
    }

    private static async Task AssertNames(PolicyTestHost host, string path, params string[] expected)
    {
        using var reply = await host.GetAsync(path);
        reply.ShouldBe(HttpStatusCode.OK);
        var names = reply.Json.GetProperty("throttles").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(expected, names);
        Assert.Equal(expected.Length, reply.Json.GetProperty("size").GetInt32());
    }
}
