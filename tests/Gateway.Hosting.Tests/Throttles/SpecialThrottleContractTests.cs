using System.Net;

namespace Gateway.Hosting.Tests.Throttles;

/// <summary>3.9 special throttling settings over HTTP.</summary>
public sealed class SpecialThrottleContractTests
{
    private const string AppId = "356de8eb7a8742168586e5daf5339965";

    private static readonly string[] SpecialFields =
        ["id", "call_limits", "apply_time", "app_name", "app_id", "object_id", "object_type", "object_name", "throttle_id"];

    private static async Task<(PolicyTestHost Host, string Throttle)> StartAsync()
    {
        var host = await PolicyTestHost.StartAsync();
        await host.SeedAppAsync(AppId, "app_demo");
        return (host, await host.CreateThrottleAsync("throttle_demo"));
    }

    [Fact]
    public async Task Create_for_an_app_answers_201_with_the_app()
    {
        var (host, throttle) = await StartAsync();
        await using var disposing = host;
        using var reply = await host.PostAsync($"/throttles/{throttle}/throttle-specials", $$"""{"call_limits": 150, "object_id": "{{AppId}}", "object_type": "APP"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        var special = reply.Json;
        Assert.Equal(SpecialFields.Order(), special.EnumerateObject().Select(p => p.Name).Order());
        Assert.Matches("^[0-9a-f]{32}$", special.GetProperty("id").GetString());
        Assert.Equal(150, special.GetProperty("call_limits").GetInt32());
        Assert.Equal("app_demo", special.GetProperty("app_name").GetString());
        Assert.Equal("app_demo", special.GetProperty("object_name").GetString());
        Assert.Equal(AppId, special.GetProperty("app_id").GetString());
        Assert.Equal(AppId, special.GetProperty("object_id").GetString());
        Assert.Equal("APP", special.GetProperty("object_type").GetString());
        Assert.Equal(throttle, special.GetProperty("throttle_id").GetString());
        Assert.False(string.IsNullOrEmpty(special.GetProperty("apply_time").GetString()));
    }

    [Fact]
    public async Task Create_for_a_tenant_names_it_by_its_account_id()
    {
        var (host, throttle) = await StartAsync();
        await using var disposing = host;
        using var reply = await host.PostAsync($"/throttles/{throttle}/throttle-specials", """{"call_limits": 800, "object_id": "tenant_0815", "object_type": "USER"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("tenant_0815", reply.Json.GetProperty("object_name").GetString());
        Assert.Equal("USER", reply.Json.GetProperty("object_type").GetString());
        Assert.False(reply.Json.TryGetProperty("app_id", out _));
        Assert.False(reply.Json.TryGetProperty("app_name", out _));
    }

    [Theory]
    [InlineData("""{"object_id": "tenant", "object_type": "USER"}""", "APIG.2001", "call_limits")]
    [InlineData("""{"call_limits": 0, "object_id": "tenant", "object_type": "USER"}""", "APIG.2004", "call_limits")]
    [InlineData("""{"call_limits": -3, "object_id": "tenant", "object_type": "USER"}""", "APIG.2004", "call_limits")]
    [InlineData("""{"call_limits": 2147483648, "object_id": "tenant", "object_type": "USER"}""", "APIG.2003", "call_limits")]
    [InlineData("""{"call_limits": "lots", "object_id": "tenant", "object_type": "USER"}""", "APIG.2012", "call_limits")]
    [InlineData("""{"call_limits": 1, "object_type": "USER"}""", "APIG.2001", "object_id")]
    [InlineData("""{"call_limits": 1, "object_id": "@a65", "object_type": "USER"}""", "APIG.2003", "object_id")]
    [InlineData("""{"call_limits": 1, "object_id": "a tenant", "object_type": "USER"}""", "APIG.2012", "object_id")]
    [InlineData("""{"call_limits": 1, "object_id": "tenant"}""", "APIG.2001", "object_type")]
    [InlineData("""{"call_limits": 1, "object_id": "tenant", "object_type": "GROUP"}""", "APIG.2011", "object_type")]
    [InlineData("""{"call_limits": 1, "object_id": "tenant", "object_type": "user"}""", "APIG.2011", "object_type")]
    public async Task Create_rejects_each_broken_rule(string body, string code, string parameter)
    {
        var (host, throttle) = await StartAsync();
        await using var disposing = host;
        using var reply = await host.PostAsync($"/throttles/{throttle}/throttle-specials", Apis.ApiTestHost.With("{}", body));
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
        Assert.Empty(await host.StoredKeysAsync("throttle-specials"));
    }

    [Theory]
    // The policy: api 800, user 500, app 300. A special APP may exceed app_call_limits but not user_call_limits.
    [InlineData("APP", 500, true)]
    [InlineData("APP", 501, false)]
    [InlineData("USER", 800, true)]
    [InlineData("USER", 801, false)]
    public async Task A_special_limit_nests_in_the_limit_above_the_one_it_overrides(string objectType, int callLimits, bool accepted)
    {
        var (host, throttle) = await StartAsync();
        await using var disposing = host;
        var objectId = objectType == "APP" ? AppId : "tenant";
        using var reply = await host.PostAsync($"/throttles/{throttle}/throttle-specials", $$"""{"call_limits": {{callLimits}}, "object_id": "{{objectId}}", "object_type": "{{objectType}}"}""");
        if (accepted)
        {
            reply.ShouldBe(HttpStatusCode.Created);
        }
        else
        {
            reply.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "call_limits");
        }
    }

    [Fact]
    public async Task Without_a_user_limit_a_special_app_limit_nests_in_the_api_limit()
    {
        var (host, _) = await StartAsync();
        await using var disposing = host;
        var throttle = await host.CreateThrottleAsync("api_only", """ "api_call_limits": 100 """);
        using (var within = await host.PostAsync($"/throttles/{throttle}/throttle-specials", $$"""{"call_limits": 100, "object_id": "{{AppId}}", "object_type": "APP"}"""))
        {
            within.ShouldBe(HttpStatusCode.Created);
        }

        using var above = await host.PostAsync($"/throttles/{throttle}/throttle-specials", """{"call_limits": 101, "object_id": "tenant", "object_type": "USER"}""");
        above.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "call_limits");
    }

    [Fact]
    public async Task Unknown_apps_and_policies_are_404()
    {
        var (host, throttle) = await StartAsync();
        await using var disposing = host;
        using (var app = await host.PostAsync($"/throttles/{throttle}/throttle-specials", """{"call_limits": 10, "object_id": "0000000000000000000000000000abcd", "object_type": "APP"}"""))
        {
            app.ShouldFail(HttpStatusCode.NotFound, "APIG.3004", "0000000000000000000000000000abcd");
        }

        const string missing = "3437448ad06f4e0c91a224183116e965";
        using (var created = await host.PostAsync($"/throttles/{missing}/throttle-specials", $$"""{"call_limits": 10, "object_id": "{{AppId}}", "object_type": "APP"}"""))
        {
            created.ShouldFail(HttpStatusCode.NotFound, "APIG.3005");
        }

        using var listed = await host.GetAsync($"/throttles/{missing}/throttle-specials");
        listed.ShouldFail(HttpStatusCode.NotFound, "APIG.3005");
    }

    [Fact]
    public async Task One_setting_per_object_and_policy()
    {
        var (host, throttle) = await StartAsync();
        await using var disposing = host;
        var other = await host.CreateThrottleAsync("other_policy");
        var body = $$"""{"call_limits": 10, "object_id": "{{AppId}}", "object_type": "APP"}""";
        using (var first = await host.PostAsync($"/throttles/{throttle}/throttle-specials", body))
        {
            first.ShouldBe(HttpStatusCode.Created);
        }

        using (var duplicate = await host.PostAsync($"/throttles/{throttle}/throttle-specials", body))
        {
            duplicate.ShouldFail(HttpStatusCode.BadRequest, "APIG.3308");
        }

        // The same id as a tenant is another object; the same APP in another policy is another setting.
        using (var asTenant = await host.PostAsync($"/throttles/{throttle}/throttle-specials", $$"""{"call_limits": 10, "object_id": "{{AppId}}", "object_type": "USER"}"""))
        {
            asTenant.ShouldBe(HttpStatusCode.Created);
        }

        using var elsewhere = await host.PostAsync($"/throttles/{other}/throttle-specials", body);
        elsewhere.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Update_changes_the_limit_and_keeps_the_setting_time()
    {
        var (host, throttle) = await StartAsync();
        await using var disposing = host;
        using var created = await host.PostAsync($"/throttles/{throttle}/throttle-specials", $$"""{"call_limits": 150, "object_id": "{{AppId}}", "object_type": "APP"}""");
        var id = created.Json.GetProperty("id").GetString();
        using (var updated = await host.PutAsync($"/throttles/{throttle}/throttle-specials/{id}", """{"call_limits": 200}"""))
        {
            updated.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(200, updated.Json.GetProperty("call_limits").GetInt32());
            Assert.Equal(created.Json.GetProperty("apply_time").GetString(), updated.Json.GetProperty("apply_time").GetString());
            Assert.Equal(id, updated.Json.GetProperty("id").GetString());
            Assert.Equal("app_demo", updated.Json.GetProperty("app_name").GetString());
        }

        using (var tooLarge = await host.PutAsync($"/throttles/{throttle}/throttle-specials/{id}", """{"call_limits": 501}"""))
        {
            tooLarge.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "call_limits");
        }

        using (var missingLimit = await host.PutAsync($"/throttles/{throttle}/throttle-specials/{id}", "{}"))
        {
            missingLimit.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "call_limits");
        }

        using (var unknown = await host.PutAsync($"/throttles/{throttle}/throttle-specials/a3e9ff8db55544ed9db91d8b048770c0", """{"call_limits": 1}"""))
        {
            unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3013", "a3e9ff8db55544ed9db91d8b048770c0");
        }

        // A setting is addressed through its own policy only.
        var other = await host.CreateThrottleAsync("other_policy");
        using var throughOther = await host.PutAsync($"/throttles/{other}/throttle-specials/{id}", """{"call_limits": 1}""");
        throughOther.ShouldFail(HttpStatusCode.NotFound, "APIG.3013");
    }

    [Fact]
    public async Task Delete_removes_one_setting()
    {
        var (host, throttle) = await StartAsync();
        await using var disposing = host;
        using var created = await host.PostAsync($"/throttles/{throttle}/throttle-specials", """{"call_limits": 5, "object_id": "tenant", "object_type": "USER"}""");
        var id = created.Json.GetProperty("id").GetString();
        using (var deleted = await host.DeleteAsync($"/throttles/{throttle}/throttle-specials/{id}"))
        {
            deleted.ShouldBe(HttpStatusCode.NoContent);
        }

        using (var again = await host.DeleteAsync($"/throttles/{throttle}/throttle-specials/{id}"))
        {
            again.ShouldFail(HttpStatusCode.NotFound, "APIG.3013");
        }

        using (var malformed = await host.DeleteAsync($"/throttles/{throttle}/throttle-specials/a%20b"))
        {
            malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "strategy_id");
        }

        using var shown = await host.GetAsync($"/throttles/{throttle}");
        Assert.Equal(2, shown.Json.GetProperty("is_inclu_special_throttle").GetInt32());
    }

    [Fact]
    public async Task List_pages_and_filters_by_type_app_name_and_user()
    {
        var (host, throttle) = await StartAsync();
        await using var disposing = host;
        await host.SeedAppAsync("0000000000000000000000000000beef", "billing_app");
        var other = await host.CreateThrottleAsync("other_policy");
        foreach (var body in new[]
        {
            $$"""{"call_limits": 1, "object_id": "{{AppId}}", "object_type": "APP"}""",
            """{"call_limits": 2, "object_id": "tenant_alpha", "object_type": "USER"}""",
            """{"call_limits": 3, "object_id": "0000000000000000000000000000beef", "object_type": "APP"}""",
            """{"call_limits": 4, "object_id": "tenant_beta", "object_type": "USER"}""",
        })
        {
            using var created = await host.PostAsync($"/throttles/{throttle}/throttle-specials", body);
            created.ShouldBe(HttpStatusCode.Created);
        }

        using (var elsewhere = await host.PostAsync($"/throttles/{other}/throttle-specials", """{"call_limits": 9, "object_id": "tenant_alpha", "object_type": "USER"}"""))
        {
            elsewhere.ShouldBe(HttpStatusCode.Created);
        }

        using (var all = await host.GetAsync($"/throttles/{throttle}/throttle-specials"))
        {
            all.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(4, all.Json.GetProperty("total").GetInt64());
            Assert.Equal(4, all.Json.GetProperty("size").GetInt32());
            Assert.Equal([1, 2, 3, 4], all.Json.GetProperty("throttle_specials").EnumerateArray().Select(s => s.GetProperty("call_limits").GetInt32()));
        }

        await AssertLimits(host, $"/throttles/{throttle}/throttle-specials?object_type=APP", 1, 3);
        await AssertLimits(host, $"/throttles/{throttle}/throttle-specials?object_type=USER", 2, 4);
        await AssertLimits(host, $"/throttles/{throttle}/throttle-specials?app_name=BILLING", 3);
        await AssertLimits(host, $"/throttles/{throttle}/throttle-specials?user=alpha", 2);
        await AssertLimits(host, $"/throttles/{throttle}/throttle-specials?offset=1&limit=2", 2, 3);
        await AssertLimits(host, $"/throttles/{throttle}/throttle-specials?limit=-1&offset=-1", 1, 2, 3, 4);

        using var invalid = await host.GetAsync($"/throttles/{throttle}/throttle-specials?object_type=ROBOT");
        invalid.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "object_type");
    }

    [Fact]
    public async Task A_renamed_app_shows_its_new_name()
    {
        var (host, throttle) = await StartAsync();
        await using var disposing = host;
        using (var created = await host.PostAsync($"/throttles/{throttle}/throttle-specials", $$"""{"call_limits": 1, "object_id": "{{AppId}}", "object_type": "APP"}"""))
        {
            created.ShouldBe(HttpStatusCode.Created);
        }

        await host.SeedAppAsync(AppId, "renamed_app");
        using var listed = await host.GetAsync($"/throttles/{throttle}/throttle-specials");
        var special = listed.Json.GetProperty("throttle_specials")[0];
        Assert.Equal("renamed_app", special.GetProperty("app_name").GetString());
        Assert.Equal("renamed_app", special.GetProperty("object_name").GetString());
    }

    private static async Task AssertLimits(PolicyTestHost host, string path, params int[] expected)
    {
        using var reply = await host.GetAsync(path);
        reply.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(expected, reply.Json.GetProperty("throttle_specials").EnumerateArray().Select(s => s.GetProperty("call_limits").GetInt32()));
        Assert.Equal(expected.Length, reply.Json.GetProperty("size").GetInt32());
    }
}
