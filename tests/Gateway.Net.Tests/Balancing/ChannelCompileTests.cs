using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Balancing;
using Gateway.Net.Health;

namespace Gateway.Net.Tests.Balancing;

/// <summary>What the compiler hands a channel's balancer: enabled members with weight, their ports and group weights.</summary>
public sealed class ChannelCompileTests
{
    [Fact]
    public void Disabled_and_weightless_members_are_never_picked() =>
        Prop.ForAll(
            Gen.Choose(1, 10).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 3).Zip(Gen.Elements(1, 1, 2)), n)).ToArbitrary(),
            Gen.Choose(1, 4).ToArbitrary(),
            (members, strategy) =>
            {
                var channel = ChannelModels.Channel("c1", strategy);
                var records = members.Select((m, i) => ChannelModels.Member("c1", $"m{i}", $"10.0.0.{i + 1}", m.Item1, m.Item2)).ToList();
                var snapshot = ChannelModels.Compile(ChannelModels.Model([ChannelModels.HttpApi("a1", "/a", "c1")], [channel], records));
                var balancer = ChannelModels.Plan(snapshot, "/a").Channel!.Balancer;
                var usable = records.Where(m => m.Status == 1 && m.Weight > 0).Select(m => m.Id).ToHashSet();
                Assert.Equal(usable.Order(), balancer.Members.Select(m => m.Id).Order());
                for (var key = 0; key < 200; key++)
                {
                    var picked = BalancerTestMembers.Pick(balancer, key);
                    if (usable.Count == 0)
                    {
                        Assert.Equal(-1, picked);
                        continue;
                    }

                    Assert.Contains(balancer.Members[picked].Id, usable);
                    balancer.Release(picked);
                }
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void Members_take_their_own_port_else_the_channels_and_a_group_weight_overrides_theirs()
    {
        var channel = ChannelModels.Channel("c1", port: 9000);
        var snapshot = ChannelModels.Compile(ChannelModels.Model(
            [ChannelModels.HttpApi("a1", "/a", "c1")],
            [channel],
            [
                ChannelModels.Member("c1", "m1", "10.0.0.1", weight: 7),
                ChannelModels.Member("c1", "m2", "10.0.0.2", weight: 7, port: 9100, groupId: "g1"),
                ChannelModels.Member("c1", "m3", "10.0.0.3", weight: 7, groupId: "g2"),
            ],
            [ChannelModels.Group("c1", "g1", 3), ChannelModels.Group("c1", "g2", null)]));
        var members = ChannelModels.Plan(snapshot, "/a").Channel!.Balancer.Members.OrderBy(m => m.Id).ToArray();
        Assert.Equal([9000, 9100, 9000], members.Select(m => m.Port));
        Assert.Equal([9000, 9100, 9000], members.Select(m => m.Endpoint.Port));
        Assert.Equal([7, 3, 7], members.Select(m => m.Weight));
    }

    [Fact]
    public void A_missing_channel_compiles_to_a_balancer_without_members()
    {
        var snapshot = ChannelModels.Compile(ChannelModels.Model([ChannelModels.HttpApi("a1", "/a", "nope")]));
        var plan = ChannelModels.Plan(snapshot, "/a");
        Assert.Null(plan.ConfigurationError);
        Assert.Empty(plan.Channel!.Balancer.Members);
    }

    [Fact]
    public void Health_and_load_outlive_a_recompile_and_removed_members_are_forgotten()
    {
        var health = new MemberHealthRegistry();
        var channel = ChannelModels.Channel("c1", strategy: 2);
        var m1 = ChannelModels.Member("c1", "m1", "10.0.0.1", 1);
        var m2 = ChannelModels.Member("c1", "m2", "10.0.0.2", 1);
        var first = ChannelModels.Plan(ChannelModels.Compile(ChannelModels.Model([ChannelModels.HttpApi("a1", "/a", "c1")], [channel], [m1, m2]), health), "/a");
        var held = first.Channel!.Balancer.Pick(default, default);
        first.Channel.Balancer.Members[1 - held].Health.SetHealthy(false);

        var second = ChannelModels.Plan(ChannelModels.Compile(ChannelModels.Model([ChannelModels.HttpApi("a1", "/a", "c1")], [channel], [m1, m2]), health), "/a");
        Assert.Same(first.Channel.Balancer.Members[held].Health, second.Channel!.Balancer.Members[held].Health);
        Assert.Equal(1, second.Channel.Balancer.Members[held].Load.InFlight);
        Assert.False(second.Channel.Balancer.Members[1 - held].Health.IsHealthy);

        ChannelModels.Compile(ChannelModels.Model([ChannelModels.HttpApi("a1", "/a", "c1")], [channel], [m1]), health);
        Assert.Single(health.Members);
    }
}
