using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.RateLimiting;
using Gateway.Net.Timing;

namespace Gateway.Net.Tests.RateLimiting;

[Collection(ProcessMemoryCollection.Name)]
public sealed class KeyedBucketTableTests
{
    private const long Hz = 1_000_000_000;

    [Fact]
    public void Each_key_gets_the_decisions_of_its_own_bucket() =>
        Prop.ForAll(
            Arb.From(
                from scenario in BucketScenario.Arbitrary.Generator
                from keys in Gen.ArrayOf(Gen.Choose(0, 40), scenario.Steps.Length)
                select (scenario, keys)),
            input =>
            {
                var (scenario, keys) = input;
                var limit = scenario.Limit();
                var table = new KeyedBucketTable<BucketKey>(limit, new KeyedBucketTableOptions { MaxEntries = 1_000, StripeCount = 4 });
                var models = new Dictionary<int, ReferenceTokenBucket>();
                var now = scenario.Start;
                for (var i = 0; i < scenario.Steps.Length; i++)
                {
                    var step = scenario.Steps[i];
                    now += scenario.GapOf(step);
                    var permits = scenario.PermitsOf(step);
                    if (!models.TryGetValue(keys[i], out var model))
                    {
                        models[keys[i]] = model = new ReferenceTokenBucket(limit, now);
                    }

                    var decision = table.TryAcquire(BucketKey.ForSubject(7, (ulong)keys[i]), now, permits);
                    Assert.Equal(model.Acquire(now, permits), (decision.IsAdmitted, decision.Remaining, decision.RetryAfterTicks));

                    // What the heartbeat does: dropping full buckets must never change a later decision.
                    table.EvictIdle(now);
                    Assert.True(table.Count <= models.Count);
                }
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void The_cap_holds_under_two_million_distinct_keys()
    {
        const int cap = 50_000;
        var clock = new ManualTimeProvider(Hz);
        var table = new KeyedBucketTable<BucketKey>(
            TokenBucketLimit.Create(600, 1, Hz), new KeyedBucketTableOptions { MaxEntries = cap });
        var now = clock.GetTimestamp();

        // Fill to the cap, then measure what two million more keys cost.
        for (var i = 0; i < cap; i++)
        {
            table.TryAcquire(Address(i), now);
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = cap; i < 2_000_000; i++)
        {
            // One microsecond per key: a bucket refills (and may be reclaimed) 1667 keys after it was taken.
            table.TryAcquire(Address(i), now + (i * 1_000L));
            Assert.True(table.Count <= cap);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(table.Count <= cap);
        Assert.True(table.OverflowAcquires > 0);
        Assert.True(after - before < 4 * 1024 * 1024, $"grew by {after - before} bytes");
    }

    [Fact]
    public void An_active_key_keeps_its_limit_during_a_flood_of_new_keys()
    {
        var clock = new ManualTimeProvider(Hz);
        var limit = TokenBucketLimit.Create(10, 1, RateLimitTimeUnit.Minute, Hz);
        var table = new KeyedBucketTable<BucketKey>(limit, new KeyedBucketTableOptions { MaxEntries = 1_000, StripeCount = 2 });
        var victim = Address(-1);
        var now = clock.GetTimestamp();
        var model = new ReferenceTokenBucket(limit, now);
        long admitted = 0;

        for (var i = 0; i < 1_000_000; i++)
        {
            now += 100_000;
            if (i % 1_000 == 0)
            {
                var decision = table.TryAcquire(victim, now);
                Assert.Equal(model.Acquire(now, 1), (decision.IsAdmitted, decision.Remaining, decision.RetryAfterTicks));
                admitted += decision.IsAdmitted ? 1 : 0;
            }

            // Every flood key drains its own bucket, so none of them can be reclaimed until it refills.
            table.TryAcquire(Address(i), now, 10);
            Assert.True(table.Count <= 1_000);
        }

        // 100 s of flood: 10 at the start plus 10 per minute of refill.
        Assert.Equal(26, admitted);
        Assert.True(table.OverflowAcquires > 0);
    }

    [Fact]
    public void A_key_that_drew_on_the_overflow_keeps_that_debt_when_it_gets_a_bucket()
    {
        var limit = TokenBucketLimit.Create(5, 60, Hz);
        var table = new KeyedBucketTable<BucketKey>(limit, new KeyedBucketTableOptions { MaxEntries = 1, IdleTimeout = TimeSpan.Zero });
        var now = 1_000 * Hz;

        Assert.True(table.TryAcquire(Address(1), now).IsAdmitted);

        // The only slot holds key 1's partly drained bucket: key 2 is served by the overflow, which it drains.
        Assert.True(table.TryAcquire(Address(2), now, 5).IsAdmitted);
        Assert.False(table.TryAcquire(Address(2), now).IsAdmitted);
        Assert.Equal(1, table.Count);

        // Key 1 refills and is evicted; key 2 then gets a bucket, but with the overflow's debt, not a fresh burst.
        now += 12 * Hz;
        Assert.Equal(1, table.EvictIdle(now));
        Assert.Equal(0, table.Count);
        var decision = table.TryAcquire(Address(2), now, 5);
        Assert.False(decision.IsAdmitted);
        Assert.Equal(1, decision.Remaining);
        Assert.True(table.TryAcquire(Address(2), now).IsAdmitted);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_full_bucket_is_reclaimed_for_a_new_key()
    {
        var limit = TokenBucketLimit.Create(5, 60, Hz);
        var table = new KeyedBucketTable<BucketKey>(limit, new KeyedBucketTableOptions { MaxEntries = 1 });
        var now = 1_000 * Hz;
        Assert.True(table.TryAcquire(Address(1), now).IsAdmitted);

        // Twelve seconds later key 1 is full again: dropping it loses nothing, so key 2 takes its place.
        now += 12 * Hz;
        Assert.Equal(4, table.TryAcquire(Address(2), now).Remaining);
        Assert.Equal(0, table.OverflowAcquires);
        Assert.Equal(4, table.TryAcquire(Address(1), now).Remaining);
    }

    [Fact]
    public void The_heartbeat_evicts_idle_keys()
    {
        var clock = new ManualTimeProvider(Hz);
        using var heartbeat = new Heartbeat(clock);
        var table = new KeyedBucketTable<BucketKey>(
            TokenBucketLimit.Create(100, 1, Hz), new KeyedBucketTableOptions { MaxEntries = 10_000, IdleTimeout = TimeSpan.FromSeconds(10) });
        using var registration = heartbeat.Register(table);
        heartbeat.Start();

        for (var i = 0; i < 1_000; i++)
        {
            table.TryAcquire(Address(i), clock.GetTimestamp());
        }

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1_000, table.Count);
        table.TryAcquire(Address(0), clock.GetTimestamp());

        // Full since about 0.01 s: gone once the heartbeat after 10.01 s has run; key 0 was touched at 5 s and stays.
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, table.Count);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Inserting_and_evicting_over_and_over_stays_within_the_cap()
    {
        var limit = TokenBucketLimit.Create(3, 1, Hz);
        var table = new KeyedBucketTable<BucketKey>(limit, new KeyedBucketTableOptions { MaxEntries = 4_096, IdleTimeout = TimeSpan.Zero, StripeCount = 4 });
        var now = 1_000 * Hz;
        var models = new Dictionary<int, ReferenceTokenBucket>();
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 3_000; i++)
            {
                var key = (round * 1_000) + i;
                if (!models.TryGetValue(key, out var model))
                {
                    models[key] = model = new ReferenceTokenBucket(limit, now);
                }

                var decision = table.TryAcquire(Address(key), now);
                Assert.Equal(model.Acquire(now, 1).Admitted, decision.IsAdmitted);
            }

            now += Hz / 2;
            table.EvictIdle(now);
            Assert.True(table.Count <= 4_096);
        }
    }

    [Fact]
    public void Concurrent_acquires_on_one_key_admit_exactly_the_capacity()
    {
        const int capacity = 100_000;
        var table = new KeyedBucketTable<BucketKey>(TokenBucketLimit.Create(capacity, 3_600, Hz));
        var now = 1_000 * Hz;
        var admitted = new long[8];
        Parallel.For(0, admitted.Length, new ParallelOptions { MaxDegreeOfParallelism = admitted.Length }, index =>
        {
            for (var i = 0; i < 30_000; i++)
            {
                if (table.TryAcquire(Address(42), now).IsAdmitted)
                {
                    admitted[index]++;
                }
            }
        });

        Assert.Equal(capacity, admitted.Sum());
    }

    [Fact]
    public void Concurrent_inserts_give_every_key_exactly_its_capacity()
    {
        const int keys = 20_000;
        const int capacity = 4;
        var table = new KeyedBucketTable<BucketKey>(
            TokenBucketLimit.Create(capacity, 3_600, Hz), new KeyedBucketTableOptions { MaxEntries = 2 * keys, StripeCount = 8 });
        var now = 1_000 * Hz;
        var admitted = new int[keys];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            // Every worker walks every key (from its own starting point), twice the capacity each.
            for (var n = 0; n < keys; n++)
            {
                var key = (n + (worker * 2_500)) % keys;
                if (table.TryAcquire(Address(key), now).IsAdmitted)
                {
                    Interlocked.Increment(ref admitted[key]);
                }
            }
        });

        Assert.All(admitted, count => Assert.Equal(capacity, count));
        Assert.Equal(keys, table.Count);
    }

    [Fact]
    public void Reconfiguring_keeps_every_key_with_the_permits_it_took()
    {
        var table = new KeyedBucketTable<BucketKey>(TokenBucketLimit.Create(10, 60, Hz), new KeyedBucketTableOptions { StripeCount = 4 });
        var now = 1_000 * Hz;
        for (var i = 0; i < 5_000; i++)
        {
            Assert.True(table.TryAcquire(Address(i), now, 1 + (i % 10)).IsAdmitted);
        }

        table.Reconfigure(TokenBucketLimit.Create(20, 60, Hz), now);
        table.Reconfigure(TokenBucketLimit.Create(15, 60, Hz), now);
        for (var i = 0; i < 5_000; i++)
        {
            var decision = table.TryAcquire(Address(i), now, 0 + 1);
            Assert.True(decision.IsAdmitted);
            Assert.Equal(15 - (1 + (i % 10)) - 1, decision.Remaining);
        }

        Assert.Equal(5_000, table.Count);
        Assert.Equal(15, table.Limit.Capacity);
    }

    [Fact]
    public async Task Reconfiguring_while_acquiring_never_grants_a_fresh_burst()
    {
        var table = new KeyedBucketTable<BucketKey>(TokenBucketLimit.Create(1_000, 3_600, Hz), new KeyedBucketTableOptions { StripeCount = 2 });
        var now = 1_000 * Hz;
        long admitted = 0;
        var stop = 0;
        var acquirers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                if (table.TryAcquire(Address(1), now).IsAdmitted)
                {
                    Interlocked.Increment(ref admitted);
                }
            }
        })).ToArray();

        // Alternate between 1000 and 2000 per hour: at a frozen clock no key may ever get more than 2000 in all.
        for (var i = 0; i < 200; i++)
        {
            table.Reconfigure(TokenBucketLimit.Create(i % 2 == 0 ? 2_000 : 1_000, 3_600, Hz), now);
        }

        Volatile.Write(ref stop, 1);
        await Task.WhenAll(acquirers);
        Assert.True(admitted <= 2_000, $"{admitted} admitted");
    }

    [Fact]
    public void Addresses_key_ipv4_exactly_and_ipv6_by_prefix()
    {
        byte[] v4 = [192, 0, 2, 7];
        byte[] mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 192, 0, 2, 7];
        byte[] v6a = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1];
        byte[] v6b = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0xAB, 0xCD, 0, 0, 0, 0, 0, 2];
        byte[] v6c = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1];

        Assert.Equal(BucketKey.ForAddress(1, v4), BucketKey.ForAddress(1, mapped));
        Assert.NotEqual(BucketKey.ForAddress(1, v4), BucketKey.ForAddress(2, v4));
        Assert.Equal(BucketKey.ForAddress(1, v6a), BucketKey.ForAddress(1, v6b));
        Assert.NotEqual(BucketKey.ForAddress(1, v6a), BucketKey.ForAddress(1, v6c));
        Assert.NotEqual(BucketKey.ForAddress(1, v4), BucketKey.ForSubject(1, 0xC0000207));
        Assert.Throws<ArgumentException>(() => BucketKey.ForAddress(1, [1, 2, 3]));
    }

    private static BucketKey Address(int index) => new(0x1_0000_0004, (uint)index);
}
