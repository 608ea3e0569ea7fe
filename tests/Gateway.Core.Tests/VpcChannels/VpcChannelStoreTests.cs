using System.Text;
using System.Text.Json;
using Gateway.Apig.VpcChannels;
using Gateway.Core.Tests.Apis;
using Gateway.Errors;
using Gateway.Store;

namespace Gateway.Core.Tests.VpcChannels;

/// <summary>The records the data plane will read, and the rules that must hold under concurrent writes.</summary>
public sealed class VpcChannelStoreTests
{
    private static VpcChannelRequest Channel(string name) => new()
    {
        Name = name,
        Port = 8080,
        MemberType = "ip",
        MemberGroups = [new MemberGroupInput { MemberGroupName = "primary", MemberGroupWeight = 5 }],
        Members = [new MemberInput { Host = "10.0.0.1", MemberGroupName = "primary" }, new MemberInput { Host = "10.0.0.2", Port = 9090, Weight = 3 }],
        VpcHealthConfig = new HealthConfigInput { Protocol = "HTTP", Path = "/health", HttpCode = "200-299", ThresholdNormal = 2, ThresholdAbnormal = 3, TimeInterval = 10, Timeout = 2 },
    };

    private static async Task<List<JsonElement>> StoredAsync(IResourceStore store, string collection)
    {
        var entries = await store.ListAsync(collection);
        return [.. entries.Select(entry => JsonDocument.Parse(entry.Value).RootElement.Clone())];
    }

    [Fact]
    public async Task A_channel_is_one_record_with_its_health_check_and_one_record_per_member_and_group()
    {
        var fixture = await ApiFixture.CreateAsync();
        var manager = new VpcChannelManager(fixture.Writer, fixture.Clock);
        var channel = await manager.CreateAsync(fixture.Scope, Channel("VPC_store"), CancellationToken.None);
        var instanceId = fixture.Scope.InstanceId;

        var channels = await StoredAsync(fixture.Store, VpcChannelStoreKeys.Channels(instanceId));
        var stored = Assert.Single(channels);
        Assert.Equal(channel.Id, stored.GetProperty("id").GetString());
        Assert.Equal("/health", stored.GetProperty("vpc_health_config").GetProperty("path").GetString());
        Assert.False(stored.TryGetProperty("members", out _));
        Assert.False(stored.TryGetProperty("member_groups", out _));

        var members = await StoredAsync(fixture.Store, VpcChannelStoreKeys.Members(instanceId));
        Assert.Equal(2, members.Count);
        Assert.All(members, member => Assert.Equal(channel.Id, member.GetProperty("vpc_channel_id").GetString()));

        // Ports are stored as given (0 = the channel's) so a later channel port change applies to them.
        Assert.Equal([0, 9090], members.Select(m => m.GetProperty("port").GetInt32()).Order());
        Assert.All(members, member => Assert.False(member.TryGetProperty("health_status", out _)));

        var groups = await StoredAsync(fixture.Store, VpcChannelStoreKeys.MemberGroups(instanceId));
        Assert.Equal(channel.Id, Assert.Single(groups).GetProperty("vpc_channel_id").GetString());
    }

    [Fact]
    public async Task Observed_health_survives_member_rewrites_and_is_shown_as_an_extra_field()
    {
        var fixture = await ApiFixture.CreateAsync();
        var manager = new VpcChannelManager(fixture.Writer, fixture.Clock);
        var channel = await manager.CreateAsync(fixture.Scope, Channel("VPC_health"), CancellationToken.None);
        var instanceId = fixture.Scope.InstanceId;
        var member = (await manager.LoadMembersAsync(instanceId, channel.Id, CancellationToken.None)).Single(m => m.Host == "10.0.0.1");

        // What a health checker would record.
        var checkedMember = member with { HealthStatus = 2 };
        var write = new StoreTransaction().Put(VpcChannelStoreKeys.Member(instanceId, member.Id), JsonSerializer.SerializeToUtf8Bytes(checkedMember, VpcChannelJsonContext.Default.VpcMember));
        Assert.True((await fixture.Store.CommitAsync(write)).Succeeded);

        var listed = await manager.AddMembersAsync(fixture.Scope, channel.Id, new AddMembersRequest { Members = [new MemberInput { Host = "10.0.0.1", Weight = 50 }] }, CancellationToken.None);
        Assert.Equal(2, listed.Members.Single(m => m.Host == "10.0.0.1").HealthStatus);
        Assert.Null(listed.Members.Single(m => m.Host == "10.0.0.2").HealthStatus);
        var rewritten = (await manager.LoadMembersAsync(instanceId, channel.Id, CancellationToken.None)).Single(m => m.Host == "10.0.0.1");
        Assert.Equal(member.Id, rewritten.Id);
        Assert.Equal(50, rewritten.Weight);
        Assert.Equal(2, rewritten.HealthStatus);

        var shown = await manager.GetAsync(fixture.Scope, channel.Id, CancellationToken.None);
        var json = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(shown, VpcChannelJsonContext.Default.VpcChannel));
        Assert.Contains("\"health_status\":2", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_channel_quota_holds_under_concurrent_creates()
    {
        var fixture = await ApiFixture.CreateAsync();
        var manager = new VpcChannelManager(fixture.Writer, fixture.Clock);
        var attempts = Enumerable.Range(0, 40).Select(async i =>
        {
            await Task.Yield();
            try
            {
                await manager.CreateAsync(fixture.Scope, new VpcChannelRequest { Name = $"VPC_{i}", Port = 80 }, CancellationToken.None);
                return "ok";
            }
            catch (ApiErrorException error)
            {
                return error.ErrorCode;
            }
        });

        var outcomes = await Task.WhenAll(attempts);
        Assert.Equal(30, outcomes.Count(o => o == "ok"));
        Assert.Equal(10, outcomes.Count(o => o == "APIG.3109"));
        Assert.Equal(30, (await fixture.Store.ListAsync(VpcChannelStoreKeys.Channels(fixture.Scope.InstanceId))).Count);
    }

    [Fact]
    public async Task Names_stay_unique_under_concurrent_creates()
    {
        var fixture = await ApiFixture.CreateAsync();
        var manager = new VpcChannelManager(fixture.Writer, fixture.Clock);
        var attempts = Enumerable.Range(0, 10).Select(async _ =>
        {
            await Task.Yield();
            try
            {
                await manager.CreateAsync(fixture.Scope, new VpcChannelRequest { Name = "VPC_same", Port = 80 }, CancellationToken.None);
                return "ok";
            }
            catch (ApiErrorException error)
            {
                return error.ErrorCode;
            }
        });

        var outcomes = await Task.WhenAll(attempts);
        Assert.Equal(1, outcomes.Count(o => o == "ok"));
        Assert.All(outcomes.Where(o => o != "ok"), o => Assert.Equal("APIG.3208", o));
    }
}
