namespace Gateway.Net.RateLimiting;

/// <summary>
/// The outcome of one acquire: admitted or not, the whole permits left, and for a rejection how long to wait.
/// A value type, so deciding allocates nothing either way.
/// </summary>
internal readonly struct RateLimitDecision
{
    /// <summary>Retry-after of a request that can never be admitted (it asks for more than the capacity).</summary>
    public const long Never = long.MaxValue;

    // Spare credit in the limit's scaled units; divided lazily because most callers never ask for it.
    private readonly long _spareUnits;
    private readonly long _unitsPerPermit;
    private readonly long _retryAfterTicks;

    private RateLimitDecision(long spareUnits, long unitsPerPermit, long retryAfterTicks)
    {
        _spareUnits = spareUnits;
        _unitsPerPermit = unitsPerPermit;
        _retryAfterTicks = retryAfterTicks;
    }

    /// <summary>Whether the permits were granted. The default value is a rejection.</summary>
    public bool IsAdmitted => _retryAfterTicks == 0 && _unitsPerPermit != 0;

    /// <summary>
    /// Whole permits still available: after this acquire when admitted, right now when rejected.
    /// </summary>
    public long Remaining => _unitsPerPermit == 0 ? 0 : _spareUnits / _unitsPerPermit;

    /// <summary>
    /// For a rejection, the timestamp ticks after which the same request would be admitted if nothing else takes the
    /// permits first; 0 when admitted; <see cref="Never"/> when the request exceeds the capacity.
    /// </summary>
    public long RetryAfterTicks => _retryAfterTicks;

    internal static RateLimitDecision Admitted(long spareUnits, long unitsPerPermit) =>
        new(spareUnits, unitsPerPermit, 0);

    internal static RateLimitDecision Rejected(long spareUnits, long unitsPerPermit, long retryAfterTicks) =>
        new(spareUnits, unitsPerPermit, retryAfterTicks);

    /// <summary>The retry-after as a duration (rounded up to the next 100 ns tick; <see cref="TimeSpan.MaxValue"/> for never).</summary>
    public TimeSpan GetRetryAfter(long timestampFrequency)
    {
        if (_retryAfterTicks == Never)
        {
            return TimeSpan.MaxValue;
        }

        var ticks = (Int128)_retryAfterTicks * TimeSpan.TicksPerSecond;
        var rounded = (ticks + timestampFrequency - 1) / timestampFrequency;
        return rounded >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)rounded);
    }

    /// <summary>
    /// The value of a <c>Retry-After</c> header: whole seconds, rounded up so a client that waits that long is admitted.
    /// 0 when admitted; <see cref="int.MaxValue"/> when the request can never be admitted.
    /// </summary>
    public int GetRetryAfterSeconds(long timestampFrequency)
    {
        if (_retryAfterTicks == Never)
        {
            return int.MaxValue;
        }

        var seconds = (_retryAfterTicks / timestampFrequency) + (_retryAfterTicks % timestampFrequency == 0 ? 0 : 1);
        return seconds >= int.MaxValue ? int.MaxValue : (int)seconds;
    }
}
