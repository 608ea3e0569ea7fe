using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Balancing;

namespace Gateway.Net.Tests.Balancing;

/// <summary>Backups, health and failing open, for every strategy.</summary>
public sealed class TierProperties
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(200);

    private sealed record Scenario(int Strategy, int[] Weights, bool[] Backups, bool[] Healthy, bool[] HealthyLater);

    private static Gen<Scenario> Scenarios { get; } =
        from strategy in Gen.Choose(1, 4)
        from count in Gen.Choose(1, 8)
        from weights in Gen.ArrayOf(Gen.Choose(1, 20), count)
        from backups in Gen.ArrayOf(Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true))), count)
        from healthy in Gen.ArrayOf(Gen.Frequency((2, Gen.Constant(true)), (1, Gen.Constant(false))), count)
        from later in Gen.ArrayOf(Gen.Frequency((2, Gen.Constant(true)), (1, Gen.Constant(false))), count)
        select new Scenario(strategy, weights, backups, healthy, later);

    [Fact]
    public void Healthy_primaries_first_then_healthy_backups_then_everyone() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            var members = BalancerTestMembers.Create(scenario.Weights, scenario.Backups, prefix: Guid.NewGuid().ToString("N"));
            var balancer = ChannelBalancer.Create(scenario.Strategy, members);
            Check(balancer, members, scenario.Healthy);

            // Health changes after the balancer was built (members failing, and members coming back) are followed too.
            Check(balancer, members, scenario.HealthyLater);
        }).Check(s_config);

    private static void Check(ChannelBalancer balancer, BalancerMember[] members, bool[] healthy)
    {
        for (var i = 0; i < members.Length; i++)
        {
            members[i].Health.SetHealthy(healthy[i]);
        }

        // One pass of the sweep lets the balancer notice members that came back.
        for (var i = 0; i <= members.Length; i++)
        {
            Release(balancer, BalancerTestMembers.Pick(balancer, i));
        }

        var anyPrimary = members.Where((m, i) => !m.IsBackup && healthy[i]).Any();
        var anyBackup = members.Where((m, i) => m.IsBackup && healthy[i]).Any();
        for (var key = 0; key < 100; key++)
        {
            var picked = BalancerTestMembers.Pick(balancer, key * 7919);
            Release(balancer, picked);
            Assert.InRange(picked, 0, members.Length - 1);
            if (anyPrimary)
            {
                Assert.True(!members[picked].IsBackup && healthy[picked], $"{balancer.Strategy}: picked {members[picked]} while a primary is healthy");
            }
            else if (anyBackup)
            {
                Assert.True(members[picked].IsBackup && healthy[picked], $"{balancer.Strategy}: picked {members[picked]} while a backup is healthy");
            }
        }

        Assert.Equal(anyPrimary ? MemberTier.Primaries : anyBackup ? MemberTier.Backups : MemberTier.All, balancer.Tier);
    }

    private static void Release(ChannelBalancer balancer, int member)
    {
        if (member >= 0)
        {
            balancer.Release(member);
        }
    }

    [Fact]
    public void When_every_member_is_down_round_robin_fails_open_by_weight()
    {
        var members = BalancerTestMembers.Create([3, 1, 2], [false, false, true]);
        var balancer = new SmoothWeightedRoundRobin(members);
        foreach (var member in members)
        {
            member.Health.SetHealthy(false);
        }

        for (var i = 0; i <= members.Length; i++)
        {
            balancer.Pick(default, default);
        }

        var counts = new int[3];
        for (var i = 0; i < 60; i++)
        {
            counts[balancer.Pick(default, default)]++;
        }

        Assert.Equal(MemberTier.All, balancer.Tier);
        Assert.Equal([30, 10, 20], counts);
    }

    [Fact]
    public void A_channel_without_members_picks_nobody()
    {
        for (var strategy = 1; strategy <= 4; strategy++)
        {
            Assert.Equal(-1, ChannelBalancer.Create(strategy, []).Pick("1.2.3.4"u8, "/a"u8));
        }
    }

    [Fact]
    public void A_retry_avoids_the_member_that_failed_when_another_can_serve()
    {
        for (var strategy = 1; strategy <= 4; strategy++)
        {
            var members = BalancerTestMembers.Create([5, 1, 1], prefix: Guid.NewGuid().ToString("N"));
            var balancer = ChannelBalancer.Create(strategy, members);
            for (var key = 0; key < 50; key++)
            {
                var first = BalancerTestMembers.Pick(balancer, key);
                balancer.Release(first);
                var retry = balancer.Pick("k"u8, "k"u8, exclude: first);
                balancer.Release(retry);
                Assert.NotEqual(first, retry);
            }

            var single = ChannelBalancer.Create(strategy, BalancerTestMembers.Create([1], prefix: Guid.NewGuid().ToString("N")));
            Assert.Equal(0, single.Pick("k"u8, "k"u8, exclude: 0));
        }
    }
}
