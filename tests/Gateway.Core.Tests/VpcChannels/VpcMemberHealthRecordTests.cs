using System.Text.Json;
using Gateway.Apig.VpcChannels;
using Gateway.Core.Tests.Apis;

namespace Gateway.Core.Tests.VpcChannels;

/// <summary>The data plane's write-back of observed member health.</summary>
public sealed class VpcMemberHealthRecordTests
{
    private static VpcChannelRequest Channel(string name) => new()
    {
        Name = name,
        Port = 8080,
        MemberType = "ip",
        Members = [new MemberInput { Host = "10.0.0.1", Weight = 7 }, new MemberInput { Host = "10.0.0.2", Port = 9090 }],
    };

    [Fact]
    public async Task Recording_health_writes_only_health_status_and_the_member_list_shows_it()
    {
        var fixture = await ApiFixture.CreateAsync();
        var manager = new VpcChannelManager(fixture.Writer, fixture.Clock);
        var channel = await manager.CreateAsync(fixture.Scope, Channel("VPC_record"), CancellationToken.None);
        var instanceId = fixture.Scope.InstanceId;
        var before = await manager.LoadMembersAsync(instanceId, channel.Id, CancellationToken.None);
        var first = before.Single(m => m.Host == "10.0.0.1");

        await manager.RecordMemberHealthAsync(instanceId, first.Id, healthy: false, CancellationToken.None);

        var after = await manager.LoadMembersAsync(instanceId, channel.Id, CancellationToken.None);
        Assert.Equal(first with { HealthStatus = 2 }, after.Single(m => m.Id == first.Id));
        Assert.Null(after.Single(m => m.Host == "10.0.0.2").HealthStatus);

        var listed = await manager.ListMembersAsync(fixture.Scope, channel.Id, new VpcMemberListFilter(Gateway.Apig.Common.ListQuery.Create(null, null), null, null, null, null), CancellationToken.None);
        var json = JsonSerializer.SerializeToElement(listed, VpcChannelJsonContext.Default.VpcMemberList);
        var shown = json.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("id").GetString() == first.Id);
        Assert.Equal(2, shown.GetProperty("health_status").GetInt32());
        Assert.Equal(1, shown.GetProperty("status").GetInt32());

        await manager.RecordMemberHealthAsync(instanceId, first.Id, healthy: true, CancellationToken.None);
        Assert.Equal(1, (await manager.LoadMembersAsync(instanceId, channel.Id, CancellationToken.None)).Single(m => m.Id == first.Id).HealthStatus);
    }

    [Fact]
    public async Task An_unchanged_state_commits_nothing_and_a_deleted_member_is_ignored()
    {
        var fixture = await ApiFixture.CreateAsync();
        var manager = new VpcChannelManager(fixture.Writer, fixture.Clock);
        var channel = await manager.CreateAsync(fixture.Scope, Channel("VPC_ignore"), CancellationToken.None);
        var instanceId = fixture.Scope.InstanceId;
        var members = await manager.LoadMembersAsync(instanceId, channel.Id, CancellationToken.None);
        var kept = members[0];
        var deleted = members[1];
        await manager.DeleteMemberAsync(fixture.Scope, channel.Id, deleted.Id, CancellationToken.None);
        await manager.RecordMemberHealthAsync(instanceId, kept.Id, healthy: true, CancellationToken.None);
        var revision = fixture.Store.Revision;

        await manager.RecordMemberHealthAsync(instanceId, [new(kept.Id, true), new(deleted.Id, false), new("0123456789abcdef0123456789abcdef", false)], CancellationToken.None);

        Assert.Equal(revision, fixture.Store.Revision);
        var left = await manager.LoadMembersAsync(instanceId, channel.Id, CancellationToken.None);
        Assert.Equal(kept.Id, Assert.Single(left).Id);
        Assert.Equal(1, left[0].HealthStatus);
    }

    [Fact]
    public async Task A_channel_shows_abnormal_only_while_every_enabled_member_is_unhealthy()
    {
        var fixture = await ApiFixture.CreateAsync();
        var manager = new VpcChannelManager(fixture.Writer, fixture.Clock);
        var channel = await manager.CreateAsync(fixture.Scope, Channel("VPC_status"), CancellationToken.None);
        var instanceId = fixture.Scope.InstanceId;
        var members = await manager.LoadMembersAsync(instanceId, channel.Id, CancellationToken.None);
        var filter = new VpcChannelListFilter { Page = Gateway.Apig.Common.ListQuery.Create(null, null) };

        async Task<(int Shown, int Listed)> StatusAsync() =>
            ((await manager.GetAsync(fixture.Scope, channel.Id, CancellationToken.None)).Status,
             (await manager.ListAsync(fixture.Scope, filter, CancellationToken.None)).VpcChannels.Single(c => c.Id == channel.Id).Status);

        Assert.Equal((1, 1), await StatusAsync());

        await manager.RecordMemberHealthAsync(instanceId, members[0].Id, healthy: false, CancellationToken.None);
        Assert.Equal((1, 1), await StatusAsync());

        await manager.RecordMemberHealthAsync(instanceId, members[1].Id, healthy: false, CancellationToken.None);
        Assert.Equal((2, 2), await StatusAsync());

        await manager.RecordMemberHealthAsync(instanceId, members[1].Id, healthy: true, CancellationToken.None);
        Assert.Equal((1, 1), await StatusAsync());
    }
}
