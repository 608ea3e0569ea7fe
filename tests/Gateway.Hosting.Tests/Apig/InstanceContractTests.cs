using System.Net;

namespace Gateway.Hosting.Tests.Apig;

public sealed class InstanceContractTests
{
    private const string Projects = "/v2/" + ApigTestHost.ProjectId + "/apigw/instances";

    private static string Body(string name = "gw_test", string extra = "") =>
        $$"""{"instance_name":"{{name}}","spec_id":"BASIC","vpc_id":"vpc1","subnet_id":"sub1","security_group_id":"sg1","available_zone_ids":["az1","az2"]{{extra}}}""";

    [Fact]
    public async Task Create_show_list_delete_round_trip()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var created = await host.PostAsync(Projects, Body(extra: ""","description":"d","maintain_begin":"06:00:00","maintain_end":"10:00:00" """));
        created.ShouldBe(HttpStatusCode.Accepted);
        var id = created.Json.GetProperty("instance_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.False(string.IsNullOrEmpty(created.Json.GetProperty("job_id").GetString()));

        using var shown = await host.GetAsync($"{Projects}/{id}");
        shown.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Running", shown.Json.GetProperty("status").GetString());
        Assert.Equal(6, shown.Json.GetProperty("instance_status").GetInt32());
        Assert.Equal("BASIC", shown.Json.GetProperty("spec").GetString());
        Assert.Equal("06:00:00", shown.Json.GetProperty("maintain_begin").GetString());
        Assert.Equal("[az1, az2]", shown.Json.GetProperty("available_zone_ids").GetString());
        Assert.Equal(ApigTestHost.ProjectId, shown.Json.GetProperty("project_id").GetString());

        using var list = await host.GetAsync($"{Projects}?instance_name=gw_te");
        Assert.Equal(1, list.Json.GetProperty("total").GetInt64());
        Assert.Equal(1, list.Json.GetProperty("size").GetInt32());
        Assert.Equal(id, list.Json.GetProperty("instances")[0].GetProperty("id").GetString());

        // The new instance comes with its DEFAULT group and RELEASE environment.
        using var groups = await host.GetAsync($"{Projects}/{id}/api-groups");
        var group = groups.Json.GetProperty("groups")[0];
        Assert.Equal("DEFAULT", group.GetProperty("name").GetString());
        Assert.Equal(1, group.GetProperty("is_default").GetInt32());
        using var envs = await host.GetAsync($"{Projects}/{id}/envs");
        Assert.Equal("DEFAULT_ENVIRONMENT_RELEASE_ID", envs.Json.GetProperty("envs")[0].GetProperty("id").GetString());

        using var deleted = await host.DeleteAsync($"{Projects}/{id}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var gone = await host.GetAsync($"{Projects}/{id}");
        gone.ShouldFail(HttpStatusCode.NotFound, "APIC.7302");
        using var groupsGone = await host.GetAsync($"{Projects}/{id}/api-groups");
        groupsGone.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");
        using var deletedAgain = await host.DeleteAsync($"{Projects}/{id}");
        deletedAgain.ShouldFail(HttpStatusCode.NotFound, "APIC.7302");
    }

    [Fact]
    public async Task List_filters_by_id_and_status_and_pages()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var list = await host.GetAsync($"{Projects}?status=Running&limit=0&offset=-3");
        Assert.Equal(1, list.Json.GetProperty("total").GetInt64());
        using var none = await host.GetAsync($"{Projects}?status=Frozen");
        Assert.Equal(0, none.Json.GetProperty("total").GetInt64());
        using var byId = await host.GetAsync($"{Projects}?instance_id={host.InstanceId}");
        Assert.Equal(1, byId.Json.GetProperty("size").GetInt32());
        using var badOffset = await host.GetAsync($"{Projects}?offset=abc");
        badOffset.ShouldFail(HttpStatusCode.BadRequest, "APIC.7211", "offset");
    }

    [Theory]
    [InlineData("""{"spec_id":"BASIC","vpc_id":"v","subnet_id":"s","security_group_id":"g","available_zone_ids":["a"]}""", "APIC.7211", "instance_name")]
    [InlineData("""{"instance_name":"ab","spec_id":"BASIC","vpc_id":"v","subnet_id":"s","security_group_id":"g","available_zone_ids":["a"]}""", "APIC.7211", "instance_name")]
    [InlineData("""{"instance_name":"1abc","spec_id":"BASIC","vpc_id":"v","subnet_id":"s","security_group_id":"g","available_zone_ids":["a"]}""", "APIC.7211", "instance_name")]
    [InlineData("""{"instance_name":"abc","vpc_id":"v","subnet_id":"s","security_group_id":"g","available_zone_ids":["a"]}""", "APIC.7211", "spec_id")]
    [InlineData("""{"instance_name":"abc","spec_id":"BASIC","subnet_id":"s","security_group_id":"g","available_zone_ids":["a"]}""", "APIC.7211", "vpc_id")]
    [InlineData("""{"instance_name":"abc","spec_id":"BASIC","vpc_id":"v","subnet_id":"s","security_group_id":"g","available_zone_ids":[]}""", "APIC.7238", null)]
    [InlineData("""{"instance_name":"abc","spec_id":"BASIC","vpc_id":"v","subnet_id":"s","security_group_id":"g","available_zone_ids":["a"],"description":"<b>"}""", "APIC.7211", "description")]
    [InlineData("""{"instance_name":"abc","spec_id":"BASIC","vpc_id":"v","subnet_id":"s","security_group_id":"g","available_zone_ids":["a"],"maintain_begin":"03:00:00"}""", "APIC.7235", null)]
    [InlineData("""{"instance_name":"abc","spec_id":"BASIC","vpc_id":"v","subnet_id":"s","security_group_id":"g","available_zone_ids":["a"],"maintain_begin":"02:00:00","maintain_end":"10:00:00"}""", "APIC.7230", null)]
    [InlineData("""{"instance_name":"abc","spec_id":"BASIC","vpc_id":"v","subnet_id":"s","security_group_id":"g","available_zone_ids":["a"],"bandwidth_charging_mode":"free"}""", "APIC.7211", "bandwidth_charging_mode")]
    [InlineData("""{"instance_name":"abc","spec_id":"BASIC","vpc_id":"v","subnet_id":"s","security_group_id":"g","available_zone_ids":["a"],"bandwidth_size":"five"}""", "APIC.7211", "bandwidth_size")]
    [InlineData("""{"instance_name":"abc","spec_id":"BASIC","vpc_id":"v","subnet_id":"s","security_group_id":"g","available_zone_ids":["a"],"tags":[{"key":"_sys_x","value":"1"}]}""", "APIC.7211", "tags")]
    [InlineData("""{"instance_name":"abc",""", "APIC.7211", null)]
    public async Task Create_rejects_bad_input_with_documented_codes(string body, string code, string? parameter)
    {
        await using var host = await ApigTestHost.StartAsync();
        using var reply = await host.PostAsync(Projects, body);
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }

    [Fact]
    public async Task Unknown_spec_is_not_found_and_duplicates_are_refused()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var spec = await host.PostAsync(Projects, Body().Replace("BASIC", "HUGE", StringComparison.Ordinal));
        spec.ShouldFail(HttpStatusCode.NotFound, "APIC.7301");

        using var first = await host.PostAsync(Projects, Body("dup_name", ""","instance_id":"aaaabbbbccccdddd0000111122223333" """));
        first.ShouldBe(HttpStatusCode.Accepted);
        Assert.Equal("aaaabbbbccccdddd0000111122223333", first.Json.GetProperty("instance_id").GetString());
        using var sameName = await host.PostAsync(Projects, Body("dup_name"));
        sameName.ShouldFail(HttpStatusCode.BadRequest, "APIC.7500");
        using var sameId = await host.PostAsync(Projects, Body("other_name", ""","instance_id":"aaaabbbbccccdddd0000111122223333" """));
        sameId.ShouldFail(HttpStatusCode.BadRequest, "APIC.7505");

        // The same id cannot be taken from another project either.
        using var otherProject = await host.PostAsync("/v2/ffffffffffffffffffffffffffffffff/apigw/instances", Body("x_name", ""","instance_id":"aaaabbbbccccdddd0000111122223333" """));
        otherProject.ShouldFail(HttpStatusCode.BadRequest, "APIC.7505");
    }

    [Fact]
    public async Task An_instance_of_another_project_is_not_visible()
    {
        await using var host = await ApigTestHost.StartAsync();
        const string other = "/v2/ffffffffffffffffffffffffffffffff/apigw/instances";
        using var show = await host.GetAsync($"{other}/{host.InstanceId}");
        show.ShouldFail(HttpStatusCode.NotFound, "APIC.7302");
        using var groups = await host.GetAsync($"{other}/{host.InstanceId}/api-groups");
        groups.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");
        using var list = await host.GetAsync(other);
        Assert.Equal(0, list.Json.GetProperty("total").GetInt64());
    }
}
