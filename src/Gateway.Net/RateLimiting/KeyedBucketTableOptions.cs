namespace Gateway.Net.RateLimiting;

/// <summary>Bounds of a <see cref="KeyedBucketTable{TKey}"/>. Setters reject values out of range.</summary>
internal sealed class KeyedBucketTableOptions
{
    /// <summary>The longest idle timeout; idle buckets must be gone well within the 30 days a bucket word stays readable.</summary>
    public static readonly TimeSpan MaxIdleTimeout = TimeSpan.FromDays(1);

    private readonly int _maxEntries = 100_000;
    private readonly TimeSpan _idleTimeout = TimeSpan.FromSeconds(10);
    private readonly int _stripeCount;

    /// <summary>Hard cap on the number of buckets held; beyond it new keys share the overflow bucket.</summary>
    public int MaxEntries
    {
        get => _maxEntries;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1 << 28);
            _maxEntries = value;
        }
    }

    /// <summary>
    /// How long a bucket must have been full before the heartbeat drops it. Dropping a full bucket loses nothing (a new
    /// one is full too), so this only trades memory for churn. At most <see cref="MaxIdleTimeout"/>.
    /// </summary>
    public TimeSpan IdleTimeout
    {
        get => _idleTimeout;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxIdleTimeout);
            _idleTimeout = value;
        }
    }

    /// <summary>Number of independently locked stripes for inserts and evictions; 0 picks one from the core count.</summary>
    public int StripeCount
    {
        get => _stripeCount;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 0);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1024);
            _stripeCount = value;
        }
    }
}
