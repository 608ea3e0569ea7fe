using System.Runtime.CompilerServices;
using Gateway.Net.Timing;

namespace Gateway.Net.RateLimiting;

/// <summary>
/// A single lock-free token bucket: <see cref="TokenBucketLimit.Capacity"/> permits, refilled continuously at that many per
/// window. The whole state is one 64-bit word updated by compare-and-swap (see <see cref="TokenBucketLimit"/> for the
/// packing). Acquiring allocates nothing, admitted or not.
/// </summary>
/// <remarks>
/// A bucket left full and untouched for more than 30 days may misread its word as a partly drained bucket
/// (conservatively, never admitting more than the limit); registering the bucket with a <see cref="Heartbeat"/> refreshes
/// idle words and removes that edge. Buckets inside a <see cref="KeyedBucketTable{TKey}"/> are evicted long before.
/// </remarks>
internal sealed class TokenBucket : IHeartbeatHandler
{
    private readonly MonotonicClock _clock;
    private readonly Lock _reconfigureGate = new();
    private TokenBucketLimit _limit;
    private long _state;

    /// <summary>A full bucket of <paramref name="limit"/> on <paramref name="timeProvider"/> (the system clock when null).</summary>
    public TokenBucket(TokenBucketLimit limit, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _clock = new MonotonicClock(timeProvider);
        if (_clock.Frequency != limit.TimestampFrequency)
        {
            throw new ArgumentException("The limit was built for a clock of another frequency.", nameof(limit));
        }

        _limit = limit;
        _state = limit.FullWord(_clock.GetTimestamp());
    }

    /// <summary>The limit in force.</summary>
    public TokenBucketLimit Limit => Volatile.Read(ref _limit);

    /// <summary>Takes <paramref name="permits"/> at the bucket clock's current time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RateLimitDecision TryAcquire(int permits = 1) => TryAcquire(_clock.GetTimestamp(), permits);

    /// <summary>
    /// Takes <paramref name="permits"/> at <paramref name="timestamp"/> (ticks of the bucket's clock), for callers that
    /// already read the clock for the request.
    /// </summary>
    public RateLimitDecision TryAcquire(long timestamp, int permits = 1)
    {
        var limit = Volatile.Read(ref _limit);
        while (true)
        {
            var observed = Volatile.Read(ref _state);
            switch (limit.TryAcquire(ref _state, observed, timestamp, permits, out var decision))
            {
                case AcquireOutcome.Admitted:
                case AcquireOutcome.Rejected:
                    return decision;
                case AcquireOutcome.Foreign:
                    limit = Volatile.Read(ref _limit);
                    limit.Adopt(ref _state, timestamp);
                    break;
            }
        }
    }

    /// <summary>Gives back <paramref name="permits"/> admitted at about <paramref name="timestamp"/> but not used.</summary>
    public void Refund(long timestamp, int permits = 1)
    {
        var limit = Volatile.Read(ref _limit);
        while (!limit.TryRefund(ref _state, Volatile.Read(ref _state), timestamp, permits))
        {
        }
    }

    /// <summary>
    /// Replaces the limit. The permits already taken stay taken (see <see cref="TokenBucketLimit.Translate"/>); a limit
    /// equivalent to the current one changes nothing.
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
            next.Adopt(ref _state, timestamp);
        }
    }

    /// <summary>Rewrites the word of a full bucket to the current time, so it can stay idle indefinitely.</summary>
    public void Refresh(long timestamp)
    {
        var limit = Volatile.Read(ref _limit);
        var observed = Volatile.Read(ref _state);
        if (limit.Owns(observed) && TokenBucketLimit.DebtOf(observed, limit.ToScaledTime(timestamp)) < 0)
        {
            Interlocked.CompareExchange(ref _state, limit.FullWord(timestamp), observed);
        }
    }

    void IHeartbeatHandler.OnHeartbeat(long timestamp) => Refresh(timestamp);
}
