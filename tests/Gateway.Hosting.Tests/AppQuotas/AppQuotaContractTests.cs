using System.Net;
using Gateway.Hosting.Tests.Apps;

namespace Gateway.Hosting.Tests.AppQuotas;

/// <summary>The REST contract of 3.29 credential quotas and of 3.28.13, the quota an APP is bound to.</summary>
public sealed class AppQuotaContractTests
{
    private const string DocumentedBody = """{"call_limits":1000,"name":"ClientQuota_demo","reset_time":"2020-09-20 00:00:00","time_interval":1,"time_unit":"DAY"}""";

    private static readonly string[] QuotaKeys =
        ["app_quota_id", "bound_app_num", "call_limits", "create_time", "name", "reset_time", "time_interval", "time_unit"];

    [Fact]
    public async Task Create_show_update_list_delete()
    {
        await using var host = await CredentialHost.StartAsync();
        using var created = await host.PostAsync("/app-quotas", DocumentedBody);
        created.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(QuotaKeys, CredentialHost.Keys(created.Json));
        var quotaId = created.Json.GetProperty("app_quota_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", quotaId);
        Assert.Equal(1000, created.Json.GetProperty("call_limits").GetInt32());
        Assert.Equal("DAY", created.Json.GetProperty("time_unit").GetString());
        Assert.Equal(1, created.Json.GetProperty("time_interval").GetInt32());
        Assert.Equal("2020-09-20 00:00:00", created.Json.GetProperty("reset_time").GetString());
        Assert.Equal("2025-03-01T08:30:00.0000000Z", created.Json.GetProperty("create_time").GetString());
        Assert.Equal(0, created.Json.GetProperty("bound_app_num").GetInt32());

        using var shown = await host.GetAsync($"/app-quotas/{quotaId}");
        shown.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(created.Body, shown.Body);

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        using var updated = await host.PutAsync($"/app-quotas/{quotaId}", """{"name":"renamed_quota","call_limits":5,"time_unit":"SECOND","time_interval":10,"remark":"five per ten seconds"}""");
        updated.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(QuotaKeys.Where(key => key != "reset_time").Append("remark").Order(StringComparer.Ordinal), CredentialHost.Keys(updated.Json));
        Assert.Equal("renamed_quota", updated.Json.GetProperty("name").GetString());
        Assert.Equal("five per ten seconds", updated.Json.GetProperty("remark").GetString());
        Assert.Equal("2025-03-01T08:30:00.0000000Z", updated.Json.GetProperty("create_time").GetString());

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        using var second = await host.PostAsync("/app-quotas", """{"name":"ClientQuota_two","call_limits":1,"time_unit":"HOUR","time_interval":2}""");
        var secondId = second.Json.GetProperty("app_quota_id").GetString()!;
        using var list = await host.GetAsync("/app-quotas");
        list.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["quotas", "size", "total"], CredentialHost.Keys(list.Json));
        Assert.Equal([secondId, quotaId], CredentialHost.Strings(list.Json.GetProperty("quotas"), "app_quota_id"));
        using var filtered = await host.GetAsync("/app-quotas?name=RENAMED");
        Assert.Equal([quotaId], CredentialHost.Strings(filtered.Json.GetProperty("quotas"), "app_quota_id"));
        using var page = await host.GetAsync("/app-quotas?offset=1&limit=1");
        Assert.Equal([quotaId], CredentialHost.Strings(page.Json.GetProperty("quotas"), "app_quota_id"));
        Assert.Equal(2, page.Json.GetProperty("total").GetInt64());

        using var deleted = await host.DeleteAsync($"/app-quotas/{quotaId}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        foreach (var (method, path) in new[] { ("GET", ""), ("DELETE", ""), ("GET", "/bound-apps"), ("GET", "/bindable-apps") })
        {
            using var gone = await host.Host.SendAsync(new HttpMethod(method), $"{host.Host.Instance}/app-quotas/{quotaId}{path}", null);
            gone.ShouldFail(HttpStatusCode.NotFound, "APIG.3093");
        }

        using var updateGone = await host.PutAsync($"/app-quotas/{quotaId}", DocumentedBody);
        updateGone.ShouldFail(HttpStatusCode.NotFound, "APIG.3093");
        using var bindGone = await host.PostAsync($"/app-quotas/{quotaId}/binding-apps", """{"app_ids":["0123456789abcdef0123456789abcdef"]}""");
        bindGone.ShouldFail(HttpStatusCode.NotFound, "APIG.3093");
        using var unbindGone = await host.DeleteAsync($"/app-quotas/{quotaId}/bound-apps/0123456789abcdef0123456789abcdef");
        unbindGone.ShouldFail(HttpStatusCode.NotFound, "APIG.3093");
    }

    [Theory]
    [InlineData("""{"call_limits":1,"time_unit":"DAY","time_interval":1}""", "APIG.2001", "name")]
    [InlineData("""{"name":"ab","call_limits":1,"time_unit":"DAY","time_interval":1}""", "APIG.2011", "name")]
    [InlineData("""{"name":"9abc","call_limits":1,"time_unit":"DAY","time_interval":1}""", "APIG.2011", "name")]
    [InlineData("""{"name":"ab-c","call_limits":1,"time_unit":"DAY","time_interval":1}""", "APIG.2011", "name")]
    [InlineData("""{"name":"a@256","call_limits":1,"time_unit":"DAY","time_interval":1}""", "APIG.2003", "name")]
    [InlineData("""{"name":"abc","time_unit":"DAY","time_interval":1}""", "APIG.2001", "call_limits")]
    [InlineData("""{"name":"abc","call_limits":0,"time_unit":"DAY","time_interval":1}""", "APIG.2004", "call_limits")]
    [InlineData("""{"name":"abc","call_limits":-5,"time_unit":"DAY","time_interval":1}""", "APIG.2004", "call_limits")]
    [InlineData("""{"name":"abc","call_limits":2147483648,"time_unit":"DAY","time_interval":1}""", "APIG.2012", "call_limits")]
    [InlineData("""{"name":"abc","call_limits":"10","time_unit":"DAY","time_interval":1}""", "APIG.2012", "call_limits")]
    [InlineData("""{"name":"abc","call_limits":1,"time_interval":1}""", "APIG.2001", "time_unit")]
    [InlineData("""{"name":"abc","call_limits":1,"time_unit":"WEEK","time_interval":1}""", "APIG.2011", "time_unit")]
    [InlineData("""{"name":"abc","call_limits":1,"time_unit":"day","time_interval":1}""", "APIG.2011", "time_unit")]
    [InlineData("""{"name":"abc","call_limits":1,"time_unit":"DAY"}""", "APIG.2001", "time_interval")]
    [InlineData("""{"name":"abc","call_limits":1,"time_unit":"DAY","time_interval":0}""", "APIG.2004", "time_interval")]
    [InlineData("""{"name":"abc","call_limits":1,"time_unit":"DAY","time_interval":1,"reset_time":"2020-09-20"}""", "APIG.2011", "reset_time")]
    [InlineData("""{"name":"abc","call_limits":1,"time_unit":"DAY","time_interval":1,"reset_time":"2020-09-20T00:00:00"}""", "APIG.2011", "reset_time")]
    [InlineData("""{"name":"abc","call_limits":1,"time_unit":"DAY","time_interval":1,"reset_time":"2020-13-20 00:00:00"}""", "APIG.2011", "reset_time")]
    [InlineData("""{"name":"abc","call_limits":1,"time_unit":"DAY","time_interval":1,"reset_time":"2020-09-20 24:00:00"}""", "APIG.2011", "reset_time")]
    [InlineData("""{"name":"abc","call_limits":1,"time_unit":"DAY","time_interval":1,"remark":"r@256"}""", "APIG.2003", "remark")]
    [InlineData("""{"name":"abc","call_limits":1,"time_unit":"DAY","time_interval":1,"remark":"a<b"}""", "APIG.2011", "remark")]
    [InlineData("""{"name":"abc","call_limits":1,"time_unit":"DAY","time_interval":1,"remark":"a>b"}""", "APIG.2011", "remark")]
    public async Task Create_and_update_reject_bad_input(string body, string code, string parameter)
    {
        await using var host = await CredentialHost.StartAsync();
        var expanded = System.Text.RegularExpressions.Regex.Replace(body, @"(.)@(\d+)", match =>
            new string(match.Groups[1].Value[0], int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
        using var created = await host.PostAsync("/app-quotas", expanded);
        created.ShouldFail(HttpStatusCode.BadRequest, code, parameter);

        using var existing = await host.PostAsync("/app-quotas", DocumentedBody);
        using var updated = await host.PutAsync($"/app-quotas/{existing.Json.GetProperty("app_quota_id").GetString()}", expanded);
        updated.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }

    [Fact]
    public async Task Limits_accept_the_documented_extremes_and_names_are_unique()
    {
        await using var host = await CredentialHost.StartAsync();
        using var extremes = await host.PostAsync("/app-quotas",
            $$"""{"name":"配额{{new string('_', 253)}}","call_limits":2147483647,"time_unit":"SECOND","time_interval":2147483647,"remark":"{{new string('r', 255)}}"}""");
        extremes.ShouldBe(HttpStatusCode.Created);

        using var first = await host.PostAsync("/app-quotas", DocumentedBody);
        first.ShouldBe(HttpStatusCode.Created);
        using var duplicate = await host.PostAsync("/app-quotas", DocumentedBody);
        duplicate.ShouldFail(HttpStatusCode.BadRequest, "APIG.3325");
        using var other = await host.PostAsync("/app-quotas", """{"name":"other_quota","call_limits":1,"time_unit":"DAY","time_interval":1}""");
        using var renameClash = await host.PutAsync($"/app-quotas/{other.Json.GetProperty("app_quota_id").GetString()}", DocumentedBody);
        renameClash.ShouldFail(HttpStatusCode.BadRequest, "APIG.3325");
        using var keepOwn = await host.PutAsync($"/app-quotas/{first.Json.GetProperty("app_quota_id").GetString()}", DocumentedBody);
        keepOwn.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Binding_apps_and_the_bound_and_bindable_views()
    {
        await using var host = await CredentialHost.StartAsync();
        var app1 = await host.CreateAppAsync("app_demo", ""","remark":"first" """);
        var app2 = await host.CreateAppAsync("app_test");
        var app3 = await host.CreateAppAsync("other_app");
        using var quota = await host.PostAsync("/app-quotas", DocumentedBody);
        var quotaId = quota.Json.GetProperty("app_quota_id").GetString()!;
        using var otherQuota = await host.PostAsync("/app-quotas", """{"name":"other_quota","call_limits":1,"time_unit":"DAY","time_interval":1}""");
        var otherQuotaId = otherQuota.Json.GetProperty("app_quota_id").GetString()!;

        using var unbound = await host.GetAsync($"/apps/{app1}/bound-quota");
        unbound.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("{}", unbound.Body);

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        using var bound = await host.PostAsync($"/app-quotas/{quotaId}/binding-apps", $$"""{"app_ids":["{{app1}}","{{app2}}","{{app1}}"]}""");
        bound.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(["applies"], CredentialHost.Keys(bound.Json));
        var applies = bound.Json.GetProperty("applies");
        Assert.Equal([app1, app2], CredentialHost.Strings(applies, "app_id"));
        Assert.Equal(["app_id", "app_quota_id", "bound_time"], CredentialHost.Keys(applies[0]));
        Assert.Equal(quotaId, applies[0].GetProperty("app_quota_id").GetString());
        Assert.Equal("2025-03-01T08:30:04.0000000Z", applies[0].GetProperty("bound_time").GetString());

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        using var rebound = await host.PostAsync($"/app-quotas/{quotaId}/binding-apps", $$"""{"app_ids":["{{app1}}"]}""");
        rebound.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("2025-03-01T08:30:04.0000000Z", rebound.Json.GetProperty("applies")[0].GetProperty("bound_time").GetString());

        using var elsewhere = await host.PostAsync($"/app-quotas/{otherQuotaId}/binding-apps", $$"""{"app_ids":["{{app3}}","{{app1}}"]}""");
        elsewhere.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "app_ids");
        using var unknown = await host.PostAsync($"/app-quotas/{otherQuotaId}/binding-apps", $$"""{"app_ids":["{{app3}}","0123456789abcdef0123456789abcdef"]}""");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3004");
        using var otherBound = await host.GetAsync($"/app-quotas/{otherQuotaId}/bound-apps");
        Assert.Equal(0, otherBound.Json.GetProperty("total").GetInt64());

        using var boundList = await host.GetAsync($"/app-quotas/{quotaId}/bound-apps");
        boundList.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["apps", "size", "total"], CredentialHost.Keys(boundList.Json));
        var boundApps = boundList.Json.GetProperty("apps");
        Assert.Equal(2, boundApps.GetArrayLength());
        var first = boundApps.EnumerateArray().Single(app => app.GetProperty("app_id").GetString() == app1);
        Assert.Equal(
            ["app_id", "app_key", "app_quota_id", "app_quota_name", "bound_time", "name", "register_time", "remark", "status", "update_time"],
            CredentialHost.Keys(first));
        Assert.Equal("ClientQuota_demo", first.GetProperty("app_quota_name").GetString());
        Assert.Equal("app_demo", first.GetProperty("name").GetString());
        Assert.Equal(1, first.GetProperty("status").GetInt32());
        using var boundFiltered = await host.GetAsync($"/app-quotas/{quotaId}/bound-apps?app_name=TEST");
        Assert.Equal([app2], CredentialHost.Strings(boundFiltered.Json.GetProperty("apps"), "app_id"));

        using var bindable = await host.GetAsync($"/app-quotas/{otherQuotaId}/bindable-apps");
        bindable.ShouldBe(HttpStatusCode.OK);
        var bindableApps = bindable.Json.GetProperty("apps");
        Assert.Equal([app3], CredentialHost.Strings(bindableApps, "app_id"));
        Assert.Equal(["app_id", "app_key", "bound_time", "name", "register_time", "status", "update_time"], CredentialHost.Keys(bindableApps[0]));
        Assert.Equal("0001-01-01T00:00:00Z", bindableApps[0].GetProperty("bound_time").GetString());
        using var bindableFiltered = await host.GetAsync($"/app-quotas/{quotaId}/bindable-apps?app_name=demo");
        Assert.Equal(0, bindableFiltered.Json.GetProperty("total").GetInt64());

        using var appQuota = await host.GetAsync($"/apps/{app1}/bound-quota");
        appQuota.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(quotaId, appQuota.Json.GetProperty("app_quota_id").GetString());
        Assert.Equal(2, appQuota.Json.GetProperty("bound_app_num").GetInt32());
        using var quotaList = await host.GetAsync("/app-quotas?name=ClientQuota");
        Assert.Equal(2, quotaList.Json.GetProperty("quotas")[0].GetProperty("bound_app_num").GetInt32());

        using var unbind = await host.DeleteAsync($"/app-quotas/{quotaId}/bound-apps/{app1}");
        unbind.ShouldBe(HttpStatusCode.NoContent);
        using var unbindAgain = await host.DeleteAsync($"/app-quotas/{quotaId}/bound-apps/{app1}");
        unbindAgain.ShouldBe(HttpStatusCode.NoContent);
        using var unbindUnknown = await host.DeleteAsync($"/app-quotas/{quotaId}/bound-apps/0123456789abcdef0123456789abcdef");
        unbindUnknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3004");
        using var unbindOther = await host.DeleteAsync($"/app-quotas/{otherQuotaId}/bound-apps/{app2}");
        unbindOther.ShouldBe(HttpStatusCode.NoContent);
        using var afterUnbind = await host.GetAsync($"/app-quotas/{quotaId}");
        Assert.Equal(1, afterUnbind.Json.GetProperty("bound_app_num").GetInt32());
        using var app1Quota = await host.GetAsync($"/apps/{app1}/bound-quota");
        Assert.Equal("{}", app1Quota.Body);

        // Deleting the quota unbinds its APPs.
        using var deleted = await host.DeleteAsync($"/app-quotas/{quotaId}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var app2Quota = await host.GetAsync($"/apps/{app2}/bound-quota");
        Assert.Equal("{}", app2Quota.Body);
        using var allBindable = await host.GetAsync($"/app-quotas/{otherQuotaId}/bindable-apps");
        Assert.Equal([app3, app2, app1], CredentialHost.Strings(allBindable.Json.GetProperty("apps"), "app_id"));
    }

    [Theory]
    [InlineData("{}", "APIG.2001")]
    [InlineData("""{"app_ids":[]}""", "APIG.2001")]
    [InlineData("""{"app_ids":[""]}""", "APIG.2001")]
    [InlineData("""{"app_ids":["a b"]}""", "APIG.2012")]
    [InlineData("""{"app_ids":"x"}""", "APIG.2012")]
    public async Task Bind_rejects_bad_input(string body, string code)
    {
        await using var host = await CredentialHost.StartAsync();
        using var quota = await host.PostAsync("/app-quotas", DocumentedBody);
        using var reply = await host.PostAsync($"/app-quotas/{quota.Json.GetProperty("app_quota_id").GetString()}/binding-apps", body);
        reply.ShouldFail(HttpStatusCode.BadRequest, code, "app_ids");
    }
}
