using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Balancing;

namespace Gateway.Net.Tests.Balancing;

/// <summary>Weighted least connections: every pick is the least loaded member relative to its weight.</summary>
public sealed class LeastConnectionsProperties
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(200);

    /// <summary>Picks (true) and releases of a random request in flight (false, with a seed choosing which).</summary>
    private static Gen<(bool Pick, int Seed)[]> Operations { get; } =
        Gen.Choose(1, 300).SelectMany(n => Gen.ArrayOf(
            from pick in Gen.Frequency((3, Gen.Constant(true)), (2, Gen.Constant(false)))
            from seed in Gen.Choose(0, int.MaxValue)
            select (pick, seed), n));

    [Fact]
    public void Every_pick_has_the_least_load_relative_to_weight() =>
        Prop.ForAll(RoundRobinProperties.Weights.ToArbitrary(), Operations.ToArbitrary(), (weights, operations) =>
        {
            var members = BalancerTestMembers.Create(weights, prefix: Guid.NewGuid().ToString("N"));
            var balancer = new WeightedLeastConnections(members);
            var inFlight = new List<int>();
            foreach (var (pick, seed) in operations)
            {
                if (!pick && inFlight.Count > 0)
                {
                    var index = seed % inFlight.Count;
                    balancer.Release(inFlight[index]);
                    inFlight.RemoveAt(index);
                    continue;
                }

                var loads = members.Select(m => m.Load.InFlight).ToArray();
                var chosen = balancer.Pick(default, default);
                inFlight.Add(chosen);
                for (var i = 0; i < members.Length; i++)
                {
                    // (load+1)/weight of the chosen member is no more than any other's, compared exactly.
                    Assert.True((loads[chosen] + 1L) * weights[i] <= (loads[i] + 1L) * weights[chosen],
                        $"picked {chosen} (load {loads[chosen]}, weight {weights[chosen]}) over {i} (load {loads[i]}, weight {weights[i]})");
                }

                Assert.Equal(loads[chosen] + 1, members[chosen].Load.InFlight);
            }

            Assert.Equal(inFlight.Count, members.Sum(m => m.Load.InFlight));
        }).Check(s_config);

    [Fact]
    public void Requests_that_never_overlap_take_turns()
    {
        var members = BalancerTestMembers.Create([1, 1, 1], prefix: Guid.NewGuid().ToString("N"));
        var balancer = new WeightedLeastConnections(members);
        var picks = new List<int>();
        for (var i = 0; i < 9; i++)
        {
            var member = balancer.Pick(default, default);
            picks.Add(member);
            balancer.Release(member);
        }

        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1, 2], picks);
    }

    [Fact]
    public void Held_requests_fill_members_in_proportion_to_weight()
    {
        var members = BalancerTestMembers.Create([1, 2, 5], prefix: Guid.NewGuid().ToString("N"));
        var balancer = new WeightedLeastConnections(members);
        for (var i = 0; i < 80; i++)
        {
            balancer.Pick(default, default);
        }

        Assert.Equal([10, 20, 50], members.Select(m => m.Load.InFlight));
    }

    [Fact]
    public void Counts_survive_a_rebuilt_balancer_and_release_through_the_old_one()
    {
        var members = BalancerTestMembers.Create([1, 1], prefix: Guid.NewGuid().ToString("N"));
        var before = new WeightedLeastConnections(members);
        var held = before.Pick(default, default);

        // A recompile: same members (same health objects), new balancer. It sees the request in flight.
        var after = new WeightedLeastConnections(members);
        Assert.Equal(1 - held, after.Pick(default, default));
        before.Release(held);
        Assert.Equal(0, members[held].Load.InFlight);
    }
}
