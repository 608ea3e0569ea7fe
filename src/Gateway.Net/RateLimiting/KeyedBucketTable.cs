using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gateway.Net.Timing;

namespace Gateway.Net.RateLimiting;

/// <summary>
/// One token bucket per key under a shared <see cref="TokenBucketLimit"/> (for example every source address of an API),
/// with a hard cap on memory and idle eviction driven by the <see cref="Heartbeat"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Layout.</b> Keys hash to one of a power-of-two number of stripes; each stripe is an open-addressing array of
/// <c>(key, word)</c> entries with linear probing. Acquiring for a key that is present takes no lock: it probes, then
/// compare-and-swaps the entry's word like <see cref="TokenBucket"/> does. Inserting, evicting and growing a stripe take
/// that stripe's lock only. A stripe grows by doubling up to the size its share of <see cref="KeyedBucketTableOptions.MaxEntries"/>
/// needs at 75 % load, so memory never exceeds roughly <c>MaxEntries × entry size × 2.7</c>, whatever the traffic.
/// </para>
/// <para>
/// <b>Concurrency.</b> The word doubles as the slot state: generation 0 marks an empty slot, a tombstone, or a slot frozen
/// while its stripe is copied to a larger array. Eviction and copying change the word before anything else, so a reader
/// whose compare-and-swap succeeds knows the entry still held its key.
/// </para>
/// <para>
/// <b>When the table is full.</b> A bucket that is full carries no information: dropping it and later creating a fresh
/// one gives the key exactly the same permits. So a new key first reclaims a full bucket near its slot. If every nearby
/// bucket is in use, the new key is limited by a single overflow bucket shared by all keys without an entry, with the
/// table's limit applied to the overflow as a whole. No key can go past its limit this way: a key's own bucket is never
/// dropped while it holds any debt, the overflow grants a key at most what its limit grants, and a key that later gets
/// its own bucket starts with the overflow's debt rather than a fresh burst. A flood of distinct keys (spoofed or rotating
/// source addresses) therefore costs no memory beyond the cap; it can at worst slow down keys that are new while the
/// flood lasts, never let anyone exceed a limit, and never take an active key's state.
/// </para>
/// <para>
/// <b>Reconfiguring.</b> <see cref="Reconfigure"/> swaps the limit and translates every bucket to the new units before
/// it returns (see <see cref="TokenBucketLimit.Translate"/>); acquirers meeting a word of the old limit translate it
/// themselves, so keys keep their buckets across limit changes.
/// </para>
/// </remarks>
internal sealed class KeyedBucketTable<TKey> : IHeartbeatHandler
    where TKey : unmanaged, IEquatable<TKey>
{
    private const int InitialSlots = 16;
    private const int ReclaimProbe = 32;

    private readonly Stripe[] _stripes;
    private readonly int _stripeMask;
    private readonly long _idleTimeoutTicks;
    private readonly Lock _reconfigureGate = new();
    private TokenBucketLimit _limit;
    private long _overflowState = TokenBucketLimit.EmptyWord;
    private long _overflowAcquires;

    public KeyedBucketTable(TokenBucketLimit limit, KeyedBucketTableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(limit);
        options ??= new KeyedBucketTableOptions();
        _limit = limit;
        MaxEntries = options.MaxEntries;
        _idleTimeoutTicks = (long)((Int128)options.IdleTimeout.Ticks * limit.TimestampFrequency / TimeSpan.TicksPerSecond);

        var stripeCount = options.StripeCount > 0
            ? (int)BitOperations.RoundUpToPowerOf2((uint)options.StripeCount)
            : (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount * 8, 1, 256));
        while (stripeCount > 1 && options.MaxEntries / stripeCount < 64)
        {
            stripeCount >>= 1;
        }

        _stripes = new Stripe[stripeCount];
        _stripeMask = stripeCount - 1;
        for (var i = 0; i < stripeCount; i++)
        {
            var maxLive = (options.MaxEntries / stripeCount) + (i < options.MaxEntries % stripeCount ? 1 : 0);
            _stripes[i] = new Stripe(maxLive);
        }
    }

    /// <summary>The limit in force.</summary>
    public TokenBucketLimit Limit => Volatile.Read(ref _limit);

    /// <summary>The cap on buckets held.</summary>
    public int MaxEntries { get; }

    /// <summary>Buckets currently held (a moment's snapshot while other threads insert).</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var stripe in _stripes)
            {
                count += Volatile.Read(ref stripe.Live);
            }

            return count;
        }
    }

    /// <summary>Acquires that went to the overflow bucket because the table was full.</summary>
    public long OverflowAcquires => Volatile.Read(ref _overflowAcquires);

    /// <summary>
    /// Takes <paramref name="permits"/> from <paramref name="key"/>'s bucket at <paramref name="timestamp"/> (ticks of the
    /// limit's clock), creating the bucket full if the key is new.
    /// </summary>
    public RateLimitDecision TryAcquire(in TKey key, long timestamp, int permits = 1)
    {
        var limit = Volatile.Read(ref _limit);
        var hash = Mix(key.GetHashCode());
        var stripe = _stripes[(int)(hash >> 48) & _stripeMask];

    Restart:
        var entries = Volatile.Read(ref stripe.Entries);
        var mask = entries.Length - 1;
        var index = (int)hash & mask;
        ref var first = ref MemoryMarshal.GetArrayDataReference(entries);
        while (true)
        {
            ref var entry = ref Unsafe.Add(ref first, index);
            var observed = Volatile.Read(ref entry.State);
            if (observed == TokenBucketLimit.EmptyWord)
            {
                return AcquireAbsent(stripe, key, hash, timestamp, permits);
            }

            if (observed == TokenBucketLimit.MovedWord)
            {
                // The stripe is being copied to a larger array; its lock is held until the new one is published.
                lock (stripe.Gate)
                {
                }

                goto Restart;
            }

            // The key is read after the word (an acquire), and an entry's key is written before its word is published and
            // is only replaced after its word was retired, so a successful compare-and-swap below proves the key is ours.
            if (observed != TokenBucketLimit.TombstoneWord && entry.Key.Equals(key))
            {
                switch (limit.TryAcquire(ref entry.State, observed, timestamp, permits, out var decision))
                {
                    case AcquireOutcome.Admitted:
                    case AcquireOutcome.Rejected:
                        return decision;
                    case AcquireOutcome.Foreign:
                        limit = Volatile.Read(ref _limit);
                        limit.Adopt(ref entry.State, timestamp);
                        continue;
                    default:
                        continue;
                }
            }

            index = (index + 1) & mask;
        }
    }

    /// <summary>
    /// Gives back <paramref name="permits"/> that <paramref name="key"/> was admitted at about <paramref name="timestamp"/>
    /// but did not use. A key no longer in the table (evicted, or counted in the overflow budget) has nothing to refund.
    /// </summary>
    public void Refund(in TKey key, long timestamp, int permits = 1)
    {
        var limit = Volatile.Read(ref _limit);
        var hash = Mix(key.GetHashCode());
        var stripe = _stripes[(int)(hash >> 48) & _stripeMask];
        var entries = Volatile.Read(ref stripe.Entries);
        var mask = entries.Length - 1;
        var index = (int)hash & mask;
        for (var probes = 0; probes <= mask; probes++)
        {
            ref var entry = ref entries[index];
            var observed = Volatile.Read(ref entry.State);
            if (observed is TokenBucketLimit.EmptyWord or TokenBucketLimit.MovedWord)
            {
                return; // absent, or mid-resize: a lost refund only errs on the strict side
            }

            if (observed != TokenBucketLimit.TombstoneWord && entry.Key.Equals(key))
            {
                while (!limit.TryRefund(ref entry.State, observed, timestamp, permits))
                {
                    observed = Volatile.Read(ref entry.State);
                    if ((ulong)observed >> TokenBucketLimit.PayloadBits == 0)
                    {
                        return; // retired meanwhile
                    }
                }

                return;
            }

            index = (index + 1) & mask;
        }
    }

    /// <summary>
    /// Replaces the limit for every key. Buckets are kept and translated to the new limit (the permits a key already took
    /// stay taken); a limit equivalent to the current one changes nothing.
    /// </summary>
    public void Reconfigure(TokenBucketLimit limit, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(limit);
        lock (_reconfigureGate)
        {
            var current = _limit;
            if (current.IsEquivalentTo(limit))
            {
                return;
            }

            var next = current.Supersede(limit);
            Volatile.Write(ref _limit, next);

            // Inserts read the limit under their stripe's lock, so after this pass no word of the old limit is left and the
            // next reconfiguration can always translate from its direct predecessor.
            foreach (var stripe in _stripes)
            {
                lock (stripe.Gate)
                {
                    var entries = stripe.Entries;
                    for (var i = 0; i < entries.Length; i++)
                    {
                        next.Adopt(ref entries[i].State, timestamp);
                    }
                }
            }

            next.Adopt(ref _overflowState, timestamp);
        }
    }

    /// <summary>
    /// Drops buckets that have been full for the idle timeout (or, in a stripe close to its cap, every full bucket) and
    /// compacts stripes with many tombstones. Returns the number of buckets dropped.
    /// </summary>
    public int EvictIdle(long timestamp)
    {
        var limit = Volatile.Read(ref _limit);
        var now = limit.ToScaledTime(timestamp);
        var idle = (Int128)_idleTimeoutTicks / limit.QuantumTicks * limit.UnitsPerQuantum;
        var idleUnits = idle > TokenBucketLimit.MaxBurstUnits ? TokenBucketLimit.MaxBurstUnits : (long)idle;
        var evicted = 0;
        foreach (var stripe in _stripes)
        {
            lock (stripe.Gate)
            {
                var threshold = stripe.Live >= stripe.MaxLive - (stripe.MaxLive >> 3) ? 0 : -idleUnits;
                var entries = stripe.Entries;
                for (var i = 0; i < entries.Length; i++)
                {
                    ref var state = ref entries[i].State;
                    var observed = Volatile.Read(ref state);
                    if (!limit.Owns(observed))
                    {
                        continue;
                    }

                    if (TokenBucketLimit.DebtOf(observed, now) <= threshold
                        && Interlocked.CompareExchange(ref state, TokenBucketLimit.TombstoneWord, observed) == observed)
                    {
                        stripe.Live--;
                        evicted++;
                    }
                }

                if (stripe.Used - stripe.Live > entries.Length >> 2)
                {
                    Rehash(stripe, entries.Length);
                }
            }
        }

        return evicted;
    }

    void IHeartbeatHandler.OnHeartbeat(long timestamp) => EvictIdle(timestamp);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(int hashCode)
    {
        // Spread every input bit over the whole word: the high bits pick the stripe, the low bits the slot.
        var mixed = (uint)hashCode * 0x9E3779B97F4A7C15UL;
        return mixed ^ (mixed >> 32);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RateLimitDecision AcquireAbsent(Stripe stripe, TKey key, ulong hash, long timestamp, int permits)
    {
        long word;
        RateLimitDecision decision;
        lock (stripe.Gate)
        {
            // Read under the stripe lock so a concurrent Reconfigure either translates this entry or is seen here.
            var limit = Volatile.Read(ref _limit);
            var entries = stripe.Entries;
            if (Find(entries, key, hash, out _))
            {
                goto Present;
            }

            if (stripe.Live >= stripe.MaxLive && !TryReclaim(stripe, entries, hash, limit, timestamp))
            {
                goto Overflow;
            }

            if (stripe.Used + 1 > LoadLimit(entries.Length))
            {
                Rehash(stripe, stripe.Live + 1 > LoadLimit(entries.Length) >> 1 ? Math.Min(entries.Length * 2, stripe.MaxSlots) : entries.Length);
                entries = stripe.Entries;
            }

            Find(entries, key, hash, out var slot);

            // A key without a bucket may have been drawing on the overflow: it starts with the overflow's debt, if any.
            var overflow = Volatile.Read(ref _overflowState);
            word = limit.Owns(overflow) && TokenBucketLimit.DebtOf(overflow, limit.ToScaledTime(timestamp)) > 0
                ? overflow
                : limit.FullWord(timestamp);
            limit.TryAcquire(ref word, word, timestamp, permits, out decision);

            ref var entry = ref entries[slot];
            if (entry.State == TokenBucketLimit.EmptyWord)
            {
                stripe.Used++;
            }

            entry.Key = key;
            Volatile.Write(ref entry.State, word);
            stripe.Live++;
            return decision;
        }

    Present:
        return TryAcquire(key, timestamp, permits);

    Overflow:
        return AcquireOverflow(timestamp, permits);
    }

    private RateLimitDecision AcquireOverflow(long timestamp, int permits)
    {
        Interlocked.Increment(ref _overflowAcquires);
        var limit = Volatile.Read(ref _limit);
        while (true)
        {
            var observed = Volatile.Read(ref _overflowState);
            if (observed == TokenBucketLimit.EmptyWord)
            {
                Interlocked.CompareExchange(ref _overflowState, limit.FullWord(timestamp), observed);
                continue;
            }

            switch (limit.TryAcquire(ref _overflowState, observed, timestamp, permits, out var decision))
            {
                case AcquireOutcome.Admitted:
                case AcquireOutcome.Rejected:
                    return decision;
                case AcquireOutcome.Foreign:
                    limit = Volatile.Read(ref _limit);
                    limit.Adopt(ref _overflowState, timestamp);
                    break;
            }
        }
    }

    // Under the stripe lock: drops one full bucket among the slots following the new key's home slot.
    private static bool TryReclaim(Stripe stripe, Entry[] entries, ulong hash, TokenBucketLimit limit, long timestamp)
    {
        var now = limit.ToScaledTime(timestamp);
        var mask = entries.Length - 1;
        var index = (int)hash & mask;
        for (var probed = 0; probed < ReclaimProbe && probed < entries.Length; probed++, index = (index + 1) & mask)
        {
            ref var state = ref entries[index].State;
            var observed = Volatile.Read(ref state);
            if (limit.Owns(observed)
                && TokenBucketLimit.DebtOf(observed, now) <= 0
                && Interlocked.CompareExchange(ref state, TokenBucketLimit.TombstoneWord, observed) == observed)
            {
                stripe.Live--;
                return true;
            }
        }

        return false;
    }

    // Finds the key's slot, or the slot an insert should use (the first tombstone on the way, else the empty slot).
    private static bool Find(Entry[] entries, in TKey key, ulong hash, out int slot)
    {
        var mask = entries.Length - 1;
        var index = (int)hash & mask;
        var firstFree = -1;
        while (true)
        {
            ref var entry = ref entries[index];
            var observed = Volatile.Read(ref entry.State);
            if (observed == TokenBucketLimit.EmptyWord)
            {
                slot = firstFree >= 0 ? firstFree : index;
                return false;
            }

            if (observed == TokenBucketLimit.TombstoneWord)
            {
                if (firstFree < 0)
                {
                    firstFree = index;
                }
            }
            else if (entry.Key.Equals(key))
            {
                slot = index;
                return true;
            }

            index = (index + 1) & mask;
        }
    }

    // Under the stripe lock: copies the live entries into a new array of the given length, freezing each old word first
    // so that a lock-free acquirer can never update an entry after it was copied.
    private static void Rehash(Stripe stripe, int length)
    {
        var source = stripe.Entries;
        var target = new Entry[length];
        var mask = length - 1;
        var live = 0;
        for (var i = 0; i < source.Length; i++)
        {
            ref var entry = ref source[i];
            long observed;
            do
            {
                observed = Volatile.Read(ref entry.State);
            }
            while (Interlocked.CompareExchange(ref entry.State, TokenBucketLimit.MovedWord, observed) != observed);

            if ((ulong)observed >> TokenBucketLimit.PayloadBits == 0)
            {
                continue;
            }

            var index = (int)Mix(entry.Key.GetHashCode()) & mask;
            while (target[index].State != TokenBucketLimit.EmptyWord)
            {
                index = (index + 1) & mask;
            }

            target[index].Key = entry.Key;
            target[index].State = observed;
            live++;
        }

        Debug.Assert(live == stripe.Live, "Every live entry is copied.");
        stripe.Used = live;
        Volatile.Write(ref stripe.Entries, target);
    }

    private static int LoadLimit(int length) => length - (length >> 2);

    private struct Entry
    {
        public TKey Key;
        public long State;
    }

    private sealed class Stripe
    {
        public readonly Lock Gate = new();
        public readonly int MaxLive;
        public readonly int MaxSlots;
        public Entry[] Entries;
        public int Live;
        public int Used;

        public Stripe(int maxLive)
        {
            MaxLive = maxLive;

            // Enough slots to hold every live entry at 75 % load.
            MaxSlots = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(InitialSlots, (maxLive * 4L / 3) + 2));
            Entries = new Entry[Math.Min(InitialSlots, MaxSlots)];
        }
    }
}
