using System.Net;

namespace Gateway.Hosting.Tests.Apig;

public sealed class VariableContractTests
{
    private const string Release = "DEFAULT_ENVIRONMENT_RELEASE_ID";

    private static string Body(string groupId, string name, string value = "192.168.1.5", string env = Release) =>
        $$"""{"group_id":"{{groupId}}","env_id":"{{env}}","variable_name":"{{name}}","variable_value":"{{value}}"}""";

    [Fact]
    public async Task Create_show_update_list_delete()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("vars_group");
        using var created = await host.PostAsync($"{host.Instance}/env-variables", Body(groupId, "address"));
        created.ShouldBe(HttpStatusCode.Created);
        var id = created.Json.GetProperty("id").GetString()!;
        Assert.Equal("address", created.Json.GetProperty("variable_name").GetString());
        Assert.Equal("192.168.1.5", created.Json.GetProperty("variable_value").GetString());
        Assert.Equal(Release, created.Json.GetProperty("env_id").GetString());
        Assert.Equal(groupId, created.Json.GetProperty("group_id").GetString());

        using var shown = await host.GetAsync($"{host.Instance}/env-variables/{id}");
        shown.ShouldBe(HttpStatusCode.OK);

        using var updated = await host.PutAsync($"{host.Instance}/env-variables/{id}", """{"variable_value":"10.1.2.3:8080"}""");
        updated.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("10.1.2.3:8080", updated.Json.GetProperty("variable_value").GetString());
        Assert.Equal("address", updated.Json.GetProperty("variable_name").GetString());

        using var list = await host.GetAsync($"{host.Instance}/env-variables?group_id={groupId}");
        Assert.Equal(1, list.Json.GetProperty("total").GetInt64());
        Assert.Equal("10.1.2.3:8080", list.Json.GetProperty("variables")[0].GetProperty("variable_value").GetString());

        using var deleted = await host.DeleteAsync($"{host.Instance}/env-variables/{id}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var gone = await host.GetAsync($"{host.Instance}/env-variables/{id}");
        gone.ShouldFail(HttpStatusCode.NotFound, "APIG.3011");
    }

    [Fact]
    public async Task Names_are_unique_per_group_and_environment_and_case_sensitive()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupA = await host.CreateGroupAsync("group_a");
        var groupB = await host.CreateGroupAsync("group_b");
        using var env = await host.PostAsync($"{host.Instance}/envs", """{"name":"DEV"}""");
        var dev = env.Json.GetProperty("id").GetString()!;

        using var first = await host.PostAsync($"{host.Instance}/env-variables", Body(groupA, "ABC"));
        first.ShouldBe(HttpStatusCode.Created);
        using var duplicate = await host.PostAsync($"{host.Instance}/env-variables", Body(groupA, "ABC"));
        duplicate.ShouldFail(HttpStatusCode.BadRequest, "APIG.3303");
        using var otherCase = await host.PostAsync($"{host.Instance}/env-variables", Body(groupA, "abc"));
        otherCase.ShouldBe(HttpStatusCode.Created);
        using var otherGroup = await host.PostAsync($"{host.Instance}/env-variables", Body(groupB, "ABC"));
        otherGroup.ShouldBe(HttpStatusCode.Created);
        using var otherEnv = await host.PostAsync($"{host.Instance}/env-variables", Body(groupA, "ABC", env: dev));
        otherEnv.ShouldBe(HttpStatusCode.Created);

        using var all = await host.GetAsync($"{host.Instance}/env-variables?group_id={groupA}");
        Assert.Equal(3, all.Json.GetProperty("total").GetInt64());
        using var byEnv = await host.GetAsync($"{host.Instance}/env-variables?group_id={groupA}&env_id={dev}");
        Assert.Equal(1, byEnv.Json.GetProperty("total").GetInt64());
        using var fuzzy = await host.GetAsync($"{host.Instance}/env-variables?group_id={groupA}&variable_name=ab");
        Assert.Equal(3, fuzzy.Json.GetProperty("total").GetInt64());
        using var precise = await host.GetAsync($"{host.Instance}/env-variables?group_id={groupA}&variable_name=abc&precise_search=variable_name");
        Assert.Equal(1, precise.Json.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("""{"env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID","variable_name":"abc","variable_value":"v"}""", "APIG.2001", "group_id")]
    [InlineData("""{"group_id":"G","variable_name":"abc","variable_value":"v"}""", "APIG.2001", "env_id")]
    [InlineData("""{"group_id":"G","env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID","variable_value":"v"}""", "APIG.2001", "variable_name")]
    [InlineData("""{"group_id":"G","env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID","variable_name":"abc"}""", "APIG.2001", "variable_value")]
    [InlineData("""{"group_id":"G","env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID","variable_name":"ab","variable_value":"v"}""", "APIG.2011", "variable_name")]
    [InlineData("""{"group_id":"G","env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID","variable_name":"_abc","variable_value":"v"}""", "APIG.2011", "variable_name")]
    [InlineData("""{"group_id":"G","env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID","variable_name":"abcdefghijabcdefghijabcdefghijabc","variable_value":"v"}""", "APIG.2003", "variable_name")]
    [InlineData("""{"group_id":"G","env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID","variable_name":"abc","variable_value":"a b"}""", "APIG.2011", "variable_value")]
    [InlineData("""{"group_id":"G","env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID","variable_name":"abc","variable_value":"a#b"}""", "APIG.2011", "variable_value")]
    public async Task Create_rejects_bad_input(string template, string code, string parameter)
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("grp_bad");
        using var reply = await host.PostAsync($"{host.Instance}/env-variables", template.Replace("\"G\"", $"\"{groupId}\"", StringComparison.Ordinal));
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }

    [Fact]
    public async Task References_must_exist()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("grp_refs");
        using var noGroup = await host.PostAsync($"{host.Instance}/env-variables", Body("ffffffffffffffffffffffffffffffff", "abc"));
        noGroup.ShouldFail(HttpStatusCode.NotFound, "APIG.3001");
        using var noEnv = await host.PostAsync($"{host.Instance}/env-variables", Body(groupId, "abc", env: "ffffffffffffffffffffffffffffffff"));
        noEnv.ShouldFail(HttpStatusCode.NotFound, "APIG.3003");
        using var listWithoutGroup = await host.GetAsync($"{host.Instance}/env-variables");
        listWithoutGroup.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "group_id");
        using var updateMissing = await host.PutAsync($"{host.Instance}/env-variables/ffffffffffffffffffffffffffffffff", """{"variable_value":"x"}""");
        updateMissing.ShouldFail(HttpStatusCode.NotFound, "APIG.3011");
        using var updateInvalid = await host.PutAsync($"{host.Instance}/env-variables/ffffffffffffffffffffffffffffffff", "{}");
        updateInvalid.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "variable_value");
    }
}
