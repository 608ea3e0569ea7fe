using System.Net;
using Gateway.Apig.VpcChannels;
using Gateway.Hosting.Tests.Signatures;

namespace Gateway.Hosting.Tests.VpcChannels;

/// <summary>The REST contract of 3.17.13–3.17.17: member groups.</summary>
public sealed class VpcMemberGroupContractTests
{
    private static async Task<Dictionary<string, string>> GroupIdsAsync(FamilyHost host, string channelId)
    {
        using var list = await host.GetAsync($"/vpc-channels/{channelId}/member-groups");
        return list.Json.GetProperty("member_groups").EnumerateArray().ToDictionary(g => FamilyHost.Text(g, "member_group_name"), g => FamilyHost.Text(g, "member_group_id"));
    }

    [Fact]
    public async Task Add_answers_201_with_all_groups_and_updates_existing_names()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        var before = await GroupIdsAsync(host, id);
        host.Clock.Advance(TimeSpan.FromMinutes(1));

        using var reply = await host.PostAsync($"/vpc-channels/{id}/member-groups", """
            {"member_groups": [
              {"member_group_name": "vpc_member_group", "member_group_weight": 10, "microservice_version": "v1", "microservice_port": 80,
               "microservice_labels": [{"label_name": "cluster_id", "label_value": "c429700c-5dc4-482a-9c0e-99f6c0635113"}]},
              {"member_group_name": "test", "member_group_weight": 60, "member_group_remark": "changed", "dict_code": "dict-1"},
              {"member_group_name": "vpc_member_group", "member_group_weight": 99}
            ]}
            """);

        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(["size", "total", "member_groups"], reply.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, reply.Json.GetProperty("total").GetInt64());
        var groups = reply.Json.GetProperty("member_groups").EnumerateArray().ToDictionary(g => FamilyHost.Text(g, "member_group_name"), g => g.Clone());
        var added = groups["vpc_member_group"];
        Assert.Equal(
            ["member_group_name", "member_group_weight", "microservice_version", "microservice_port", "microservice_labels", "member_group_id", "create_time", "update_time"],
            added.EnumerateObject().Select(p => p.Name));
        Assert.Equal(10, added.GetProperty("member_group_weight").GetInt32());
        Assert.Equal("cluster_id", FamilyHost.Text(added.GetProperty("microservice_labels")[0], "label_name"));
        Assert.Equal(before["test"], FamilyHost.Text(groups["test"], "member_group_id"));
        Assert.Equal(60, groups["test"].GetProperty("member_group_weight").GetInt32());
        Assert.Equal("changed", FamilyHost.Text(groups["test"], "member_group_remark"));
        Assert.Equal("dict-1", FamilyHost.Text(groups["test"], "dict_code"));
        Assert.Equal("2025-03-01T08:30:01.0000000Z", FamilyHost.Text(groups["test"], "create_time"));
        Assert.Equal("2025-03-01T08:31:01.0000000Z", FamilyHost.Text(groups["test"], "update_time"));
        Assert.Equal(2, groups["default"].GetProperty("member_group_weight").GetInt32());

        // Members keep their group through the update.
        Assert.Equal(2, (await VpcSamples.MembersAsync(host, id)).Count(m => FamilyHost.Text(m, "member_group_name").Length > 0));

        using var nothing = await host.PostAsync($"/vpc-channels/{id}/member-groups", "{}");
        nothing.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(3, nothing.Json.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Add_validates_its_groups()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        (string Channel, string Body, HttpStatusCode Status, string Code, string? Parameter)[] cases =
        [
            (id, """{"member_groups": [{"member_group_weight": 1}]}""", HttpStatusCode.BadRequest, "APIG.2001", "member_groups[0].member_group_name"),
            (id, """{"member_groups": [{"member_group_name": "ok_name"}, {"member_group_name": "x"}]}""", HttpStatusCode.BadRequest, "APIG.2011", "member_groups[1].member_group_name"),
            (id, """{"member_groups": [{"member_group_name": "ok_name", "member_group_weight": 101}]}""", HttpStatusCode.BadRequest, "APIG.2003", "member_groups[0].member_group_weight"),
            (id, """{"member_groups": [{"member_group_name": "ok_name", "dict_code": "a"}]}""", HttpStatusCode.BadRequest, "APIG.2011", "member_groups[0].dict_code"),
            (id, """{"member_groups": [{"member_group_name": "ok_name", "microservice_labels": [{"label_name": "a", "label_value": "b_"}]}]}""", HttpStatusCode.BadRequest, "APIG.2011", "member_groups[0].microservice_labels[0].label_value"),
            (id, """{"member_groups": {"member_group_name": "ok_name"}}""", HttpStatusCode.BadRequest, "APIG.2012", "member_groups"),
            (FamilyHost.Unknown, """{"member_groups": [{"member_group_name": "ok_name"}]}""", HttpStatusCode.NotFound, "APIG.3023", null),
        ];
        foreach (var (channel, body, status, code, parameter) in cases)
        {
            using var reply = await host.PostAsync($"/vpc-channels/{channel}/member-groups", body);
            reply.ShouldFail(status, code, parameter);
        }

        Assert.Equal(2, await host.CountStoredAsync(VpcChannelStoreKeys.MemberGroups(host.InstanceId)));
    }

    [Fact]
    public async Task List_and_show()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host, VpcSamples.With(VpcSamples.Channel, """
            {"member_groups": [{"member_group_name": "test", "dict_code": "d-1"}, {"member_group_name": "testing"}, {"member_group_name": "other"}], "members": []}
            """));
        var other = await VpcSamples.CreateNamedChannelAsync(host, "VPC_other");
        var ids = await GroupIdsAsync(host, id);

        async Task<List<string>> Query(string query)
        {
            using var reply = await host.GetAsync($"/vpc-channels/{id}/member-groups?" + query);
            reply.ShouldBe(HttpStatusCode.OK);
            return [.. reply.Json.GetProperty("member_groups").EnumerateArray().Select(g => FamilyHost.Text(g, "member_group_name")).Order(StringComparer.Ordinal)];
        }

        Assert.Equal(["other", "test", "testing"], await Query(""));
        Assert.Equal(["test", "testing"], await Query("member_group_name=TEST"));
        Assert.Equal(["test"], await Query("member_group_name=test&precise_search=member_group_name"));
        Assert.Equal(["test"], await Query("dict_code=d-1"));
        using var page = await host.GetAsync($"/vpc-channels/{id}/member-groups?limit=2");
        Assert.Equal(3, page.Json.GetProperty("total").GetInt64());
        Assert.Equal(2, page.Json.GetProperty("size").GetInt32());

        using var shown = await host.GetAsync($"/vpc-channels/{id}/member-groups/{ids["test"]}");
        shown.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("test", FamilyHost.Text(shown.Json, "member_group_name"));
        Assert.Equal(ids["test"], FamilyHost.Text(shown.Json, "member_group_id"));
        Assert.False(shown.Json.TryGetProperty("vpc_channel_id", out _));

        using var wrongChannel = await host.GetAsync($"/vpc-channels/{other}/member-groups/{ids["test"]}");
        wrongChannel.ShouldFail(HttpStatusCode.NotFound, "APIG.3023", ids["test"]);
        using var unknown = await host.GetAsync($"/vpc-channels/{id}/member-groups/{FamilyHost.Unknown}");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3023");
        using var malformed = await host.GetAsync($"/vpc-channels/{id}/member-groups/bad%20id");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "member_group_id");
        using var unknownChannel = await host.GetAsync($"/vpc-channels/{FamilyHost.Unknown}/member-groups");
        unknownChannel.ShouldFail(HttpStatusCode.NotFound, "APIG.3023");
    }

    [Fact]
    public async Task Update_replaces_the_group_and_renames_it_on_its_members()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        var ids = await GroupIdsAsync(host, id);
        host.Clock.Advance(TimeSpan.FromMinutes(1));

        using var reply = await host.PutAsync($"/vpc-channels/{id}/member-groups/{ids["test"]}", """{"member_group_name": "primary", "member_group_weight": 10}""");

        reply.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("primary", FamilyHost.Text(reply.Json, "member_group_name"));
        Assert.Equal(10, reply.Json.GetProperty("member_group_weight").GetInt32());
        Assert.False(reply.Json.TryGetProperty("member_group_remark", out _));
        Assert.Equal("2025-03-01T08:31:01.0000000Z", FamilyHost.Text(reply.Json, "update_time"));
        var member = (await VpcSamples.MembersAsync(host, id)).Single(m => FamilyHost.Text(m, "member_group_id") == ids["test"]);
        Assert.Equal("primary", FamilyHost.Text(member, "member_group_name"));

        using var taken = await host.PutAsync($"/vpc-channels/{id}/member-groups/{ids["test"]}", """{"member_group_name": "default"}""");
        taken.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "member_group_name");
        using var invalid = await host.PutAsync($"/vpc-channels/{id}/member-groups/{ids["test"]}", """{"member_group_weight": 10}""");
        invalid.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "member_group_name");
        using var unknown = await host.PutAsync($"/vpc-channels/{id}/member-groups/{FamilyHost.Unknown}", """{"member_group_name": "primary"}""");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3023");
    }

    [Fact]
    public async Task Delete_removes_the_group_with_its_members()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        var ids = await GroupIdsAsync(host, id);

        using var deleted = await host.DeleteAsync($"/vpc-channels/{id}/member-groups/{ids["test"]}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(["192.168.1.124"], (await VpcSamples.MembersAsync(host, id)).Select(m => FamilyHost.Text(m, "host")));
        using var again = await host.DeleteAsync($"/vpc-channels/{id}/member-groups/{ids["test"]}");
        again.ShouldFail(HttpStatusCode.NotFound, "APIG.3023");
        Assert.Equal(1, await host.CountStoredAsync(VpcChannelStoreKeys.MemberGroups(host.InstanceId)));
    }
}
