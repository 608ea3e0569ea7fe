using System.Net;

namespace Gateway.Hosting.Tests.Apig;

public sealed class EnvironmentContractTests
{
    private const string Release = "DEFAULT_ENVIRONMENT_RELEASE_ID";

    [Fact]
    public async Task Create_update_list_delete()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var created = await host.PostAsync($"{host.Instance}/envs", """{"name":"DEV_env","remark":"development"}""");
        created.ShouldBe(HttpStatusCode.Created);
        var id = created.Json.GetProperty("id").GetString()!;
        Assert.Equal("DEV_env", created.Json.GetProperty("name").GetString());
        Assert.Equal("development", created.Json.GetProperty("remark").GetString());
        Assert.False(string.IsNullOrEmpty(created.Json.GetProperty("create_time").GetString()));

        using var updated = await host.PutAsync($"{host.Instance}/envs/{id}", """{"name":"TEST_env"}""");
        updated.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("TEST_env", updated.Json.GetProperty("name").GetString());

        using var list = await host.GetAsync($"{host.Instance}/envs");
        Assert.Equal(2, list.Json.GetProperty("total").GetInt64());
        Assert.Equal("RELEASE", list.Json.GetProperty("envs")[0].GetProperty("name").GetString());
        using var filtered = await host.GetAsync($"{host.Instance}/envs?name=test");
        Assert.Equal(1, filtered.Json.GetProperty("total").GetInt64());
        using var paged = await host.GetAsync($"{host.Instance}/envs?offset=1&limit=1");
        Assert.Equal("TEST_env", paged.Json.GetProperty("envs")[0].GetProperty("name").GetString());

        using var deleted = await host.DeleteAsync($"{host.Instance}/envs/{id}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var again = await host.DeleteAsync($"{host.Instance}/envs/{id}");
        again.ShouldFail(HttpStatusCode.NotFound, "APIG.3003");
    }

    [Theory]
    [InlineData("{}", "APIG.2001", "name")]
    [InlineData("""{"name":"ab"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"1abc"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"ab-c"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"环境一二"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"abc","remark":true}""", "APIG.2012", "remark")]
    public async Task Create_rejects_bad_input(string body, string code, string parameter)
    {
        await using var host = await ApigTestHost.StartAsync();
        using var reply = await host.PostAsync($"{host.Instance}/envs", body);
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }

    [Fact]
    public async Task Limits_on_name_and_remark_length()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var longName = await host.PostAsync($"{host.Instance}/envs", $$"""{"name":"a{{new string('b', 64)}}"}""");
        longName.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "name");
        using var longRemark = await host.PostAsync($"{host.Instance}/envs", $$"""{"name":"abc","remark":"{{new string('r', 256)}}"}""");
        longRemark.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "remark");
        using var longest = await host.PostAsync($"{host.Instance}/envs", $$"""{"name":"a{{new string('b', 63)}}","remark":"{{new string('r', 255)}}"}""");
        longest.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Names_are_unique_and_release_is_reserved()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var first = await host.PostAsync($"{host.Instance}/envs", """{"name":"PROD"}""");
        first.ShouldBe(HttpStatusCode.Created);
        using var duplicate = await host.PostAsync($"{host.Instance}/envs", """{"name":"PROD"}""");
        duplicate.ShouldFail(HttpStatusCode.BadRequest, "APIG.3205");
        using var release = await host.PostAsync($"{host.Instance}/envs", """{"name":"RELEASE"}""");
        release.ShouldFail(HttpStatusCode.BadRequest, "APIG.3205");

        using var deleteRelease = await host.DeleteAsync($"{host.Instance}/envs/{Release}");
        deleteRelease.ShouldFail(HttpStatusCode.Forbidden, "APIG.1103");
        using var renameRelease = await host.PutAsync($"{host.Instance}/envs/{Release}", """{"name":"OTHER"}""");
        renameRelease.ShouldFail(HttpStatusCode.Forbidden, "APIG.1103");
        using var list = await host.GetAsync($"{host.Instance}/envs?name=RELEASE");
        Assert.Equal(1, list.Json.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Deleting_an_environment_removes_its_variables()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("grp_env");
        using var env = await host.PostAsync($"{host.Instance}/envs", """{"name":"STAGE"}""");
        var envId = env.Json.GetProperty("id").GetString();
        using var variable = await host.PostAsync($"{host.Instance}/env-variables",
            $$"""{"group_id":"{{groupId}}","env_id":"{{envId}}","variable_name":"host_name","variable_value":"a.b"}""");
        variable.ShouldBe(HttpStatusCode.Created);
        using var deleted = await host.DeleteAsync($"{host.Instance}/envs/{envId}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var list = await host.GetAsync($"{host.Instance}/env-variables?group_id={groupId}");
        Assert.Equal(0, list.Json.GetProperty("total").GetInt64());
    }
}
