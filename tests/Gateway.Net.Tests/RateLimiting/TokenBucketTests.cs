using Gateway.Net.RateLimiting;

namespace Gateway.Net.Tests.RateLimiting;

public sealed class TokenBucketTests
{
    private const long Hz = 1_000_000_000;

    [Fact]
    public void Concurrent_acquires_at_a_frozen_clock_admit_exactly_the_capacity()
    {
        const int capacity = 200_000;
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(capacity, 3_600, Hz), clock);
        var now = clock.GetTimestamp();
        var admitted = new long[8];
        using var start = new Barrier(admitted.Length);
        var threads = Enumerable.Range(0, admitted.Length).Select(index => new Thread(() =>
        {
            start.SignalAndWait();
            var count = 0L;
            var rejectionsInARow = 0;
            while (rejectionsInARow < 1_000)
            {
                if (bucket.TryAcquire(now).IsAdmitted)
                {
                    count++;
                    rejectionsInARow = 0;
                }
                else
                {
                    rejectionsInARow++;
                }
            }

            admitted[index] = count;
        })).ToArray();

        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(capacity, admitted.Sum());
        Assert.False(bucket.TryAcquire(now).IsAdmitted);
    }

    [Fact]
    public void Concurrent_acquires_of_several_permits_never_overdraw()
    {
        const int capacity = 100_000;
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(capacity, 60, Hz), clock);
        var now = clock.GetTimestamp();
        var admitted = new long[8];
        Parallel.For(0, admitted.Length, new ParallelOptions { MaxDegreeOfParallelism = admitted.Length }, index =>
        {
            var permits = 1 + (index % 3);
            for (var i = 0; i < 40_000; i++)
            {
                if (bucket.TryAcquire(now, permits).IsAdmitted)
                {
                    admitted[index] += permits;
                }
            }
        });

        Assert.True(admitted.Sum() <= capacity);
        Assert.True(admitted.Sum() > capacity - 3, "Only a remainder smaller than the largest request may be left.");
    }

    [Fact]
    public void The_largest_capacity_over_a_day_is_exact()
    {
        var clock = new ManualTimeProvider(Hz);
        var limit = TokenBucketLimit.Create(int.MaxValue, 1, RateLimitTimeUnit.Day, Hz);
        var bucket = new TokenBucket(limit, clock);
        var start = clock.GetTimestamp();

        Assert.True(bucket.TryAcquire(start, int.MaxValue).IsAdmitted);
        var empty = bucket.TryAcquire(start);
        Assert.False(empty.IsAdmitted);
        Assert.Equal(0, empty.Remaining);

        // Half a day refills exactly half, rounded down: 1073741823.5 permits.
        var half = start + (43_200 * Hz);
        Assert.True(bucket.TryAcquire(half, int.MaxValue / 2).IsAdmitted);
        Assert.False(bucket.TryAcquire(half).IsAdmitted);

        // The half permit left over is never lost: a full day after the drain the bucket holds the whole capacity again,
        // minus what was taken at noon.
        var day = start + (86_400 * Hz);
        var atDay = bucket.TryAcquire(day, int.MaxValue / 2 + 1);
        Assert.True(atDay.IsAdmitted);
        Assert.Equal(0, atDay.Remaining);
        Assert.False(bucket.TryAcquire(day).IsAdmitted);
        Assert.True(bucket.TryAcquire(start + (2 * 86_400 * Hz), int.MaxValue).IsAdmitted);
    }

    [Fact]
    public void Refill_never_drifts_over_many_windows()
    {
        // 7 per 3 s: one permit every 428571428.57 ns, a rate no clock tick divides.
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(7, 3, Hz), clock);
        var now = clock.GetTimestamp();
        Assert.True(bucket.TryAcquire(now, 7).IsAdmitted);
        long admitted = 0;
        for (var i = 0; i < 1_000_000; i++)
        {
            now += 3 * Hz / 7;
            if (bucket.TryAcquire(now).IsAdmitted)
            {
                admitted++;
            }
        }

        // Each step (428571428 ns) refills a hair under one permit; a million steps refill 999999.998 permits, so exactly
        // 999999 can have been taken, with nothing lost or gained to rounding.
        Assert.Equal(999_999, admitted);
    }

    [Theory]
    [InlineData(200, 1, 1L)]
    [InlineData(1_000_000, 1, 1L)]
    [InlineData(999_983, 1, 2_500L)]
    [InlineData(int.MaxValue, 1, 5_000_000L)]
    [InlineData(int.MaxValue, 86_400, 5_000_000L)]
    [InlineData(int.MaxValue, TokenBucketLimit.MaxWindowSeconds, 96_000_000_000L)]
    public void Quanta_are_as_fine_as_the_ranges_allow(int capacity, long windowSeconds, long expectedQuantum)
    {
        var limit = TokenBucketLimit.Create(capacity, windowSeconds, Hz);
        Assert.Equal(expectedQuantum, limit.QuantumTicks);
    }

    [Fact]
    public void Every_capacity_and_window_fits_the_word()
    {
        foreach (var frequency in new[] { Hz, 10_000_000L, 3_579_545L, 1L << 30 })
        {
            foreach (var capacity in new[] { 1, 2, 3, 1_000, 999_983, int.MaxValue - 1, int.MaxValue })
            {
                foreach (var window in new[] { 1L, 7, 60, 86_400, 31_536_000, TokenBucketLimit.MaxWindowSeconds })
                {
                    var limit = TokenBucketLimit.Create(capacity, window, frequency);
                    Assert.True(limit.BurstUnits <= TokenBucketLimit.MaxBurstUnits);
                    Assert.Equal(0, limit.WindowTicks % limit.QuantumTicks);
                    Assert.True((Int128)limit.UnitsPerQuantum * TokenBucketLimit.ReadableSpanSeconds * frequency <= (Int128)TokenBucketLimit.WrapUnits * limit.QuantumTicks);
                }
            }
        }
    }

    [Fact]
    public void Limits_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenBucketLimit.Create(0, 1, Hz));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenBucketLimit.Create(1, 0, Hz));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenBucketLimit.Create(1, TokenBucketLimit.MaxWindowSeconds + 1, Hz));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenBucketLimit.Create(1, int.MaxValue, RateLimitTimeUnit.Day, Hz));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(TokenBucketLimit.Create(1, 1, Hz), new ManualTimeProvider(Hz)).TryAcquire(0));
    }

    [Fact]
    public void A_request_larger_than_the_capacity_is_never_admitted()
    {
        var bucket = new TokenBucket(TokenBucketLimit.Create(5, 1, Hz), new ManualTimeProvider(Hz));
        var decision = bucket.TryAcquire(6);
        Assert.False(decision.IsAdmitted);
        Assert.Equal(5, decision.Remaining);
        Assert.Equal(RateLimitDecision.Never, decision.RetryAfterTicks);
        Assert.Equal(int.MaxValue, decision.GetRetryAfterSeconds(Hz));
        Assert.Equal(TimeSpan.MaxValue, decision.GetRetryAfter(Hz));
    }

    [Fact]
    public void Retry_after_seconds_round_up()
    {
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(10, 1, RateLimitTimeUnit.Minute, Hz), clock);
        Assert.True(bucket.TryAcquire(10).IsAdmitted);
        clock.Advance(TimeSpan.FromMilliseconds(500));

        // One permit per 6 s; 0.5 s of it already refilled.
        var decision = bucket.TryAcquire();
        Assert.False(decision.IsAdmitted);
        Assert.Equal(5_500_000_000, decision.RetryAfterTicks);
        Assert.Equal(TimeSpan.FromSeconds(5.5), decision.GetRetryAfter(Hz));
        Assert.Equal(6, decision.GetRetryAfterSeconds(Hz));
        Assert.False(default(RateLimitDecision).IsAdmitted);
    }

    [Fact]
    public void The_bucket_clock_is_read_when_no_timestamp_is_given()
    {
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(1, 1, Hz), clock);
        Assert.True(bucket.TryAcquire().IsAdmitted);
        Assert.False(bucket.TryAcquire().IsAdmitted);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(bucket.TryAcquire().IsAdmitted);

        var system = new TokenBucket(TokenBucketLimit.Create(1, 3_600, System.Diagnostics.Stopwatch.Frequency));
        Assert.True(system.TryAcquire().IsAdmitted);
        Assert.False(system.TryAcquire().IsAdmitted);
        Assert.Throws<ArgumentException>(() => new TokenBucket(TokenBucketLimit.Create(1, 1, 1_000), clock));
    }

    [Fact]
    public void Raising_the_limit_keeps_the_permits_already_taken()
    {
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(10, 60, Hz), clock);
        var now = clock.GetTimestamp();
        Assert.True(bucket.TryAcquire(now, 6).IsAdmitted);

        bucket.Reconfigure(TokenBucketLimit.Create(20, 60, Hz), now);
        var decision = bucket.TryAcquire(now);
        Assert.True(decision.IsAdmitted);
        Assert.Equal(13, decision.Remaining);
        Assert.Equal(20, bucket.Limit.Capacity);
    }

    [Fact]
    public void Lowering_the_limit_below_what_was_taken_leaves_the_bucket_overdrawn()
    {
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(10, 60, Hz), clock);
        var now = clock.GetTimestamp();
        Assert.True(bucket.TryAcquire(now, 6).IsAdmitted);

        // 6 taken against a limit of 5: the next permit comes once 2 have refilled at one per 12 s.
        bucket.Reconfigure(TokenBucketLimit.Create(5, 60, Hz), now);
        var decision = bucket.TryAcquire(now);
        Assert.False(decision.IsAdmitted);
        Assert.Equal(0, decision.Remaining);
        Assert.Equal(24 * Hz, decision.RetryAfterTicks);
        Assert.True(bucket.TryAcquire(now + (24 * Hz)).IsAdmitted);

        // Raising it back forgives nothing either: the 5 permits still owed stay owed.
        bucket.Reconfigure(TokenBucketLimit.Create(10, 60, Hz), now + (24 * Hz));
        Assert.Equal(4, bucket.TryAcquire(now + (24 * Hz)).Remaining);
    }

    [Fact]
    public void Changing_the_window_keeps_the_debt_in_permits()
    {
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(10, 1, RateLimitTimeUnit.Second, Hz), clock);
        var now = clock.GetTimestamp();
        Assert.True(bucket.TryAcquire(now, 4).IsAdmitted);

        // Still 4 of 10 taken, now refilling one permit per 6 minutes.
        bucket.Reconfigure(TokenBucketLimit.Create(10, 1, RateLimitTimeUnit.Hour, Hz), now);
        var decision = bucket.TryAcquire(now, 7);
        Assert.False(decision.IsAdmitted);
        Assert.Equal(6, decision.Remaining);
        Assert.Equal(360 * Hz, decision.RetryAfterTicks);
    }

    [Fact]
    public void Repeated_reconfigurations_translate_step_by_step()
    {
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(100, 60, Hz), clock);
        var now = clock.GetTimestamp();
        Assert.True(bucket.TryAcquire(now, 30).IsAdmitted);
        for (var i = 0; i < 600; i++)
        {
            bucket.Reconfigure(TokenBucketLimit.Create(i % 2 == 0 ? 200 : 100, 60, Hz), now);
        }

        // 600 generations later (the 3-bit tag wrapped many times) the 30 permits are still taken.
        var decision = bucket.TryAcquire(now);
        Assert.True(decision.IsAdmitted);
        Assert.Equal(69, decision.Remaining);

        bucket.Reconfigure(TokenBucketLimit.Create(100, 60, Hz), now);
        Assert.Equal(69, bucket.TryAcquire(now, 0 + 1).Remaining + 1);
    }

    [Fact]
    public void An_equivalent_limit_changes_nothing()
    {
        var clock = new ManualTimeProvider(Hz);
        var limit = TokenBucketLimit.Create(10, 60, Hz);
        var bucket = new TokenBucket(limit, clock);
        bucket.Reconfigure(TokenBucketLimit.Create(10, 60, Hz), clock.GetTimestamp());
        Assert.Same(limit, bucket.Limit);
    }

    [Fact]
    public void Refreshing_a_full_bucket_keeps_it_full_and_a_drained_one_drained()
    {
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(3, 60, Hz), clock);
        var now = clock.GetTimestamp();
        bucket.Refresh(now + (3_600 * Hz));
        Assert.Equal(2, bucket.TryAcquire(now + (3_600 * Hz)).Remaining);

        bucket.Refresh(now + (3_600 * Hz));
        Assert.Equal(1, bucket.TryAcquire(now + (3_600 * Hz)).Remaining);
    }
}
