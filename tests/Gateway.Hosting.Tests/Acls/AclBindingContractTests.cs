using System.Net;
using Gateway.Hosting.Tests.Throttles;

namespace Gateway.Hosting.Tests.Acls;

/// <summary>3.14 ACL bindings over HTTP.</summary>
public sealed class AclBindingContractTests
{
    [Fact]
    public async Task Bind_answers_201_with_acl_bindings()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var acl = await host.CreateAclAsync("acl_demo");
        var test = await host.CreateEnvironmentAsync("TEST");
        var api = await host.CreateApiAsync("bound_api");
        var inRelease = await host.PublishAsync(api);
        var inTest = await host.PublishAsync(api, test);
        using var reply = await host.PostAsync("/acl-bindings", $$"""{"acl_id": "{{acl}}", "publish_ids": ["{{inRelease}}", "{{inTest}}"]}""");
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(["acl_bindings"], reply.Json.EnumerateObject().Select(p => p.Name));
        var items = reply.Json.GetProperty("acl_bindings").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(new[] { "acl_id", "api_id", "create_time", "env_id", "id" }, items[0].EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal([PolicyTestHost.Release, test], items.Select(i => i.GetProperty("env_id").GetString()));
        Assert.All(items, item =>
        {
            Assert.Matches("^[0-9a-f]{32}$", item.GetProperty("id").GetString());
            Assert.Equal(api, item.GetProperty("api_id").GetString());
            Assert.Equal(acl, item.GetProperty("acl_id").GetString());
            Assert.False(string.IsNullOrEmpty(item.GetProperty("create_time").GetString()));
        });
    }

    [Theory]
    [InlineData("""{"publish_ids": ["p"]}""", "APIG.2001", "acl_id")]
    [InlineData("""{"acl_id": "a b", "publish_ids": ["p"]}""", "APIG.2012", "acl_id")]
    [InlineData("""{"acl_id": "a"}""", "APIG.2001", "publish_ids")]
    [InlineData("""{"acl_id": "a", "publish_ids": []}""", "APIG.2001", "publish_ids")]
    [InlineData("""{"acl_id": "a", "publish_ids": ["x y"]}""", "APIG.2012", "publish_ids")]
    public async Task Bind_rejects_malformed_bodies(string body, string code, string parameter)
    {
        await using var host = await PolicyTestHost.StartAsync();
        using var reply = await host.PostAsync("/acl-bindings", body);
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }

    [Fact]
    public async Task Bind_needs_an_existing_policy_and_publications_and_writes_nothing_otherwise()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var acl = await host.CreateAclAsync("acl_demo");
        var api = await host.CreateApiAsync("bound_api");
        var publishId = await host.PublishAsync(api);
        using (var unknownAcl = await host.PostAsync("/acl-bindings", $$"""{"acl_id": "7eb619ecf2a24943b099833cd24a01ba", "publish_ids": ["{{publishId}}"]}"""))
        {
            unknownAcl.ShouldFail(HttpStatusCode.NotFound, "APIG.3006");
        }

        using (var unknownPublication = await host.PostAsync("/acl-bindings", $$"""{"acl_id": "{{acl}}", "publish_ids": ["{{publishId}}", "40e7162dc6b94bbbbb1a60d2a24b1b0c"]}"""))
        {
            unknownPublication.ShouldFail(HttpStatusCode.NotFound, "APIG.3015", "40e7162dc6b94bbbbb1a60d2a24b1b0c");
        }

        Assert.Empty(await host.StoredKeysAsync("acl-bindings"));
    }

    [Fact]
    public async Task An_API_has_one_policy_of_each_object_type_per_environment()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var permitIps = await host.CreateAclAsync("permit_ips");
        var denyIps = await host.CreateAclAsync("deny_ips", aclType: "DENY", value: "10.0.0.0/8");
        var tenants = await host.CreateAclAsync("deny_tenants", entityType: "DOMAIN", value: "tenant_a", aclType: "DENY");
        var tenantIds = await host.CreateAclAsync("permit_tenant_ids", entityType: "DOMAIN_ID", value: "abc123");
        var test = await host.CreateEnvironmentAsync("TEST");
        var api = await host.CreateApiAsync("bound_api");
        var inRelease = await host.PublishAsync(api);
        var inTest = await host.PublishAsync(api, test);
        await host.BindAclAsync(permitIps, inRelease);

        using (var sameType = await host.PostAsync("/acl-bindings", $$"""{"acl_id": "{{denyIps}}", "publish_ids": ["{{inRelease}}"]}"""))
        {
            sameType.ShouldFail(HttpStatusCode.BadRequest, "APIG.3309", "permit_ips");
        }

        using (var again = await host.PostAsync("/acl-bindings", $$"""{"acl_id": "{{permitIps}}", "publish_ids": ["{{inRelease}}"]}"""))
        {
            again.ShouldFail(HttpStatusCode.BadRequest, "APIG.3309");
        }

        // Other object types, and the same type in another environment, are fine.
        await host.BindAclAsync(tenants, inRelease);
        await host.BindAclAsync(tenantIds, inRelease);
        await host.BindAclAsync(denyIps, inTest);
        using var bound = await host.GetAsync($"/acl-bindings/binded-acls?api_id={api}");
        Assert.Equal(["permit_ips", "deny_tenants", "permit_tenant_ids", "deny_ips"], bound.Json.GetProperty("acls").EnumerateArray().Select(a => a.GetProperty("acl_name").GetString()));
    }

    [Fact]
    public async Task Unbind_and_batch_unbind_remove_bindings()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var acl = await host.CreateAclAsync("acl_demo");
        var first = await host.CreateApiAsync("first_api");
        var second = await host.CreateApiAsync("second_api");
        var third = await host.CreateApiAsync("third_api");
        var bindings = await host.BindAclAsync(acl, await host.PublishAsync(first), await host.PublishAsync(second), await host.PublishAsync(third));

        using (var unbound = await host.DeleteAsync($"/acl-bindings/{bindings[0]}"))
        {
            unbound.ShouldBe(HttpStatusCode.NoContent);
        }

        using (var again = await host.DeleteAsync($"/acl-bindings/{bindings[0]}"))
        {
            again.ShouldFail(HttpStatusCode.NotFound, "APIG.3010");
        }

        using (var batch = await host.PutAsync("/acl-bindings?action=delete", $$"""{"acl_bindings": ["{{bindings[1]}}", "{{bindings[0]}}", "{{bindings[1]}}"]}"""))
        {
            batch.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(1, batch.Json.GetProperty("success_count").GetInt32());
            var failure = Assert.Single(batch.Json.GetProperty("failure").EnumerateArray().ToList());
            Assert.Equal(bindings[0], failure.GetProperty("bind_id").GetString());
            Assert.Equal("APIG.3010", failure.GetProperty("error_code").GetString());
            Assert.False(string.IsNullOrEmpty(failure.GetProperty("error_msg").GetString()));
        }

        using (var remaining = await host.GetAsync($"/acl-bindings/binded-apis?acl_id={acl}"))
        {
            Assert.Equal(["third_api"], remaining.Json.GetProperty("apis").EnumerateArray().Select(a => a.GetProperty("api_name").GetString()));
        }

        using (var wrongAction = await host.PutAsync("/acl-bindings?action=unbind", $$"""{"acl_bindings": ["{{bindings[2]}}"]}"""))
        {
            wrongAction.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "action");
        }

        using var noAction = await host.PutAsync("/acl-bindings", $$"""{"acl_bindings": ["{{bindings[2]}}"]}""");
        noAction.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "action");
    }

    [Fact]
    public async Task Bound_apis_list_each_binding()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var acl = await host.CreateAclAsync("acl_demo");
        var test = await host.CreateEnvironmentAsync("TEST");
        var group = await host.CreateGroupAsync("api_group_001");
        var http = await host.CreateApiAsync("Api_http", method: "POST");
        var mock = await host.CreateApiAsync("Api_mock", groupId: group);
        var httpRelease = await host.PublishAsync(http);
        var bindings = await host.BindAclAsync(acl, httpRelease, await host.PublishAsync(http, test), await host.PublishAsync(mock));

        using var reply = await host.GetAsync($"/acl-bindings/binded-apis?acl_id={acl}");
        reply.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(3, reply.Json.GetProperty("total").GetInt64());
        var items = reply.Json.GetProperty("apis").EnumerateArray().ToList();
        Assert.Equal([(http, "RELEASE"), (http, "TEST"), (mock, "RELEASE")], items.Select(i => (i.GetProperty("api_id").GetString(), i.GetProperty("env_name").GetString())));
        string[] fields = ["api_id", "api_name", "api_type", "api_remark", "env_id", "env_name", "bind_id", "group_name", "bind_time", "publish_id", "req_method"];
        Assert.Equal(fields.Order(), items[0].EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Api_http", items[0].GetProperty("api_name").GetString());
        Assert.Equal(1, items[0].GetProperty("api_type").GetInt64());
        Assert.Equal("Api_http remark", items[0].GetProperty("api_remark").GetString());
        Assert.Equal(PolicyTestHost.Release, items[0].GetProperty("env_id").GetString());
        Assert.Equal(bindings[0], items[0].GetProperty("bind_id").GetString());
        Assert.Equal("DEFAULT", items[0].GetProperty("group_name").GetString());
        Assert.Equal(httpRelease, items[0].GetProperty("publish_id").GetString());
        Assert.Equal("POST", items[0].GetProperty("req_method").GetString());
        Assert.Equal("api_group_001", items[2].GetProperty("group_name").GetString());

        await AssertBound(host, $"/acl-bindings/binded-apis?acl_id={acl}&env_id={test}", (http, "TEST"));
        await AssertBound(host, $"/acl-bindings/binded-apis?acl_id={acl}&group_id={group}", (mock, "RELEASE"));
        await AssertBound(host, $"/acl-bindings/binded-apis?acl_id={acl}&api_id={mock}", (mock, "RELEASE"));
        await AssertBound(host, $"/acl-bindings/binded-apis?acl_id={acl}&api_name=mOcK", (mock, "RELEASE"));
        await AssertBound(host, $"/acl-bindings/binded-apis?acl_id={acl}&offset=2&limit=5", (mock, "RELEASE"));
    }

    [Fact]
    public async Task Unbound_apis_are_the_published_ones_with_the_other_policy_of_the_same_type()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var acl = await host.CreateAclAsync("acl_demo");
        var otherIps = await host.CreateAclAsync("other_ips", aclType: "DENY", value: "10.0.0.1");
        var tenants = await host.CreateAclAsync("tenants", entityType: "DOMAIN", value: "tenant_a");
        var bound = await host.CreateApiAsync("Api_bound");
        var ipElsewhere = await host.CreateApiAsync("Api_ip_elsewhere");
        var tenantElsewhere = await host.CreateApiAsync("Api_tenant_elsewhere");
        await host.CreateApiAsync("Api_draft");
        await host.BindAclAsync(acl, await host.PublishAsync(bound));
        await host.BindAclAsync(otherIps, await host.PublishAsync(ipElsewhere));
        var tenantPublication = await host.PublishAsync(tenantElsewhere);
        await host.BindAclAsync(tenants, tenantPublication);

        using var reply = await host.GetAsync($"/acl-bindings/unbound-apis?acl_id={acl}");
        reply.ShouldBe(HttpStatusCode.OK);
        var items = reply.Json.GetProperty("apis").EnumerateArray().ToList();
        Assert.Equal([ipElsewhere, tenantElsewhere], items.Select(i => i.GetProperty("id").GetString()));
        string[] fields = ["id", "name", "group_id", "group_name", "type", "remark", "run_env_name", "run_env_id", "publish_id", "acl_name", "req_uri", "auth_type", "req_method"];
        Assert.Equal(fields.Order(), items[0].EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("other_ips", items[0].GetProperty("acl_name").GetString());

        // A policy of another object type is not "of the same type".
        Assert.False(items[1].TryGetProperty("acl_name", out _));
        Assert.Equal(tenantPublication, items[1].GetProperty("publish_id").GetString());
        Assert.Equal("RELEASE", items[1].GetProperty("run_env_name").GetString());

        using var filtered = await host.GetAsync($"/acl-bindings/unbound-apis?acl_id={acl}&api_name=tenant");
        Assert.Equal([tenantElsewhere], filtered.Json.GetProperty("apis").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        using var paged = await host.GetAsync($"/acl-bindings/unbound-apis?acl_id={acl}&limit=1");
        Assert.Equal(2, paged.Json.GetProperty("total").GetInt64());
        Assert.Equal(1, paged.Json.GetProperty("size").GetInt32());
    }

    [Theory]
    [InlineData("binded-apis")]
    [InlineData("unbound-apis")]
    public async Task Api_lists_need_an_existing_policy(string list)
    {
        await using var host = await PolicyTestHost.StartAsync();
        using (var missing = await host.GetAsync($"/acl-bindings/{list}"))
        {
            missing.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "acl_id");
        }

        using var unknown = await host.GetAsync($"/acl-bindings/{list}?acl_id=7eb619ecf2a24943b099833cd24a01ba");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3006");
    }

    [Fact]
    public async Task Bound_acls_list_the_policies_of_an_api()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var ips = await host.CreateAclAsync("permit_ips");
        var tenants = await host.CreateAclAsync("deny_tenants", entityType: "DOMAIN", value: "tenant_a", aclType: "DENY");
        var test = await host.CreateEnvironmentAsync("TEST");
        var api = await host.CreateApiAsync("bound_api");
        var inRelease = await host.PublishAsync(api);
        var bindings = await host.BindAclAsync(ips, inRelease);
        await host.BindAclAsync(tenants, inRelease, await host.PublishAsync(api, test));

        using var reply = await host.GetAsync($"/acl-bindings/binded-acls?api_id={api}");
        reply.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(3, reply.Json.GetProperty("total").GetInt64());
        var first = reply.Json.GetProperty("acls")[0];
        string[] fields = ["acl_id", "acl_name", "entity_type", "acl_type", "acl_value", "env_id", "env_name", "bind_id", "bind_time"];
        Assert.Equal(fields.Order(), first.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(ips, first.GetProperty("acl_id").GetString());
        Assert.Equal("IP", first.GetProperty("entity_type").GetString());
        Assert.Equal("PERMIT", first.GetProperty("acl_type").GetString());
        Assert.Equal("192.168.1.5,192.168.10.1", first.GetProperty("acl_value").GetString());
        Assert.Equal(PolicyTestHost.Release, first.GetProperty("env_id").GetString());
        Assert.Equal("RELEASE", first.GetProperty("env_name").GetString());
        Assert.Equal(bindings[0], first.GetProperty("bind_id").GetString());

        await AssertAcls(host, $"/acl-bindings/binded-acls?api_id={api}&env_id={test}", ("deny_tenants", "TEST"));
        await AssertAcls(host, $"/acl-bindings/binded-acls?api_id={api}&env_name=tes", ("deny_tenants", "TEST"));
        await AssertAcls(host, $"/acl-bindings/binded-acls?api_id={api}&acl_id={ips}", ("permit_ips", "RELEASE"));
        await AssertAcls(host, $"/acl-bindings/binded-acls?api_id={api}&acl_name=TENANT", ("deny_tenants", "RELEASE"), ("deny_tenants", "TEST"));
        await AssertAcls(host, $"/acl-bindings/binded-acls?api_id={api}&offset=1&limit=1", ("deny_tenants", "RELEASE"));

        using (var missing = await host.GetAsync("/acl-bindings/binded-acls"))
        {
            missing.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "api_id");
        }

        using var unknown = await host.GetAsync("/acl-bindings/binded-acls?api_id=5f918d104dc84480a75166ba99efff21");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3002");
    }

    [Fact]
    public async Task Bindings_go_with_their_environment_and_their_api_and_free_the_policy()
    {
        await using var host = await PolicyTestHost.StartAsync();
        var acl = await host.CreateAclAsync("acl_demo");
        var test = await host.CreateEnvironmentAsync("TEST");
        var api = await host.CreateApiAsync("bound_api");
        await host.BindAclAsync(acl, await host.PublishAsync(api), await host.PublishAsync(api, test));

        await host.PublishAsync(api, test, "offline");
        using (var deletedEnvironment = await host.DeleteAsync($"/envs/{test}"))
        {
            deletedEnvironment.ShouldBe(HttpStatusCode.NoContent);
        }

        await AssertBound(host, $"/acl-bindings/binded-apis?acl_id={acl}", (api, "RELEASE"));

        await host.PublishAsync(api, action: "offline");
        using (var deletedApi = await host.DeleteAsync($"/apis/{api}"))
        {
            deletedApi.ShouldBe(HttpStatusCode.NoContent);
        }

        Assert.Empty(await host.StoredKeysAsync("acl-bindings"));
        using var deleted = await host.DeleteAsync($"/acls/{acl}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
    }

    private static async Task AssertBound(PolicyTestHost host, string path, params (string ApiId, string Env)[] expected)
    {
        using var reply = await host.GetAsync(path);
        reply.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(expected, reply.Json.GetProperty("apis").EnumerateArray().Select(i => (i.GetProperty("api_id").GetString()!, i.GetProperty("env_name").GetString()!)));
        Assert.Equal(expected.Length, reply.Json.GetProperty("size").GetInt32());
    }

    private static async Task AssertAcls(PolicyTestHost host, string path, params (string Name, string Env)[] expected)
    {
        using var reply = await host.GetAsync(path);
        reply.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(expected, reply.Json.GetProperty("acls").EnumerateArray().Select(i => (i.GetProperty("acl_name").GetString()!, i.GetProperty("env_name").GetString()!)));
    }
}
