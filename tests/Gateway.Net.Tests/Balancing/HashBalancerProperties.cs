using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Balancing;

namespace Gateway.Net.Tests.Balancing;

/// <summary>Source-IP and URI hashing: stable, weighted, and consistent when members come and go.</summary>
public sealed class HashBalancerProperties
{
    private const int Keys = 4_000;

    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(60);

    private static Gen<int[]> Weights { get; } = Gen.Choose(2, 16).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 100), n));

    private static Gen<BalanceStrategy> Strategies { get; } = Gen.Elements(BalanceStrategy.SourceIpHash, BalanceStrategy.UriHash);

    [Fact]
    public void The_same_key_goes_to_the_same_member_on_every_balancer_built_from_the_same_members() =>
        Prop.ForAll(Weights.ToArbitrary(), Strategies.ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (weights, strategy, seed) =>
        {
            var first = new ConsistentHashBalancer(BalancerTestMembers.Create(weights), strategy);
            var second = new ConsistentHashBalancer(BalancerTestMembers.Create(weights), strategy);
            for (var key = seed; key < seed + 500 && key >= 0; key++)
            {
                var owner = BalancerTestMembers.Pick(first, key);
                Assert.Equal(owner, BalancerTestMembers.Pick(first, key));
                Assert.Equal(owner, BalancerTestMembers.Pick(second, key));
            }
        }).Check(s_config);

    [Fact]
    public void Adding_a_member_moves_only_the_keys_it_takes_about_its_share() =>
        Prop.ForAll(Weights.ToArbitrary(), Gen.Choose(1, 100).ToArbitrary(), Strategies.ToArbitrary(), (weights, added, strategy) =>
        {
            var before = new ConsistentHashBalancer(BalancerTestMembers.Create(weights), strategy);
            var after = new ConsistentHashBalancer(BalancerTestMembers.Create([.. weights, added]), strategy);
            var moved = 0;
            for (var key = 0; key < Keys; key++)
            {
                var owner = BalancerTestMembers.Pick(before, key);
                var now = BalancerTestMembers.Pick(after, key);
                if (owner != now)
                {
                    // Consistency: a key that moves moves to the new member, never between old ones.
                    Assert.Equal(weights.Length, now);
                    moved++;
                }
            }

            // About its weight share (1/N for equal weights) moves. Tolerance: the new member's ring arcs vary by
            // about 1/√points relative (16 points per unit of weight), plus sampling noise over 4,000 keys: within
            // 4 standard deviations of each, plus half a percent.
            var share = (double)added / (weights.Sum() + added);
            var points = 16.0 * added;
            var tolerance = (4 * share / Math.Sqrt(points)) + (4 * Math.Sqrt(share / Keys)) + 0.005;
            var fraction = (double)moved / Keys;
            Assert.True(Math.Abs(fraction - share) <= tolerance, $"{fraction:P2} of keys moved; the new member's share is {share:P2} (±{tolerance:P2})");
        }).Check(s_config);

    [Fact]
    public void Keys_spread_over_members_by_weight() =>
        Prop.ForAll(Weights.ToArbitrary(), Strategies.ToArbitrary(), (weights, strategy) =>
        {
            var balancer = new ConsistentHashBalancer(BalancerTestMembers.Create(weights), strategy);
            var counts = new int[weights.Length];
            for (var key = 0; key < 4 * Keys; key++)
            {
                counts[BalancerTestMembers.Pick(balancer, key)]++;
            }

            var total = weights.Sum();
            for (var i = 0; i < weights.Length; i++)
            {
                // Same tolerance reasoning as above: ring variance from the member's point count, plus sampling.
                var share = (double)weights[i] / total;
                var points = 16.0 * weights[i];
                var tolerance = (4 * share / Math.Sqrt(points)) + (4 * Math.Sqrt(share / (4.0 * Keys))) + 0.005;
                var fraction = counts[i] / (4.0 * Keys);
                Assert.True(Math.Abs(fraction - share) <= tolerance, $"member {i}: {fraction:P2} of keys, weight share {share:P2} (±{tolerance:P2})");
            }
        }).Check(s_config);

    [Fact]
    public void An_unhealthy_member_gives_up_only_its_own_keys() =>
        Prop.ForAll(Weights.ToArbitrary(), Gen.Choose(0, 15).ToArbitrary(), Strategies.ToArbitrary(), (weights, down, strategy) =>
        {
            down %= weights.Length;
            var members = BalancerTestMembers.Create(weights);
            var balancer = new ConsistentHashBalancer(members, strategy);
            var owners = Enumerable.Range(0, 1_000).Select(key => BalancerTestMembers.Pick(balancer, key)).ToArray();
            members[down].Health.SetHealthy(false);
            for (var key = 0; key < owners.Length; key++)
            {
                var now = BalancerTestMembers.Pick(balancer, key);
                Assert.NotEqual(down, now);
                if (owners[key] != down)
                {
                    Assert.Equal(owners[key], now);
                }
            }
        }).Check(s_config);
}
