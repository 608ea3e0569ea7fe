using System.Net;
using Gateway.Hosting.Tests.Throttles;

namespace Gateway.Hosting.Tests.Acls;

/// <summary>3.13 ACL policies over HTTP.</summary>
public sealed class AclContractTests
{
    private const string Example = """{"acl_name": "acl_demo", "acl_type": "PERMIT", "acl_value": "192.168.1.5,192.168.10.1", "entity_type": "IP"}""";

    private static readonly string[] AclFields = ["id", "acl_name", "acl_type", "acl_value", "entity_type", "update_time"];

    private static string Body(string patch) => Apis.ApiTestHost.With(Example, patch);

    [Fact]
    public async Task Create_answers_201_with_the_documented_policy()
    {
        await using var host = await PolicyTestHost.StartAsync();
        using var reply = await host.PostAsync("/acls", Example);
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(AclFields.Order(), reply.Json.EnumerateObject().Select(p => p.Name).Order());
        Assert.Matches("^[0-9a-f]{32}$", reply.Json.GetProperty("id").GetString());
        Assert.Equal("acl_demo", reply.Json.GetProperty("acl_name").GetString());
        Assert.Equal("PERMIT", reply.Json.GetProperty("acl_type").GetString());
        Assert.Equal("192.168.1.5,192.168.10.1", reply.Json.GetProperty("acl_value").GetString());
        Assert.Equal("IP", reply.Json.GetProperty("entity_type").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$", reply.Json.GetProperty("update_time").GetString());
    }

    [Theory]
    [InlineData("""{"acl_value": "10.0.0.0/8,172.16.0.0/12,0.0.0.0/0"}""")]
    [InlineData("""{"acl_type": "DENY", "acl_value": "255.255.255.255"}""")]
    [InlineData("""{"entity_type": "DOMAIN", "acl_value": "tenant_a,Tenant B,x@y.z"}""")]
    [InlineData("""{"entity_type": "DOMAIN_ID", "acl_value": "0123456789abcdef0123456789abcdef,second-id"}""")]
    [InlineData("""{"acl_name": "访问控制_1"}""")]
    [InlineData("""{"acl_name": "@a64"}""")]
    public async Task Valid_values_of_each_entity_type_are_accepted(string patch)
    {
        await using var host = await PolicyTestHost.StartAsync();
        using var reply = await host.PostAsync("/acls", Body(patch));
        reply.ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("""{"acl_name": null}""", "APIG.2001", "acl_name")]
    [InlineData("""{"acl_name": "ab"}""", "APIG.2011", "acl_name")]
    [InlineData("""{"acl_name": "9acl"}""", "APIG.2011", "acl_name")]
    [InlineData("""{"acl_name": "acl-demo"}""", "APIG.2011", "acl_name")]
    [InlineData("""{"acl_name": "@a65"}""", "APIG.2003", "acl_name")]
    [InlineData("""{"acl_type": null}""", "APIG.2001", "acl_type")]
    [InlineData("""{"acl_type": "ALLOW"}""", "APIG.2011", "acl_type")]
    [InlineData("""{"acl_type": "permit"}""", "APIG.2011", "acl_type")]
    [InlineData("""{"entity_type": null}""", "APIG.2001", "entity_type")]
    [InlineData("""{"entity_type": "HOST"}""", "APIG.2011", "entity_type")]
    [InlineData("""{"acl_value": null}""", "APIG.2001", "acl_value")]
    [InlineData("""{"acl_value": ""}""", "APIG.2001", "acl_value")]
    [InlineData("""{"acl_value": "256.1.1.1"}""", "APIG.2015", "acl_value")]
    [InlineData("""{"acl_value": "192.168.01.1"}""", "APIG.2015", "acl_value")]
    [InlineData("""{"acl_value": "10.0.0.1/8"}""", "APIG.2015", "acl_value")]
    [InlineData("""{"acl_value": "10.0.0.0/33"}""", "APIG.2015", "acl_value")]
    [InlineData("""{"acl_value": "1.2.3.4,"}""", "APIG.2015", "acl_value")]
    [InlineData("""{"acl_value": "www.example.com"}""", "APIG.2015", "acl_value")]
    [InlineData("""{"acl_value": "1.2.3.4,1.2.3.4"}""", "APIG.2011", "acl_value")]
    [InlineData("""{"entity_type": "DOMAIN", "acl_value": "12345"}""", "APIG.2011", "acl_value")]
    [InlineData("""{"entity_type": "DOMAIN", "acl_value": "tenant,,other"}""", "APIG.2011", "acl_value")]
    [InlineData("""{"entity_type": "DOMAIN", "acl_value": "@t65"}""", "APIG.2003", "acl_value")]
    [InlineData("""{"entity_type": "DOMAIN", "acl_value": "租户"}""", "APIG.2011", "acl_value")]
    [InlineData("""{"entity_type": "DOMAIN_ID", "acl_value": "an id"}""", "APIG.2011", "acl_value")]
    [InlineData("""{"acl_value": 17}""", "APIG.2012", "acl_value")]
    public async Task Create_and_update_reject_each_broken_rule(string patch, string code, string parameter)
    {
        await using var host = await PolicyTestHost.StartAsync();
        using (var created = await host.PostAsync("/acls", Body(patch)))
        {
            created.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
        }

        var id = await host.CreateAclAsync("existing");
        using (var updated = await host.PutAsync($"/acls/{id}", Body(patch)))
        {
            updated.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
        }
    }

    [Fact]
    public async Task IP_lists_hold_at_most_100_addresses_and_account_lists_1024_characters()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var hundred = string.Join(',', Enumerable.Range(0, 100).Select(i => $"10.0.{i / 256}.{i % 256}"));
        using (var full = await host.PostAsync("/acls", Body($$"""{"acl_value": "{{hundred}}"}""")))
        {
            full.ShouldBe(HttpStatusCode.Created);
        }

        using (var tooMany = await host.PostAsync("/acls", Body($$"""{"acl_name": "too_many", "acl_value": "{{hundred}},10.0.1.1"}""")))
        {
            tooMany.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "acl_value");
        }

        var names = string.Join(',', Enumerable.Range(0, 93).Select(i => $"tenant_{i:D3}"));
        Assert.True(names.Length <= 1024);
        using (var accounts = await host.PostAsync("/acls", Body($$"""{"acl_name": "accounts", "entity_type": "DOMAIN", "acl_value": "{{names}}"}""")))
        {
            accounts.ShouldBe(HttpStatusCode.Created);
        }

        using var tooLong = await host.PostAsync("/acls", Body($$"""{"acl_name": "too_long", "entity_type": "DOMAIN", "acl_value": "{{names}},tenant_x"}"""));
        tooLong.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "acl_value");
    }

    [Fact]
    public async Task Names_are_unique_in_the_instance()
    {
        await using var host = await PolicyTestHost.StartAsync();
        await host.CreateAclAsync("acl_demo");
        var other = await host.CreateAclAsync("acl_other");
        using (var duplicate = await host.PostAsync("/acls", Example))
        {
            duplicate.ShouldFail(HttpStatusCode.BadRequest, "APIG.3206");
        }

        using var renamed = await host.PutAsync($"/acls/{other}", Example);
        renamed.ShouldFail(HttpStatusCode.BadRequest, "APIG.3206");
    }

    [Fact]
    public async Task Update_changes_name_type_and_value_but_not_the_object_type()
    {
        await using var host = await PolicyTestHost.StartAsync();
        using var created = await host.PostAsync("/acls", Example);
        var id = created.Json.GetProperty("id").GetString();
        using (var updated = await host.PutAsync($"/acls/{id}", """{"acl_name": "acl_renamed", "acl_type": "DENY", "acl_value": "10.1.0.0/16", "entity_type": "IP"}"""))
        {
            updated.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(id, updated.Json.GetProperty("id").GetString());
            Assert.Equal("acl_renamed", updated.Json.GetProperty("acl_name").GetString());
            Assert.Equal("DENY", updated.Json.GetProperty("acl_type").GetString());
            Assert.Equal("10.1.0.0/16", updated.Json.GetProperty("acl_value").GetString());
            Assert.NotEqual(created.Json.GetProperty("update_time").GetString(), updated.Json.GetProperty("update_time").GetString());

            using var shown = await host.GetAsync($"/acls/{id}");
            shown.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(updated.Body, shown.Body);
        }

        using var retyped = await host.PutAsync($"/acls/{id}", """{"acl_name": "acl_renamed", "acl_type": "DENY", "acl_value": "tenant", "entity_type": "DOMAIN"}""");
        retyped.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "entity_type");
    }

    [Fact]
    public async Task Unknown_policies_are_404_APIG_3006()
    {
        await using var host = await PolicyTestHost.StartAsync();
        const string missing = "7eb619ecf2a24943b099833cd24a01ba";
        using (var shown = await host.GetAsync($"/acls/{missing}"))
        {
            shown.ShouldFail(HttpStatusCode.NotFound, "APIG.3006", missing);
        }

        using (var updated = await host.PutAsync($"/acls/{missing}", Example))
        {
            updated.ShouldFail(HttpStatusCode.NotFound, "APIG.3006");
        }

        using (var deleted = await host.DeleteAsync($"/acls/{missing}"))
        {
            deleted.ShouldFail(HttpStatusCode.NotFound, "APIG.3006");
        }

        using var malformed = await host.GetAsync("/acls/a%20b");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "acl_id");
    }

    [Fact]
    public async Task A_bound_policy_cannot_be_deleted()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var acl = await host.CreateAclAsync("acl_demo");
        var api = await host.CreateApiAsync("bound_api");
        var bindings = await host.BindAclAsync(acl, await host.PublishAsync(api));
        using (var refused = await host.DeleteAsync($"/acls/{acl}"))
        {
            refused.ShouldFail(HttpStatusCode.Forbidden, "APIG.3447");
        }

        using (var unbound = await host.DeleteAsync($"/acl-bindings/{bindings[0]}"))
        {
            unbound.ShouldBe(HttpStatusCode.NoContent);
        }

        using (var deleted = await host.DeleteAsync($"/acls/{acl}"))
        {
            deleted.ShouldBe(HttpStatusCode.NoContent);
            Assert.Equal("", deleted.Body);
        }

        using var shown = await host.GetAsync($"/acls/{acl}");
        shown.ShouldFail(HttpStatusCode.NotFound, "APIG.3006");
    }

    [Fact]
    public async Task Batch_delete_deletes_what_it_can_and_reports_the_rest()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var free = await host.CreateAclAsync("acl_free");
        var bound = await host.CreateAclAsync("acl_bound");
        var api = await host.CreateApiAsync("bound_api");
        await host.BindAclAsync(bound, await host.PublishAsync(api));
        const string missing = "3a68d39f115d4c128fccd6f624ea6109";
        using var reply = await host.PutAsync("/acls?action=delete", $$"""{"acls": ["{{free}}", "{{bound}}", "{{missing}}", "{{free}}", "not valid"]}""");
        reply.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(1, reply.Json.GetProperty("success_count").GetInt32());
        var failures = reply.Json.GetProperty("failure").EnumerateArray().ToList();
        Assert.Equal([bound, missing, "not valid"], failures.Select(f => f.GetProperty("acl_id").GetString()));
        Assert.Equal(["APIG.3447", "APIG.3006", "APIG.2012"], failures.Select(f => f.GetProperty("error_code").GetString()));
        Assert.Equal("acl_bound", failures[0].GetProperty("acl_name").GetString());
        Assert.All(failures, f => Assert.False(string.IsNullOrEmpty(f.GetProperty("error_msg").GetString())));

        using (var gone = await host.GetAsync($"/acls/{free}"))
        {
            gone.ShouldFail(HttpStatusCode.NotFound, "APIG.3006");
        }

        using (var kept = await host.GetAsync($"/acls/{bound}"))
        {
            kept.ShouldBe(HttpStatusCode.OK);
        }

        using var nothing = await host.PutAsync("/acls?action=delete", "{}");
        nothing.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(0, nothing.Json.GetProperty("success_count").GetInt32());
    }

    [Theory]
    [InlineData("", "APIG.2001")]
    [InlineData("?action=drop", "APIG.2011")]
    public async Task Batch_delete_needs_action_delete(string query, string code)
    {
        await using var host = await PolicyTestHost.StartAsync();
        var acl = await host.CreateAclAsync("acl_demo");
        using var reply = await host.PutAsync($"/acls{query}", $$"""{"acls": ["{{acl}}"]}""");
        reply.ShouldFail(HttpStatusCode.BadRequest, code, "action");
        using var kept = await host.GetAsync($"/acls/{acl}");
        kept.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task List_pages_filters_and_counts_bound_apis()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var ids = new List<string>
        {
            await host.CreateAclAsync("ip_permit"),
            await host.CreateAclAsync("ip_deny", aclType: "DENY"),
            await host.CreateAclAsync("tenants", entityType: "DOMAIN", value: "tenant_a"),
            await host.CreateAclAsync("tenant_ids", entityType: "DOMAIN_ID", value: "abc123", aclType: "DENY"),
        };
        var test = await host.CreateEnvironmentAsync("TEST");
        var first = await host.CreateApiAsync("first_api");
        var second = await host.CreateApiAsync("second_api");
        await host.BindAclAsync(ids[0], await host.PublishAsync(first), await host.PublishAsync(first, test), await host.PublishAsync(second));

        using (var all = await host.GetAsync("/acls"))
        {
            all.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(4, all.Json.GetProperty("total").GetInt64());
            Assert.Equal(4, all.Json.GetProperty("size").GetInt32());
            var items = all.Json.GetProperty("acls").EnumerateArray().ToList();
            Assert.Equal(ids, items.Select(a => a.GetProperty("id").GetString()!));
            Assert.Equal(AclFields.Append("bind_num").Order(), items[0].EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal([2, 0, 0, 0], items.Select(a => a.GetProperty("bind_num").GetInt32()));
        }

        await AssertNames(host, "/acls?name=IP_", "ip_permit", "ip_deny");
        await AssertNames(host, "/acls?name=tenant", "tenants", "tenant_ids");
        await AssertNames(host, "/acls?name=tenants&precise_search=name", "tenants");
        await AssertNames(host, $"/acls?id={ids[1]}", "ip_deny");
        await AssertNames(host, "/acls?acl_type=DENY", "ip_deny", "tenant_ids");
        await AssertNames(host, "/acls?entity_type=DOMAIN", "tenants");
        await AssertNames(host, "/acls?entity_type=DOMAIN_ID", "tenant_ids");
        await AssertNames(host, "/acls?offset=1&limit=2", "ip_deny", "tenants");
        await AssertNames(host, "/acls?offset=-1&limit=501", "ip_permit", "ip_deny", "tenants", "tenant_ids");

        using var invalid = await host.GetAsync("/acls?acl_type=ALLOW");
        invalid.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "acl_type");
        using var invalidEntity = await host.GetAsync("/acls?entity_type=HOST");
        invalidEntity.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "entity_type");
    }

    private static async Task AssertNames(PolicyTestHost host, string path, params string[] expected)
    {
        using var reply = await host.GetAsync(path);
        reply.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(expected, reply.Json.GetProperty("acls").EnumerateArray().Select(a => a.GetProperty("acl_name").GetString()!));
        Assert.Equal(expected.Length, reply.Json.GetProperty("size").GetInt32());
    }
}
