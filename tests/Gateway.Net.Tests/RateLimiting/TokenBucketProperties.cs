using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.RateLimiting;

namespace Gateway.Net.Tests.RateLimiting;

public sealed class TokenBucketProperties
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void Decisions_equal_the_reference_model() =>
        Prop.ForAll(BucketScenario.Arbitrary, scenario =>
        {
            var (bucket, model, clock) = Start(scenario);
            var now = scenario.Start;
            foreach (var step in scenario.Steps)
            {
                now += scenario.GapOf(step);
                var permits = scenario.PermitsOf(step);
                var decision = bucket.TryAcquire(now, permits);
                var expected = model.Acquire(now, permits);
                Assert.Equal(expected, (decision.IsAdmitted, decision.Remaining, decision.RetryAfterTicks));
            }
        }).Check(s_config);

    [Fact]
    public void No_window_admits_more_than_capacity_plus_its_refill() =>
        Prop.ForAll(BucketScenario.Arbitrary, scenario =>
        {
            var (bucket, _, _) = Start(scenario);
            var limit = bucket.Limit;
            var admitted = new List<(long At, int Permits)>();
            var now = scenario.Start;
            foreach (var step in scenario.Steps)
            {
                now += scenario.GapOf(step);
                var permits = scenario.PermitsOf(step);
                if (bucket.TryAcquire(now, permits).IsAdmitted)
                {
                    admitted.Add((now, permits));
                }
            }

            for (var i = 0; i < admitted.Count; i++)
            {
                Int128 total = 0;
                for (var j = i; j < admitted.Count; j++)
                {
                    total += admitted[j].Permits;

                    // Refill between the two requests as the bucket sees time: whole quanta.
                    var quanta = (admitted[j].At / limit.QuantumTicks) - (admitted[i].At / limit.QuantumTicks);
                    var refill = (Int128)quanta * limit.QuantumTicks * limit.Capacity / limit.WindowTicks;
                    Assert.True(total <= limit.Capacity + refill, $"{total} admitted between {admitted[i].At} and {admitted[j].At}");
                    if (admitted[j].At - admitted[i].At <= limit.WindowTicks)
                    {
                        Assert.True(total <= 2 * (Int128)limit.Capacity);
                    }
                }
            }
        }).Check(s_config);

    [Fact]
    public void A_key_under_its_rate_is_never_rejected() =>
        Prop.ForAll(BucketScenario.Arbitrary, scenario =>
        {
            var (bucket, _, _) = Start(scenario);
            var spacing = (long)(((Int128)scenario.WindowTicks + scenario.Capacity - 1) / scenario.Capacity);
            var now = scenario.Start;
            foreach (var step in scenario.Steps)
            {
                // Never closer than one permit interval, sometimes much further apart.
                now += spacing + Math.Min(scenario.GapOf(step), scenario.WindowTicks);
                Assert.True(bucket.TryAcquire(now).IsAdmitted, $"rejected at {now}");
            }
        }).Check(s_config);

    [Fact]
    public void Retry_after_is_exact() =>
        Prop.ForAll(BucketScenario.Arbitrary, scenario =>
        {
            var (bucket, model, _) = Start(scenario);
            var now = scenario.Start;
            foreach (var step in scenario.Steps)
            {
                now += scenario.GapOf(step);
                var permits = scenario.PermitsOf(step);
                var decision = bucket.TryAcquire(now, permits);
                model.Acquire(now, permits);
                if (decision.IsAdmitted || decision.RetryAfterTicks == RateLimitDecision.Never)
                {
                    continue;
                }

                // One tick earlier is still too early; at the retry-after it fits (a rejection changes nothing).
                Assert.False(bucket.TryAcquire(now + decision.RetryAfterTicks - 1, permits).IsAdmitted);
                model.Acquire(now + decision.RetryAfterTicks - 1, permits);
                now += decision.RetryAfterTicks;
                Assert.True(bucket.TryAcquire(now, permits).IsAdmitted);
                Assert.True(model.Acquire(now, permits).Admitted);

                var seconds = decision.GetRetryAfterSeconds(scenario.Frequency);
                Assert.True((Int128)seconds * scenario.Frequency >= decision.RetryAfterTicks);
                Assert.True((Int128)(seconds - 1) * scenario.Frequency < decision.RetryAfterTicks);
            }
        }).Check(s_config);

    [Fact]
    public void Quantum_division_is_exact() =>
        Prop.ForAll(
            Arb.From(
                from capacity in BucketScenario.Capacities
                from window in BucketScenario.Windows
                from frequency in BucketScenario.Frequencies
                from high in Gen.Choose(0, int.MaxValue)
                from low in Gen.Choose(int.MinValue, int.MaxValue)
                select (capacity, window, frequency, timestamp: (((long)high << 31) | (uint)low) & ((1L << 62) - 1))),
            input =>
            {
                var limit = TokenBucketLimit.Create(input.capacity, input.window, input.frequency);
                Assert.Equal((ulong)(input.timestamp / limit.QuantumTicks), limit.ToQuanta(input.timestamp));
                Assert.Equal(0, limit.WindowTicks % limit.QuantumTicks);
                Assert.True(limit.BurstUnits <= TokenBucketLimit.MaxBurstUnits);
            }).Check(s_config);

    private static (TokenBucket Bucket, ReferenceTokenBucket Model, ManualTimeProvider Clock) Start(BucketScenario scenario)
    {
        var clock = new ManualTimeProvider(scenario.Frequency, scenario.Start);
        var limit = scenario.Limit();
        return (new TokenBucket(limit, clock), new ReferenceTokenBucket(limit, scenario.Start), clock);
    }
}
