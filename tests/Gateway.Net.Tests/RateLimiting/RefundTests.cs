using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.RateLimiting;

namespace Gateway.Net.Tests.RateLimiting;

/// <summary>Permits given back after another limit refused the request leave a bucket as if they were never taken.</summary>
public sealed class RefundTests
{
    private const long Hz = 1_000_000_000;
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(200);

    private static Gen<(int Capacity, int[] Gaps, int Taken, int[] Probes)> Scenario =>
        from capacity in Gen.Choose(1, 50)
        from gaps in Gen.ArrayOf(Gen.Choose(0, 40_000_000))
        from taken in Gen.Choose(1, 10)
        from probes in Gen.ArrayOf(Gen.Choose(0, 40_000_000))
        select (capacity, gaps, taken, probes);

    [Fact]
    public void A_bucket_that_took_and_refunded_permits_decides_like_one_that_never_took_them() =>
        Prop.ForAll(Scenario.ToArbitrary(), scenario =>
        {
            var clock = new ManualTimeProvider(Hz);
            var limit = TokenBucketLimit.Create(scenario.Capacity, 1, Hz);
            var refunded = new TokenBucket(limit, clock);
            var untouched = new TokenBucket(limit, clock);
            var now = clock.GetTimestamp();
            foreach (var gap in scenario.Gaps)
            {
                now += gap;
                Assert.Equal(untouched.TryAcquire(now).IsAdmitted, refunded.TryAcquire(now).IsAdmitted);
            }

            // Take what the bucket grants, then give exactly that back at the same instant.
            var granted = 0;
            for (var i = 0; i < scenario.Taken; i++)
            {
                granted += refunded.TryAcquire(now).IsAdmitted ? 1 : 0;
            }

            for (var i = 0; i < granted; i++)
            {
                refunded.Refund(now);
            }

            foreach (var gap in scenario.Probes)
            {
                now += gap;
                Assert.Equal(untouched.TryAcquire(now).IsAdmitted, refunded.TryAcquire(now).IsAdmitted);
            }
        }).Check(s_config);

    [Fact]
    public void Refunds_never_fill_a_bucket_beyond_its_capacity()
    {
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(5, 1, Hz), clock);
        var now = clock.GetTimestamp();
        bucket.Refund(now, 3);
        var admitted = 0;
        for (var i = 0; i < 10; i++)
        {
            admitted += bucket.TryAcquire(now).IsAdmitted ? 1 : 0;
        }

        Assert.Equal(5, admitted);
    }

    [Fact]
    public void A_keyed_refund_restores_that_key_only()
    {
        var clock = new ManualTimeProvider(Hz);
        var table = new KeyedBucketTable<BucketKey>(TokenBucketLimit.Create(2, 60, Hz));
        var now = clock.GetTimestamp();
        var first = BucketKey.ForSubject(7, 1);
        var second = BucketKey.ForSubject(7, 2);
        Assert.True(table.TryAcquire(first, now).IsAdmitted);
        Assert.True(table.TryAcquire(first, now).IsAdmitted);
        Assert.True(table.TryAcquire(second, now).IsAdmitted);
        Assert.True(table.TryAcquire(second, now).IsAdmitted);
        Assert.False(table.TryAcquire(first, now).IsAdmitted);

        table.Refund(first, now);
        table.Refund(BucketKey.ForSubject(7, 3), now); // never seen: nothing to give back, nothing created

        Assert.True(table.TryAcquire(first, now).IsAdmitted);
        Assert.False(table.TryAcquire(first, now).IsAdmitted);
        Assert.False(table.TryAcquire(second, now).IsAdmitted);
        Assert.Equal(2, table.Count);
    }
}
