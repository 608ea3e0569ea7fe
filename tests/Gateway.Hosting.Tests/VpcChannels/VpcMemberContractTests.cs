using System.Net;
using System.Text.Json;
using Gateway.Apig.VpcChannels;
using Gateway.Hosting.Tests.Apig;
using Gateway.Hosting.Tests.Signatures;

namespace Gateway.Hosting.Tests.VpcChannels;

/// <summary>The REST contract of 3.17.6–3.17.12: members, their status and the health check.</summary>
public sealed class VpcMemberContractTests
{
    private static Dictionary<string, JsonElement> ByHost(Reply reply) =>
        reply.Json.GetProperty("members").EnumerateArray().ToDictionary(m => FamilyHost.Text(m, "host"), m => m.Clone());

    [Fact]
    public async Task Add_answers_201_with_all_members_and_updates_existing_addresses()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        var before = (await VpcSamples.MembersAsync(host, id)).ToDictionary(m => FamilyHost.Text(m, "host"), m => FamilyHost.Text(m, "id"));
        host.Clock.Advance(TimeSpan.FromMinutes(1));

        using var reply = await host.PostAsync($"/vpc-channels/{id}/members", """
            {"members": [
              {"host": "192.168.2.25", "weight": 1, "member_group_name": "test"},
              {"host": "192.168.0.5", "weight": 30, "is_backup": true, "port": 2222},
              {"host": "192.168.2.25", "weight": 99}
            ]}
            """);

        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(["size", "total", "members"], reply.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, reply.Json.GetProperty("total").GetInt64());
        Assert.Equal(3, reply.Json.GetProperty("size").GetInt32());
        var members = ByHost(reply);
        Assert.Equal(1, members["192.168.2.25"].GetProperty("weight").GetInt32());
        Assert.Equal("test", FamilyHost.Text(members["192.168.2.25"], "member_group_name"));
        Assert.Equal("2025-03-01T08:31:01.0000000Z", FamilyHost.Text(members["192.168.2.25"], "create_time"));
        Assert.Equal(before["192.168.0.5"], FamilyHost.Text(members["192.168.0.5"], "id"));
        Assert.Equal(30, members["192.168.0.5"].GetProperty("weight").GetInt32());
        Assert.Equal(2222, members["192.168.0.5"].GetProperty("port").GetInt32());
        Assert.True(members["192.168.0.5"].GetProperty("is_backup").GetBoolean());
        Assert.Equal("2025-03-01T08:30:01.0000000Z", FamilyHost.Text(members["192.168.0.5"], "create_time"));

        // The upsert rewrote the member as given: without a group it left its group.
        Assert.Equal("", FamilyHost.Text(members["192.168.0.5"], "member_group_name"));
        Assert.Equal(before["192.168.1.124"], FamilyHost.Text(members["192.168.1.124"], "id"));
        Assert.Equal(3, await host.CountStoredAsync(VpcChannelStoreKeys.Members(host.InstanceId)));
    }

    [Fact]
    public async Task Add_validates_its_members()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        var ecs = await VpcSamples.CreateChannelAsync(host, VpcSamples.EcsChannel);
        (string Channel, string Body, HttpStatusCode Status, string Code, string? Parameter)[] cases =
        [
            (id, "{}", HttpStatusCode.BadRequest, "APIG.2001", "members"),
            (id, """{"members": []}""", HttpStatusCode.BadRequest, "APIG.2001", "members"),
            (id, """{"members": [{"host": "10.0.0.1", "weight": -1}]}""", HttpStatusCode.BadRequest, "APIG.2004", "members[0].weight"),
            (id, """{"members": [{"host": "10.0.0.1"}, {"host": "10.0.0.2", "weight": 10001}]}""", HttpStatusCode.BadRequest, "APIG.2003", "members[1].weight"),
            (id, """{"members": [{"weight": 1}]}""", HttpStatusCode.BadRequest, "APIG.2001", "members[0].host"),
            (id, """{"members": [{"host": "10.0.0.1", "member_group_name": "missing"}]}""", HttpStatusCode.BadRequest, "APIG.2011", "members[0].member_group_name"),
            (id, """{"members": [{"host": "10.0.0.1", "weight": "1"}]}""", HttpStatusCode.BadRequest, "APIG.2012", "members[0].weight"),
            (ecs, """{"members": [{"host": "10.0.0.1"}]}""", HttpStatusCode.BadRequest, "APIG.2001", "members[0].ecs_id"),
            (FamilyHost.Unknown, """{"members": [{"host": "10.0.0.1"}]}""", HttpStatusCode.NotFound, "APIG.3023", null),
        ];
        foreach (var (channel, body, status, code, parameter) in cases)
        {
            using var reply = await host.PostAsync($"/vpc-channels/{channel}/members", body);
            reply.ShouldFail(status, code, parameter);
        }

        Assert.Equal(4, await host.CountStoredAsync(VpcChannelStoreKeys.Members(host.InstanceId)));
    }

    [Fact]
    public async Task List_filters_members()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host, VpcSamples.With(VpcSamples.Channel, """
            {"member_groups": [{"member_group_name": "test"}, {"member_group_name": "testing"}],
             "members": [{"host": "10.0.0.1", "member_group_name": "test"}, {"host": "10.0.0.2", "member_group_name": "testing"}, {"host": "10.0.0.3"}]}
            """));
        _ = await VpcSamples.CreateNamedChannelAsync(host, "VPC_other");

        async Task<List<string>> Query(string query)
        {
            using var reply = await host.GetAsync($"/vpc-channels/{id}/members?" + query);
            reply.ShouldBe(HttpStatusCode.OK);
            return [.. reply.Json.GetProperty("members").EnumerateArray().Select(m => FamilyHost.Text(m, "host")).Order(StringComparer.Ordinal)];
        }

        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], await Query(""));
        Assert.Equal(["10.0.0.2"], await Query("name=0.0.2"));
        Assert.Equal(["10.0.0.2"], await Query("name=10.0.0.2&precise_search=name"));
        Assert.Empty(await Query("name=10.0.0&precise_search=name"));
        Assert.Equal(["10.0.0.1", "10.0.0.2"], await Query("member_group_name=TEST"));
        Assert.Equal(["10.0.0.1"], await Query("member_group_name=test&precise_search=member_group_name"));
        using var page = await host.GetAsync($"/vpc-channels/{id}/members?offset=1&limit=1");
        Assert.Equal(3, page.Json.GetProperty("total").GetInt64());
        Assert.Equal(1, page.Json.GetProperty("size").GetInt32());

        using var shown = await host.GetAsync($"/vpc-channels/{id}");
        var testing = shown.Json.GetProperty("member_groups").EnumerateArray().Single(g => FamilyHost.Text(g, "member_group_name") == "testing");
        Assert.Equal(["10.0.0.2"], await Query($"member_group_id={FamilyHost.Text(testing, "member_group_id")}"));

        using var unknown = await host.GetAsync($"/vpc-channels/{FamilyHost.Unknown}/members");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3023");
    }

    [Fact]
    public async Task Update_replaces_all_members()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        var before = (await VpcSamples.MembersAsync(host, id)).ToDictionary(m => FamilyHost.Text(m, "host"), m => FamilyHost.Text(m, "id"));

        using var reply = await host.PutAsync($"/vpc-channels/{id}/members", """{"members": [{"host": "192.168.1.124", "weight": 5}, {"host": "10.10.10.10"}]}""");

        reply.ShouldBe(HttpStatusCode.OK);
        var members = ByHost(reply);
        Assert.Equal(["10.10.10.10", "192.168.1.124"], members.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(before["192.168.1.124"], FamilyHost.Text(members["192.168.1.124"], "id"));
        Assert.Equal(2, await host.CountStoredAsync(VpcChannelStoreKeys.Members(host.InstanceId)));

        using var emptied = await host.PutAsync($"/vpc-channels/{id}/members", """{"members": []}""");
        emptied.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(0, emptied.Json.GetProperty("total").GetInt64());
        Assert.Equal(0, await host.CountStoredAsync(VpcChannelStoreKeys.Members(host.InstanceId)));
    }

    [Fact]
    public async Task Update_with_a_group_replaces_that_group_only()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);

        using var reply = await host.PutAsync($"/vpc-channels/{id}/members", """
            {"member_group_name": "test",
             "members": [{"host": "192.168.2.25", "weight": 1, "member_group_name": "test"}, {"host": "172.16.0.1", "member_group_name": "default"}, {"host": "bad host"}]}
            """);

        reply.ShouldBe(HttpStatusCode.OK);
        var members = ByHost(reply);
        Assert.Equal(["192.168.1.124", "192.168.2.25"], members.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("default", FamilyHost.Text(members["192.168.1.124"], "member_group_name"));
        Assert.Equal("test", FamilyHost.Text(members["192.168.2.25"], "member_group_name"));

        using var unknownGroup = await host.PutAsync($"/vpc-channels/{id}/members", """{"member_group_name": "nothing", "members": []}""");
        unknownGroup.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "member_group_name");
        using var badEntry = await host.PutAsync($"/vpc-channels/{id}/members", """{"member_group_name": "test", "members": [{"host": "10.0.0.1", "member_group_name": "default"}, {"host": "10.0.0.1", "member_group_name": "test", "weight": 20000}]}""");
        badEntry.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "members[1].weight");
        using var missing = await host.PutAsync($"/vpc-channels/{id}/members", """{"member_group_name": "test"}""");
        missing.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "members");
        using var unknown = await host.PutAsync($"/vpc-channels/{FamilyHost.Unknown}/members", """{"members": []}""");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3023");
    }

    [Fact]
    public async Task Delete_member()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        var other = await VpcSamples.CreateNamedChannelAsync(host, "VPC_other");
        var memberId = FamilyHost.Text((await VpcSamples.MembersAsync(host, id))[0], "id");

        using var wrongChannel = await host.DeleteAsync($"/vpc-channels/{other}/members/{memberId}");
        wrongChannel.ShouldFail(HttpStatusCode.NotFound, "APIG.3024", memberId);
        using var deleted = await host.DeleteAsync($"/vpc-channels/{id}/members/{memberId}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var again = await host.DeleteAsync($"/vpc-channels/{id}/members/{memberId}");
        again.ShouldFail(HttpStatusCode.NotFound, "APIG.3024");
        using var malformed = await host.DeleteAsync($"/vpc-channels/{id}/members/bad%20id");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "member_id");
        using var unknownChannel = await host.DeleteAsync($"/vpc-channels/{FamilyHost.Unknown}/members/{memberId}");
        unknownChannel.ShouldFail(HttpStatusCode.NotFound, "APIG.3023");
        Assert.Single(await VpcSamples.MembersAsync(host, id));
    }

    [Fact]
    public async Task Batch_disable_and_enable_set_the_member_status()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        var ids = (await VpcSamples.MembersAsync(host, id)).Select(m => FamilyHost.Text(m, "id")).ToList();

        using var disabled = await host.PostAsync($"/vpc-channels/{id}/members/batch-disable", $$"""{"member_ids": ["{{ids[0]}}", "{{ids[1]}}", "{{ids[0]}}"]}""");
        disabled.ShouldBe(HttpStatusCode.NoContent);
        Assert.All(await VpcSamples.MembersAsync(host, id), m => Assert.Equal(2, m.GetProperty("status").GetInt32()));

        using var enabled = await host.PostAsync($"/vpc-channels/{id}/members/batch-enable", $$"""{"member_ids": ["{{ids[1]}}"]}""");
        enabled.ShouldBe(HttpStatusCode.NoContent);
        var statuses = (await VpcSamples.MembersAsync(host, id)).ToDictionary(m => FamilyHost.Text(m, "id"), m => m.GetProperty("status").GetInt32());
        Assert.Equal(2, statuses[ids[0]]);
        Assert.Equal(1, statuses[ids[1]]);

        // All or nothing: an unknown member fails the call and changes nothing.
        using var partial = await host.PostAsync($"/vpc-channels/{id}/members/batch-enable", $$"""{"member_ids": ["{{ids[0]}}", "{{FamilyHost.Unknown}}"]}""");
        partial.ShouldFail(HttpStatusCode.NotFound, "APIG.3024", FamilyHost.Unknown);
        Assert.Equal(2, (await VpcSamples.MembersAsync(host, id)).Single(m => FamilyHost.Text(m, "id") == ids[0]).GetProperty("status").GetInt32());

        using var none = await host.PostAsync($"/vpc-channels/{id}/members/batch-enable", "{}");
        none.ShouldBe(HttpStatusCode.NoContent);
        using var malformed = await host.PostAsync($"/vpc-channels/{id}/members/batch-disable", """{"member_ids": ["a b"]}""");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "member_ids");
        using var unknownChannel = await host.PostAsync($"/vpc-channels/{FamilyHost.Unknown}/members/batch-disable", $$"""{"member_ids": ["{{ids[0]}}"]}""");
        unknownChannel.ShouldFail(HttpStatusCode.NotFound, "APIG.3023");
    }

    [Fact]
    public async Task Health_config_update_answers_200_and_keeps_its_identity()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host, """{"name": "VPC_plain", "port": 80}""");
        host.Clock.Advance(TimeSpan.FromMinutes(1));

        using var created = await host.PutAsync($"/vpc-channels/{id}/health-config", """
            {"http_code": "200", "path": "/vpc/demo", "port": 22, "protocol": "http", "threshold_abnormal": 5, "threshold_normal": 2, "time_interval": 10, "timeout": 5, "enable_client_ssl": false}
            """);
        created.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(
            ["protocol", "path", "method", "port", "threshold_normal", "threshold_abnormal", "time_interval", "http_code", "enable_client_ssl", "status", "timeout", "vpc_channel_id", "id", "create_time"],
            created.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id, FamilyHost.Text(created.Json, "vpc_channel_id"));
        Assert.Equal("2025-03-01T08:31:01.0000000Z", FamilyHost.Text(created.Json, "create_time"));
        var healthId = FamilyHost.Text(created.Json, "id");
        host.Clock.Advance(TimeSpan.FromMinutes(1));

        using var updated = await host.PutAsync($"/vpc-channels/{id}/health-config", """{"protocol": "TCP", "threshold_abnormal": 3, "threshold_normal": 3, "time_interval": 30, "timeout": 2, "status": 2}""");
        updated.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(healthId, FamilyHost.Text(updated.Json, "id"));
        Assert.Equal("2025-03-01T08:31:01.0000000Z", FamilyHost.Text(updated.Json, "create_time"));
        Assert.Equal("TCP", FamilyHost.Text(updated.Json, "protocol"));
        Assert.Equal(2, updated.Json.GetProperty("status").GetInt32());
        Assert.False(updated.Json.TryGetProperty("path", out _));

        using var shown = await host.GetAsync($"/vpc-channels/{id}");
        Assert.Equal(30, shown.Json.GetProperty("vpc_health_config").GetProperty("time_interval").GetInt32());
    }

    [Theory]
    [InlineData("""{"threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}""", "APIG.2001", "protocol")]
    [InlineData("""{"protocol": "TCP", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 10}""", "APIG.2011", "time_interval")]
    [InlineData("""{"protocol": "TCP", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 0}""", "APIG.2004", "timeout")]
    [InlineData("""{"protocol": "TCP", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 0, "timeout": 5}""", "APIG.2004", "time_interval")]
    [InlineData("""{"protocol": "TCP", "threshold_normal": 2, "threshold_abnormal": 5, "timeout": 5}""", "APIG.2001", "time_interval")]
    [InlineData("""{"protocol": "TCP", "threshold_normal": 2, "threshold_abnormal": 0, "time_interval": 10, "timeout": 5}""", "APIG.2004", "threshold_abnormal")]
    [InlineData("""{"protocol": "HTTP", "path": "/", "http_code": "99", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}""", "APIG.2011", "http_code")]
    [InlineData("""{"protocol": "HTTP", "path": "/", "http_code": "200,", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}""", "APIG.2011", "http_code")]
    [InlineData("""{"protocol": "HTTP", "path": "/a b", "http_code": "200", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}""", "APIG.2011", "path")]
    [InlineData("""{"protocol": "TCP", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5, "enable_client_ssl": "yes"}""", "APIG.2012", "enable_client_ssl")]
    public async Task Health_config_update_validates(string body, string code, string parameter)
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        using var reply = await host.PutAsync($"/vpc-channels/{id}/health-config", body);
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
        using var shown = await host.GetAsync($"/vpc-channels/{id}");
        Assert.Equal("http", FamilyHost.Text(shown.Json.GetProperty("vpc_health_config"), "protocol"));
    }

    [Fact]
    public async Task Health_config_of_an_unknown_channel()
    {
        await using var host = await FamilyHost.StartAsync();
        using var reply = await host.PutAsync($"/vpc-channels/{FamilyHost.Unknown}/health-config", """{"protocol": "TCP", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}""");
        reply.ShouldFail(HttpStatusCode.NotFound, "APIG.3023");
    }
}
