using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gateway.Net.RateLimiting;

/// <summary>
/// An immutable limit, "<see cref="Capacity"/> permits per window", and the arithmetic that runs a token bucket of that
/// limit on one 64-bit word.
/// </summary>
/// <remarks>
/// <para>
/// <b>Algorithm.</b> The bucket is kept in its GCRA form: the only state is the theoretical arrival time (TAT), the moment
/// at which the bucket will be full again. The debt is <c>TAT - now</c>, clamped at zero; each permit adds
/// <c>T = window / capacity</c> to it, and a request is admitted while the debt stays within <c>window</c>. This is
/// exactly a token bucket of <c>capacity</c> tokens refilled continuously at <c>capacity</c> per window.
/// </para>
/// <para>
/// <b>Exact units.</b> <c>T</c> is rarely a whole number of clock ticks, so time is counted in scaled units where it is.
/// Timestamps are first cut into quanta of <see cref="QuantumTicks"/> ticks (a divisor of the window, chosen per limit as
/// the finest one that fits the ranges below), then multiplied by <see cref="UnitsPerQuantum"/>. With
/// <c>Wq = window / quantum</c> and <c>g = gcd(capacity, Wq)</c>: one quantum is <c>capacity / g</c> units and one
/// permit costs <c>Wq / g</c> units, so every refill and every cost is an integer: no rounding and no drift, however
/// long the bucket runs. A window refills exactly <c>capacity</c> permits.
/// </para>
/// <para>
/// <b>Packing.</b> The word is <c>[generation: 3 bits][TAT: 61 bits]</c>. The TAT is kept modulo 2^61 and compared with
/// the current scaled time by a signed 61-bit difference, so absolute time may wrap freely; the difference is right as
/// long as a full bucket is not left untouched for more than 2^60 units. The quantum is chosen so that this span is at
/// least <see cref="ReadableSpanSeconds"/> (30 days; tables evict idle buckets long before, and <see cref="TokenBucket"/>
/// can be refreshed by the heartbeat) and so that a full window (<c>capacity × T</c>) is at most 2^56 units. Windows from
/// one second to <see cref="MaxWindowSeconds"/> and every capacity up to <see cref="int.MaxValue"/> fit. With the 1 GHz
/// Linux clock, 200 or a million per second run on single nanosecond ticks, a prime 999983 per second on 2.5 µs quanta,
/// and 2147483647 per second or per day on 5 ms quanta. Generation 0 is reserved for the
/// sentinel words of <see cref="KeyedBucketTable{TKey}"/>; generations 1..7 tell which limit a word's units belong to
/// when a limit is replaced (see <see cref="Translate"/>); replacing a limit translates every word before the next
/// replacement, so a word is never more than one generation behind.
/// </para>
/// <para>
/// <b>Quantization.</b> Two timestamps in the same quantum are the same instant to the bucket. The model in the tests
/// works on the same quanta and agrees decision for decision.
/// </para>
/// </remarks>
internal sealed class TokenBucketLimit
{
    /// <summary>The longest window: 100 Julian years.</summary>
    public const long MaxWindowSeconds = 3_155_760_000;

    internal const int PayloadBits = 61;
    internal const long PayloadMask = (1L << PayloadBits) - 1;

    /// <summary>Upper bound of a window in scaled units, leaving headroom for a debt plus a cost.</summary>
    internal const long MaxBurstUnits = 1L << 56;

    /// <summary>The largest debt a translated word carries: four windows at most.</summary>
    internal const long MaxDebtUnits = MaxBurstUnits << 2;

    /// <summary>Half of the 61-bit circle: how far a word may lag behind the clock before its difference is misread.</summary>
    internal const long WrapUnits = 1L << 60;

    /// <summary>How long a word of a full bucket must stay readable untouched: 30 days.</summary>
    internal const long ReadableSpanSeconds = 30 * 86_400;

    private const byte MaxGeneration = 7;

    /// <summary>Slot words of a table that are not buckets (generation 0).</summary>
    internal const long EmptyWord = 0;
    internal const long TombstoneWord = 1;
    internal const long MovedWord = 2;

    private const int DividendBits = 62;

    private static (long Frequency, long[] Divisors) s_divisorCache = (0, []);

    private readonly ulong _quantumMultiplier;
    private readonly int _quantumShift;
    private readonly long _tagBits;

    private TokenBucketLimit(
        int capacity, long windowSeconds, long timestampFrequency, long quantumTicks,
        long unitsPerQuantum, long unitsPerPermit, byte generation, TokenBucketLimit? previous)
    {
        Capacity = capacity;
        WindowSeconds = windowSeconds;
        TimestampFrequency = timestampFrequency;
        WindowTicks = windowSeconds * timestampFrequency;
        QuantumTicks = quantumTicks;
        UnitsPerQuantum = unitsPerQuantum;
        UnitsPerPermit = unitsPerPermit;
        BurstUnits = capacity * unitsPerPermit;
        Generation = generation;
        Previous = previous;
        _tagBits = (long)generation << PayloadBits;

        // floor(t / q) == (m * 4t) >> (64 + l) for every t < 2^62 when l = ceil(log2 q) and m = ceil(2^(62 + l) / q);
        // m <= 2^63, so the whole division is one 64x64 multiply and a shift on the hot path.
        _quantumShift = 64 - BitOperations.LeadingZeroCount((ulong)(quantumTicks - 1));
        _quantumMultiplier = (ulong)((((UInt128)1 << (DividendBits + _quantumShift)) + (ulong)quantumTicks - 1) / (ulong)quantumTicks);
    }

    /// <summary>Permits per window, which is also the burst a full bucket allows.</summary>
    public int Capacity { get; }

    /// <summary>The window in seconds.</summary>
    public long WindowSeconds { get; }

    /// <summary>The window.</summary>
    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);

    /// <summary>Ticks per second of the timestamps this limit is fed.</summary>
    public long TimestampFrequency { get; }

    /// <summary>The window in timestamp ticks.</summary>
    public long WindowTicks { get; }

    /// <summary>The time resolution of the bucket, in timestamp ticks; always divides the window.</summary>
    public long QuantumTicks { get; }

    internal long UnitsPerQuantum { get; }

    internal long UnitsPerPermit { get; }

    /// <summary>The debt of an empty bucket: <see cref="Capacity"/> × <see cref="UnitsPerPermit"/>.</summary>
    internal long BurstUnits { get; }

    /// <summary>Tag of the words written under this limit, 1..7.</summary>
    internal byte Generation { get; }

    /// <summary>The limit this one replaced, kept one level deep to translate words still in its units.</summary>
    internal TokenBucketLimit? Previous { get; }

    /// <summary>A limit of <paramref name="capacity"/> permits per <paramref name="windowSeconds"/> seconds.</summary>
    public static TokenBucketLimit Create(int capacity, long windowSeconds, long timestampFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowSeconds, MaxWindowSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(timestampFrequency, 1);
        if (windowSeconds > long.MaxValue / timestampFrequency)
        {
            throw new ArgumentOutOfRangeException(nameof(windowSeconds), windowSeconds, "The window does not fit in timestamp ticks at this clock frequency.");
        }

        var windowTicks = windowSeconds * timestampFrequency;
        foreach (var quantum in CandidateQuanta(timestampFrequency, windowSeconds))
        {
            if (TryScale(capacity, windowTicks, quantum, timestampFrequency, out var unitsPerQuantum, out var unitsPerPermit))
            {
                return new TokenBucketLimit(capacity, windowSeconds, timestampFrequency, quantum, unitsPerQuantum, unitsPerPermit, 1, null);
            }
        }

        // A quantum of the whole window always fits (one unit per quantum at most capacity, a window of capacity units).
        throw new UnreachableException("No quantum fits the limit.");
    }

    /// <summary>A limit from a throttling policy: <paramref name="capacity"/> calls per <paramref name="timeInterval"/> × <paramref name="unit"/>.</summary>
    public static TokenBucketLimit Create(int capacity, long timeInterval, RateLimitTimeUnit unit, long timestampFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeInterval, 1);
        var unitSeconds = unit.ToSeconds();
        if (timeInterval > MaxWindowSeconds / unitSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(timeInterval), timeInterval, "The window is longer than the longest supported window.");
        }

        return Create(capacity, timeInterval * unitSeconds, timestampFrequency);
    }

    /// <summary>Whether the two limits admit the same traffic (same capacity, window and clock).</summary>
    public bool IsEquivalentTo(TokenBucketLimit other) =>
        Capacity == other.Capacity && WindowSeconds == other.WindowSeconds && TimestampFrequency == other.TimestampFrequency;

    /// <inheritdoc />
    public override string ToString() => $"{Capacity} per {WindowSeconds} s";

    /// <summary>
    /// A copy of <paramref name="next"/> that takes over from this limit: the next generation tag, and this limit (without
    /// its own predecessor) as <see cref="Previous"/> so words written under it can be translated.
    /// </summary>
    internal TokenBucketLimit Supersede(TokenBucketLimit next)
    {
        if (next.TimestampFrequency != TimestampFrequency)
        {
            throw new ArgumentException("A limit can only be replaced by one on the same clock.", nameof(next));
        }

        var generation = Generation == MaxGeneration ? (byte)1 : (byte)(Generation + 1);
        var previous = Previous is null ? this : WithPrevious(Generation, null);
        return next.WithPrevious(generation, previous);
    }

    private TokenBucketLimit WithPrevious(byte generation, TokenBucketLimit? previous) =>
        new(Capacity, WindowSeconds, TimestampFrequency, QuantumTicks, UnitsPerQuantum, UnitsPerPermit, generation, previous);

    /// <summary>Whole quanta elapsed at <paramref name="timestamp"/> (which must lie in [0, 2^62)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong ToQuanta(long timestamp)
    {
        Debug.Assert((ulong)timestamp < 1UL << DividendBits, "Timestamps are non-negative and below 2^62.");
        return Math.BigMul(_quantumMultiplier, (ulong)timestamp << 2, out _) >> _quantumShift;
    }

    /// <summary>The scaled time at <paramref name="timestamp"/>, modulo 2^64 (only its low 61 bits matter).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal long ToScaledTime(long timestamp) => (long)(ToQuanta(timestamp) * (ulong)UnitsPerQuantum);

    /// <summary>Whether <paramref name="word"/> is a bucket written under this limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Owns(long word) => (ulong)word >> PayloadBits == Generation;

    /// <summary>The debt of <paramref name="word"/> at <paramref name="scaledNow"/>: negative means full for that long.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long DebtOf(long word, long scaledNow) => ((word - scaledNow) << (64 - PayloadBits)) >> (64 - PayloadBits);

    /// <summary>The word of a full bucket at <paramref name="timestamp"/>.</summary>
    internal long FullWord(long timestamp) => (ToScaledTime(timestamp) & PayloadMask) | _tagBits;

    /// <summary>
    /// One attempt to take <paramref name="permits"/> from the bucket in <paramref name="state"/>, whose value the caller
    /// observed as <paramref name="observed"/>. Admission is a single compare-and-swap; a rejection writes nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal AcquireOutcome TryAcquire(ref long state, long observed, long timestamp, int permits, out RateLimitDecision decision)
    {
        var outcome = Decide(observed, timestamp, permits, out var updated, out decision);
        if (outcome == AcquireOutcome.Admitted && Interlocked.CompareExchange(ref state, updated, observed) != observed)
        {
            decision = default;
            return AcquireOutcome.Lost;
        }

        return outcome;
    }

    /// <summary>
    /// The decision on taking <paramref name="permits"/> from the bucket word <paramref name="observed"/>, without writing
    /// it: when admitted, <paramref name="updated"/> is the word to store in its place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal AcquireOutcome Decide(long observed, long timestamp, int permits, out long updated, out RateLimitDecision decision)
    {
        updated = observed;
        if (!Owns(observed))
        {
            decision = default;
            return AcquireOutcome.Foreign;
        }

        if ((uint)(permits - 1) >= (uint)Capacity)
        {
            decision = RejectOversized(observed, timestamp, permits);
            return AcquireOutcome.Rejected;
        }

        var now = ToScaledTime(timestamp);
        var debt = DebtOf(observed, now);
        if (debt < 0)
        {
            debt = 0;
        }

        var next = debt + (permits * UnitsPerPermit);
        if (next > BurstUnits)
        {
            decision = Reject(timestamp, debt, next);
            return AcquireOutcome.Rejected;
        }

        updated = ((now + next) & PayloadMask) | _tagBits;
        decision = RateLimitDecision.Admitted(BurstUnits - next, UnitsPerPermit);
        return AcquireOutcome.Admitted;
    }

    /// <summary>
    /// One attempt to give back <paramref name="permits"/> taken earlier (a request admitted here but refused by another
    /// limit it also had to pass). The debt shrinks by their cost, never below a full bucket. Returns false when the
    /// compare-and-swap lost a race and the caller should observe again; a word of another limit is left alone.
    /// </summary>
    internal bool TryRefund(ref long state, long observed, long timestamp, int permits)
    {
        if (!Owns(observed) || permits <= 0)
        {
            return true;
        }

        var now = ToScaledTime(timestamp);
        var debt = DebtOf(observed, now);
        if (debt <= 0)
        {
            return true;
        }

        var next = debt - (permits * UnitsPerPermit);
        var updated = ((now + (next < 0 ? 0 : next)) & PayloadMask) | _tagBits;
        return Interlocked.CompareExchange(ref state, updated, observed) == observed;
    }

    /// <summary>
    /// The word that carries <paramref name="word"/> (written under <see cref="Previous"/>) into this limit's units.
    /// </summary>
    /// <remarks>
    /// The permits already taken stay taken: a debt of <c>k</c> permits under the old limit becomes a debt of <c>k</c>
    /// permits under the new one (rounded up). A full bucket stays full. So raising a limit gives the key the extra
    /// permits at once, and lowering it below what the key already took leaves the key overdrawn: rejected until the
    /// excess has refilled at the new rate. A key never gets a fresh burst because a limit changed, however often it
    /// changes. The debt is capped at four windows of the new limit, far beyond anything that changes a decision soon. A
    /// word of unknown origin (two or more limits behind) is treated as an empty bucket, which is always safe.
    /// </remarks>
    internal long Translate(long word, long timestamp)
    {
        var now = ToScaledTime(timestamp);
        var previous = Previous;
        long debt;
        if (previous is not null && previous.Owns(word))
        {
            var oldDebt = DebtOf(word, previous.ToScaledTime(timestamp));
            if (oldDebt <= 0)
            {
                debt = 0;
            }
            else
            {
                var scaled = (((Int128)oldDebt * UnitsPerPermit) + previous.UnitsPerPermit - 1) / previous.UnitsPerPermit;
                debt = scaled > MaxDebtUnits ? MaxDebtUnits : (long)scaled;
            }
        }
        else
        {
            debt = BurstUnits;
        }

        return ((now + debt) & PayloadMask) | _tagBits;
    }

    /// <summary>
    /// Brings the bucket word in <paramref name="state"/> under this limit, retrying until it is (a thread still holding
    /// the old limit may write the old units meanwhile). Table sentinels are left alone.
    /// </summary>
    internal void Adopt(ref long state, long timestamp)
    {
        while (true)
        {
            var observed = Volatile.Read(ref state);
            if (Owns(observed) || (ulong)observed >> PayloadBits == 0)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref state, Translate(observed, timestamp), observed) == observed)
            {
                return;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RateLimitDecision Reject(long timestamp, long debt, long next)
    {
        // The request fits once the debt has drained by the excess; the scaled clock moves in whole quanta.
        var excess = next - BurstUnits;
        var waitQuanta = ((Int128)excess + UnitsPerQuantum - 1) / UnitsPerQuantum;
        var retryAt = (((Int128)ToQuanta(timestamp)) + waitQuanta) * QuantumTicks;
        var retryAfter = retryAt - timestamp;
        var spare = debt >= BurstUnits ? 0 : BurstUnits - debt;
        return RateLimitDecision.Rejected(spare, UnitsPerPermit, retryAfter >= RateLimitDecision.Never ? RateLimitDecision.Never - 1 : (long)retryAfter);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RateLimitDecision RejectOversized(long observed, long timestamp, int permits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        var debt = DebtOf(observed, ToScaledTime(timestamp));
        var spare = debt <= 0 ? BurstUnits : debt >= BurstUnits ? 0 : BurstUnits - debt;
        return RateLimitDecision.Rejected(spare, UnitsPerPermit, RateLimitDecision.Never);
    }

    private static bool TryScale(int capacity, long windowTicks, long quantum, long frequency, out long unitsPerQuantum, out long unitsPerPermit)
    {
        var windowQuanta = windowTicks / quantum;
        var common = (long)BigInteger.GreatestCommonDivisor(capacity, windowQuanta);
        unitsPerQuantum = capacity / common;
        unitsPerPermit = windowQuanta / common;

        var fitsWindow = (Int128)capacity * unitsPerPermit <= MaxBurstUnits;

        // An untouched word must stay readable for the whole span: WrapUnits / unitsPerQuantum quanta >= the span in ticks.
        var fitsIdleSpan = (Int128)unitsPerQuantum * ReadableSpanSeconds * frequency <= (Int128)WrapUnits * quantum;
        return fitsWindow && fitsIdleSpan;
    }

    /// <summary>Quanta to try, finest first: the divisors of one second, then whole seconds that divide the window.</summary>
    private static IEnumerable<long> CandidateQuanta(long frequency, long windowSeconds)
    {
        foreach (var divisor in DivisorsOfFrequency(frequency))
        {
            yield return divisor;
        }

        foreach (var seconds in Divisors(windowSeconds))
        {
            if (seconds > 1)
            {
                yield return seconds * frequency;
            }
        }
    }

    private static long[] DivisorsOfFrequency(long frequency)
    {
        var cached = s_divisorCache;
        if (cached.Frequency == frequency)
        {
            return cached.Divisors;
        }

        var divisors = Divisors(frequency);
        s_divisorCache = (frequency, divisors);
        return divisors;
    }

    private static long[] Divisors(long value)
    {
        var low = new List<long>();
        var high = new List<long>();
        for (long i = 1; i <= value / i; i++)
        {
            if (value % i == 0)
            {
                low.Add(i);
                if (i != value / i)
                {
                    high.Add(value / i);
                }
            }
        }

        high.Reverse();
        low.AddRange(high);
        return [.. low];
    }
}

/// <summary>What one attempt on a bucket word did.</summary>
internal enum AcquireOutcome
{
    /// <summary>The permits were taken.</summary>
    Admitted,

    /// <summary>The bucket does not hold enough; nothing was written.</summary>
    Rejected,

    /// <summary>Another thread changed the word first; observe it again and retry.</summary>
    Lost,

    /// <summary>The word is not a bucket of this limit (another generation, or a table sentinel).</summary>
    Foreign,
}
