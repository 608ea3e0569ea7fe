using Gateway.Net.Timing;

namespace Gateway.Net.DataPlane.Authorizers;

/// <summary>
/// Decisions of one authorizer keyed by the request's identity values, kept for the authorizer's <c>ttl</c>. A fixed
/// set-associative table: memory is bounded by its capacity whatever the callers send, a lookup allocates nothing,
/// and a full set evicts its entry that expires first. Entries are immutable objects swapped in whole, so readers
/// need no lock; two connections racing to fill one slot just leave the later decision.
/// </summary>
internal sealed class AuthorizerCache
{
    /// <summary>Entries per set: a key can live in any of these slots.</summary>
    public const int Ways = 4;

    private readonly Entry?[] _slots;
    private readonly int _setMask;
    private readonly long _ttlTicks;

    public AuthorizerCache(int capacity, TimeSpan ttl, MonotonicClock clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, Ways);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var sets = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(capacity / Ways));
        _slots = new Entry?[sets * Ways];
        _setMask = sets - 1;
        Clock = clock;
        Ttl = ttl;
        _ttlTicks = (long)(ttl.TotalSeconds * clock.Frequency);
    }

    /// <summary>The clock expiry is measured on.</summary>
    public MonotonicClock Clock { get; }

    public TimeSpan Ttl { get; }

    /// <summary>The most decisions held at once.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Live (unexpired) entries at <paramref name="now"/>; for tests and diagnostics, O(capacity).</summary>
    public int Count(long now)
    {
        var count = 0;
        foreach (var entry in _slots)
        {
            if (entry is not null && entry.ExpiresAt > now)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>A seeded hash of the key (per-process seed: callers cannot aim keys at one set).</summary>
    public static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = default(HashCode);
        hash.AddBytes(key);
        return hash.ToHashCode();
    }

    public bool TryGet(ReadOnlySpan<byte> key, int hash, long now, out AuthorizerDecision decision)
    {
        var start = (hash & _setMask) * Ways;
        for (var i = start; i < start + Ways; i++)
        {
            var entry = Volatile.Read(ref _slots[i]);
            if (entry is not null && entry.Hash == hash && entry.ExpiresAt > now && key.SequenceEqual(entry.Key))
            {
                decision = entry.Decision;
                return true;
            }
        }

        decision = null!;
        return false;
    }

    public void Add(ReadOnlySpan<byte> key, int hash, long now, AuthorizerDecision decision)
    {
        var entry = new Entry(hash, key.ToArray(), now + _ttlTicks, decision);
        var start = (hash & _setMask) * Ways;
        var victim = start;
        var victimExpiry = long.MaxValue;
        for (var i = start; i < start + Ways; i++)
        {
            var current = Volatile.Read(ref _slots[i]);
            if (current is null || current.ExpiresAt <= now || (current.Hash == hash && key.SequenceEqual(current.Key)))
            {
                victim = i; // free, stale or the same key: take it
                break;
            }

            if (current.ExpiresAt < victimExpiry)
            {
                victim = i;
                victimExpiry = current.ExpiresAt;
            }
        }

        Volatile.Write(ref _slots[victim], entry);
    }

    /// <summary>Drops expired entries so their memory goes back before their slots are reused; returns how many.</summary>
    public int Sweep(long now)
    {
        var removed = 0;
        for (var i = 0; i < _slots.Length; i++)
        {
            var entry = Volatile.Read(ref _slots[i]);
            if (entry is not null && entry.ExpiresAt <= now && Interlocked.CompareExchange(ref _slots[i], null, entry) == entry)
            {
                removed++;
            }
        }

        return removed;
    }

    private sealed class Entry(int hash, byte[] key, long expiresAt, AuthorizerDecision decision)
    {
        public int Hash { get; } = hash;

        public byte[] Key { get; } = key;

        public long ExpiresAt { get; } = expiresAt;

        public AuthorizerDecision Decision { get; } = decision;
    }
}
