using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Balancing;

namespace Gateway.Net.Tests.Balancing;

/// <summary>Smooth weighted round robin: exact shares per cycle, no bursts beyond what the weights force.</summary>
public sealed class RoundRobinProperties
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(200);

    /// <summary>1–12 members with weights 1–60 (a few with a dominant weight up to 10,000).</summary>
    internal static Gen<int[]> Weights { get; } =
        Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.Frequency((9, Gen.Choose(1, 60)), (1, Gen.Choose(61, 10_000))), n));

    [Fact]
    public void Every_window_of_one_cycle_gives_each_member_exactly_its_weight() =>
        Prop.ForAll(Weights.ToArbitrary(), Gen.Choose(0, 5_000).ToArbitrary(), (weights, offset) =>
        {
            var balancer = new SmoothWeightedRoundRobin(BalancerTestMembers.Create(weights));
            var cycle = weights.Sum();
            for (var i = 0; i < offset; i++)
            {
                balancer.Pick(default, default);
            }

            var counts = new int[weights.Length];
            for (var i = 0; i < cycle; i++)
            {
                counts[balancer.Pick(default, default)]++;
            }

            Assert.Equal(weights, counts);
        }).Check(s_config);

    [Fact]
    public void No_member_runs_longer_than_its_weight_forces() =>
        Prop.ForAll(Weights.Where(w => w.Length >= 2).ToArbitrary(), weights =>
        {
            var balancer = new SmoothWeightedRoundRobin(BalancerTestMembers.Create(weights));
            var cycle = weights.Sum();
            var picks = new List<int>();
            for (var i = 0; i < 3 * cycle; i++)
            {
                picks.Add(balancer.Pick(default, default));
            }

            // Spread evenly, a member with weight w among W can be forced into runs of ⌈w/(W−w)⌉ (the others cannot
            // separate it more often); one more is allowed where two cycles meet. Across cycles included.
            var runs = BalancerTestMembers.LongestRuns(picks, weights.Length);
            for (var i = 0; i < weights.Length; i++)
            {
                var bound = (int)Math.Ceiling((double)weights[i] / (cycle - weights[i])) + 1;
                Assert.True(runs[i] <= bound, $"member {i} (weight {weights[i]} of {cycle}) ran {runs[i]} times in a row; bound {bound}");
            }

            // Smooth at every prefix: a member's count never strays a whole pick from its ideal share.
            var counts = new int[weights.Length];
            for (var t = 0; t < cycle; t++)
            {
                counts[picks[t]]++;
                for (var i = 0; i < weights.Length; i++)
                {
                    var ideal = (double)(t + 1) * weights[i] / cycle;
                    Assert.True(Math.Abs(counts[i] - ideal) < 1.0 + 1e-9, $"after {t + 1} picks member {i} has {counts[i]}, ideal {ideal:F2}");
                }
            }
        }).Check(s_config);

    [Fact]
    public void The_documented_example_interleaves_the_heavy_member()
    {
        // Weights 5, 1, 1: the heavy member never takes more than three slots in a row, even across cycles.
        var balancer = new SmoothWeightedRoundRobin(BalancerTestMembers.Create([5, 1, 1]));
        var picks = Enumerable.Range(0, 21).Select(_ => balancer.Pick(default, default)).ToList();
        Assert.Equal(15, picks.Count(p => p == 0));
        Assert.True(BalancerTestMembers.LongestRuns(picks, 3)[0] <= 3, string.Join(",", picks));
    }

    [Fact]
    public void An_unhealthy_member_is_skipped_and_the_others_keep_their_ratio() =>
        Prop.ForAll(Weights.Where(w => w.Length >= 2).ToArbitrary(), Gen.Choose(0, 11).ToArbitrary(), (weights, down) =>
        {
            down %= weights.Length;
            var members = BalancerTestMembers.Create(weights);
            var balancer = new SmoothWeightedRoundRobin(members);
            members[down].Health.SetHealthy(false);
            var healthyCycle = weights.Sum() - weights[down];

            // The sweep notices the change within one pass over the members (sooner if the member comes up); from
            // then on the schedule is the healthy members' and every window of its length is exact.
            for (var i = 0; i <= weights.Length; i++)
            {
                Assert.NotEqual(down, balancer.Pick(default, default));
            }

            var counts = new int[weights.Length];
            for (var i = 0; i < 2 * healthyCycle; i++)
            {
                counts[balancer.Pick(default, default)]++;
            }

            Assert.Equal(0, counts[down]);
            for (var i = 0; i < weights.Length; i++)
            {
                if (i != down)
                {
                    Assert.Equal(2 * weights[i], counts[i]);
                }
            }
        }).Check(s_config);
}
