using System.Net;

namespace Gateway.Hosting.Tests.Apig;

public sealed class GroupContractTests
{
    [Fact]
    public async Task Create_returns_the_group_object_with_a_debug_subdomain()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var reply = await host.PostAsync($"{host.Instance}/api-groups", """{"name":"orders_api","remark":"order service"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        var json = reply.Json;
        var id = json.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal("orders_api", json.GetProperty("name").GetString());
        Assert.Equal("order service", json.GetProperty("remark").GetString());
        Assert.Equal(1, json.GetProperty("status").GetInt32());
        Assert.Equal(2, json.GetProperty("is_default").GetInt32());
        Assert.Equal($"{id}.apig.localhost", json.GetProperty("sl_domain").GetString());
        Assert.Equal($"{id}.apig.localhost", json.GetProperty("sl_domains")[0].GetString());
        Assert.True(json.GetProperty("sl_domain_access_enabled").GetBoolean());
        Assert.Equal("V1", json.GetProperty("version").GetString());
        Assert.Equal(0, json.GetProperty("url_domains").GetArrayLength());
        Assert.EndsWith("Z", json.GetProperty("register_time").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"remark":"x"}""", "APIG.2001", "name")]
    [InlineData("""{"name":""}""", "APIG.2001", "name")]
    [InlineData("""{"name":"ab"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"_abc"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"abc def"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"abc","version":"V3"}""", "APIG.2011", "version")]
    [InlineData("""{"name":12}""", "APIG.2012", "name")]
    [InlineData("""{"name":"abc","remark":["x"]}""", "APIG.2012", "remark")]
    [InlineData("""{"name":"abc""", "APIG.2000", null)]
    [InlineData("""[1,2]""", "APIG.2000", null)]
    [InlineData("""null""", "APIG.2000", null)]
    [InlineData("", "APIG.2000", null)]
    public async Task Create_rejects_bad_input(string body, string code, string? parameter)
    {
        await using var host = await ApigTestHost.StartAsync();
        using var reply = await host.PostAsync($"{host.Instance}/api-groups", body);
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }

    [Fact]
    public async Task Over_long_values_are_too_large()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var name = await host.PostAsync($"{host.Instance}/api-groups", $$"""{"name":"a{{new string('b', 255)}}"}""");
        name.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "name");
        using var remark = await host.PostAsync($"{host.Instance}/api-groups", $$"""{"name":"abc","remark":"{{new string('r', 1001)}}"}""");
        remark.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "remark");
        using var longest = await host.PostAsync($"{host.Instance}/api-groups", $$"""{"name":"a{{new string('b', 254)}}","remark":"{{new string('r', 1000)}}"}""");
        longest.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Oversized_bodies_are_refused_without_a_server_error()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var reply = await host.PostAsync($"{host.Instance}/api-groups", $$"""{"name":"abc","remark":"{{new string('r', 13 * 1024 * 1024)}}"}""");
        reply.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "body");
    }

    [Fact]
    public async Task Chinese_names_and_documented_punctuation_are_accepted()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var reply = await host.PostAsync($"{host.Instance}/api-groups", """{"name":"订单服务(v1)：主/副.a-b_c、d"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("订单服务(v1)：主/副.a-b_c、d", reply.Json.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Names_are_unique_per_instance()
    {
        await using var host = await ApigTestHost.StartAsync();
        await host.CreateGroupAsync("shop");
        using var again = await host.PostAsync($"{host.Instance}/api-groups", """{"name":"shop"}""");
        again.ShouldFail(HttpStatusCode.BadRequest, "APIG.3201");
        using var check = await host.PostAsync($"{host.Instance}/api-groups/check", """{"group_name":"shop"}""");
        check.ShouldFail(HttpStatusCode.BadRequest, "APIG.3201");
        using var free = await host.PostAsync($"{host.Instance}/api-groups/check", """{"group_name":"shop2"}""");
        free.ShouldBe(HttpStatusCode.NoContent);
        using var missing = await host.PostAsync($"{host.Instance}/api-groups/check", "{}");
        missing.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "group_name");
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_make_exactly_one_group()
    {
        await using var host = await ApigTestHost.StartAsync();
        var attempts = Enumerable.Range(0, 16).Select(_ => host.PostAsync($"{host.Instance}/api-groups", """{"name":"race"}""")).ToArray();
        var replies = await Task.WhenAll(attempts);
        Assert.Equal(1, replies.Count(r => r.Status == HttpStatusCode.Created));
        Assert.All(replies.Where(r => r.Status != HttpStatusCode.Created), r => Assert.Equal("APIG.3201", r.ErrorCode));
        using var list = await host.GetAsync($"{host.Instance}/api-groups?name=race&precise_search=name");
        Assert.Equal(1, list.Json.GetProperty("total").GetInt64());
        foreach (var reply in replies)
        {
            reply.Dispose();
        }
    }

    [Fact]
    public async Task Update_changes_name_and_remark_only()
    {
        await using var host = await ApigTestHost.StartAsync();
        var id = await host.CreateGroupAsync("before");
        await host.CreateGroupAsync("taken");
        using var updated = await host.PutAsync($"{host.Instance}/api-groups/{id}", """{"name":"after","remark":"new","version":"V2"}""");
        updated.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("after", updated.Json.GetProperty("name").GetString());
        Assert.Equal("new", updated.Json.GetProperty("remark").GetString());
        Assert.Equal("V1", updated.Json.GetProperty("version").GetString());
        using var shown = await host.GetAsync($"{host.Instance}/api-groups/{id}");
        Assert.Equal("after", shown.Json.GetProperty("name").GetString());

        using var clash = await host.PutAsync($"{host.Instance}/api-groups/{id}", """{"name":"taken"}""");
        clash.ShouldFail(HttpStatusCode.BadRequest, "APIG.3201");
        using var same = await host.PutAsync($"{host.Instance}/api-groups/{id}", """{"name":"after"}""");
        same.ShouldBe(HttpStatusCode.OK);
        using var unknown = await host.PutAsync($"{host.Instance}/api-groups/00000000000000000000000000000000", """{"name":"zzz"}""");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3001");
        using var invalid = await host.PutAsync($"{host.Instance}/api-groups/{id}", """{"name":"x"}""");
        invalid.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "name");
    }

    [Fact]
    public async Task Delete_removes_the_group_and_its_variables_but_never_the_default_group()
    {
        await using var host = await ApigTestHost.StartAsync();
        var id = await host.CreateGroupAsync("to_delete");
        using var variable = await host.PostAsync($"{host.Instance}/env-variables",
            $$"""{"group_id":"{{id}}","env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID","variable_name":"address","variable_value":"10.0.0.1"}""");
        variable.ShouldBe(HttpStatusCode.Created);
        var variableId = variable.Json.GetProperty("id").GetString();

        using var deleted = await host.DeleteAsync($"{host.Instance}/api-groups/{id}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var gone = await host.GetAsync($"{host.Instance}/api-groups/{id}");
        gone.ShouldFail(HttpStatusCode.NotFound, "APIG.3001");
        using var variableGone = await host.GetAsync($"{host.Instance}/env-variables/{variableId}");
        variableGone.ShouldFail(HttpStatusCode.NotFound, "APIG.3011");

        using var list = await host.GetAsync($"{host.Instance}/api-groups");
        var defaultId = list.Json.GetProperty("groups")[0].GetProperty("id").GetString();
        using var refused = await host.DeleteAsync($"{host.Instance}/api-groups/{defaultId}");
        refused.ShouldFail(HttpStatusCode.Forbidden, "APIG.1101");
        using var still = await host.GetAsync($"{host.Instance}/api-groups/{defaultId}");
        still.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task List_pages_and_filters()
    {
        await using var host = await ApigTestHost.StartAsync();
        for (var i = 0; i < 25; i++)
        {
            await host.CreateGroupAsync($"grp_{i:00}");
        }

        using var first = await host.GetAsync($"{host.Instance}/api-groups");
        Assert.Equal(26, first.Json.GetProperty("total").GetInt64());
        Assert.Equal(20, first.Json.GetProperty("size").GetInt32());
        Assert.Equal(20, first.Json.GetProperty("groups").GetArrayLength());

        using var second = await host.GetAsync($"{host.Instance}/api-groups?offset=20&limit=20");
        Assert.Equal(6, second.Json.GetProperty("size").GetInt32());

        using var coerced = await host.GetAsync($"{host.Instance}/api-groups?offset=-5&limit=9999");
        Assert.Equal(26, coerced.Json.GetProperty("size").GetInt32());

        using var zero = await host.GetAsync($"{host.Instance}/api-groups?limit=0");
        Assert.Equal(20, zero.Json.GetProperty("size").GetInt32());

        using var fuzzy = await host.GetAsync($"{host.Instance}/api-groups?name=GRP_1");
        Assert.Equal(10, fuzzy.Json.GetProperty("total").GetInt64());

        using var precise = await host.GetAsync($"{host.Instance}/api-groups?name=grp_1&precise_search=name");
        Assert.Equal(0, precise.Json.GetProperty("total").GetInt64());

        using var exact = await host.GetAsync($"{host.Instance}/api-groups?name=grp_15&precise_search=name");
        var id = exact.Json.GetProperty("groups")[0].GetProperty("id").GetString();
        using var byId = await host.GetAsync($"{host.Instance}/api-groups?id={id}");
        Assert.Equal("grp_15", byId.Json.GetProperty("groups")[0].GetProperty("name").GetString());

        using var badLimit = await host.GetAsync($"{host.Instance}/api-groups?limit=ten");
        badLimit.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "limit");
    }

    [Fact]
    public async Task Unknown_ids_and_instances_are_not_found()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var group = await host.GetAsync($"{host.Instance}/api-groups/ffffffffffffffffffffffffffffffff");
        group.ShouldFail(HttpStatusCode.NotFound, "APIG.3001");
        using var instance = await host.GetAsync($"/v2/{ApigTestHost.ProjectId}/apigw/instances/ffffffffffffffffffffffffffffffff/api-groups");
        instance.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");
        using var badId = await host.GetAsync($"{host.Instance}/api-groups/bad%20id");
        badId.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "group_id");
    }
}
