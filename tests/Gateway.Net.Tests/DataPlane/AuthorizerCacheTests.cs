using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.DataPlane.Authorizers;
using Gateway.Net.Tests.RateLimiting;
using Gateway.Net.Timing;

namespace Gateway.Net.Tests.DataPlane;

public sealed class AuthorizerCacheTests
{
    private static readonly AuthorizerDecision Allow = new(true, ["user"u8.ToArray()], ["alice"u8.ToArray()]);

    private static (AuthorizerCache Cache, ManualTimeProvider Time) NewCache(int capacity = 64, int ttlSeconds = 10)
    {
        var time = new ManualTimeProvider();
        return (new AuthorizerCache(capacity, TimeSpan.FromSeconds(ttlSeconds), new MonotonicClock(time)), time);
    }

    private static bool Lookup(AuthorizerCache cache, byte[] key, out AuthorizerDecision decision) =>
        cache.TryGet(key, AuthorizerCache.Hash(key), cache.Clock.GetTimestamp(), out decision);

    private static void Add(AuthorizerCache cache, byte[] key, AuthorizerDecision decision) =>
        cache.Add(key, AuthorizerCache.Hash(key), cache.Clock.GetTimestamp(), decision);

    [Fact]
    public void A_decision_is_served_until_its_ttl_runs_out_then_forgotten()
    {
        var (cache, time) = NewCache(ttlSeconds: 10);
        var key = "token-a"u8.ToArray();
        Assert.False(Lookup(cache, key, out _));
        Add(cache, key, Allow);

        Assert.True(Lookup(cache, key, out var hit));
        Assert.Same(Allow, hit);
        Assert.True(hit.TryGet("user"u8, out var user));
        Assert.Equal("alice"u8.ToArray(), user.ToArray());

        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.True(Lookup(cache, key, out _));
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.False(Lookup(cache, key, out _));
        Assert.Equal(0, cache.Count(cache.Clock.GetTimestamp()));
    }

    [Fact]
    public void Keys_differing_in_one_byte_are_different_entries_and_a_deny_is_cached_too()
    {
        var (cache, _) = NewCache();
        Add(cache, "token-a"u8.ToArray(), Allow);
        Add(cache, "token-b"u8.ToArray(), AuthorizerDecision.Deny);
        Assert.True(Lookup(cache, "token-a"u8.ToArray(), out var a));
        Assert.True(a.Allowed);
        Assert.True(Lookup(cache, "token-b"u8.ToArray(), out var b));
        Assert.False(b.Allowed);
        Assert.False(Lookup(cache, "token-c"u8.ToArray(), out _));
    }

    [Fact]
    public void Memory_stays_bounded_whatever_the_number_of_identities_and_the_newest_is_kept()
    {
        Prop.ForAll(Gen.Choose(1, 3000).ToArbitrary(), Gen.Choose(4, 256).ToArbitrary(), (keys, capacity) =>
        {
            var (cache, time) = NewCache(capacity);
            for (var i = 0; i < keys; i++)
            {
                var key = BitConverter.GetBytes(i);
                Add(cache, key, Allow);
                if (!Lookup(cache, key, out _))
                {
                    return false; // what was just added must be found
                }

                time.Advance(TimeSpan.FromMilliseconds(1));
            }

            return cache.Count(cache.Clock.GetTimestamp()) <= cache.Capacity && cache.Capacity <= 2 * capacity;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_full_set_evicts_the_entry_that_expires_first()
    {
        // Capacity 4 = one set of four ways: every key competes for the same slots.
        var (cache, time) = NewCache(capacity: 4);
        for (var i = 0; i < 4; i++)
        {
            Add(cache, [(byte)i], Allow);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Add(cache, [9], Allow);
        Assert.False(Lookup(cache, [0], out _)); // the oldest went
        for (var i = 1; i < 4; i++)
        {
            Assert.True(Lookup(cache, [(byte)i], out _));
        }

        Assert.True(Lookup(cache, [9], out _));
    }

    [Fact]
    public void The_heartbeat_sweeps_expired_decisions_and_the_runtime_keeps_caches_across_compiles()
    {
        var time = new ManualTimeProvider();
        using var heartbeat = new Heartbeat(time, TimeSpan.FromSeconds(1));
        using var runtime = new AuthorizerRuntime(time, heartbeat) { CacheCapacity = 16 };
        heartbeat.Start();

        var cache = runtime.CacheFor("a1", "config-1", ttlSeconds: 5);
        Assert.Same(cache, runtime.CacheFor("a1", "config-1", ttlSeconds: 5));
        Add(cache, "k"u8.ToArray(), Allow);
        Assert.Equal(1, cache.Count(cache.Clock.GetTimestamp()));

        time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(Lookup(cache, "k"u8.ToArray(), out _));
        Assert.Equal(0, cache.Sweep(time.GetTimestamp())); // the heartbeat already emptied the slot

        // A changed configuration starts from an empty cache; a deleted authorizer's cache goes.
        var changed = runtime.CacheFor("a1", "config-2", ttlSeconds: 5);
        Assert.NotSame(cache, changed);
        runtime.CacheFor("a2", "x", ttlSeconds: 5);
        Assert.Equal(2, runtime.CacheCount);
        runtime.Retain(new HashSet<string> { "a2" });
        Assert.Equal(1, runtime.CacheCount);
    }
}
