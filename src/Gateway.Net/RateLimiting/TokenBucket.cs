using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gateway.Net.Timing;

namespace Gateway.Net.RateLimiting;

/// <summary>
/// A single lock-free token bucket: <see cref="TokenBucketLimit.Capacity"/> permits, refilled continuously at that many per
/// window. The whole state is one 64-bit word (see <see cref="TokenBucketLimit"/> for the packing). Acquiring allocates
/// nothing, admitted or not.
/// </summary>
/// <remarks>
/// <para>
/// <b>Ownership.</b> A bucket starts owned by the first thread that uses it, which updates the word with plain loads and
/// stores: no locked instruction, which is most of the cost of a compare-and-swap. The first other thread that touches
/// the bucket revokes the ownership for good: it marks the bucket as being revoked, runs a process-wide memory barrier
/// (<see cref="Interlocked.MemoryBarrierProcessWide"/>, a few microseconds, once per bucket), waits for an update the
/// owner may have in flight, and only then marks the bucket shared (threads arriving meanwhile wait for it); from then
/// on every thread, the former owner included, updates the word by compare-and-swap.
/// The owner announces each update in <c>_ownerUpdating</c> before it checks that it still owns the bucket, and the
/// barrier guarantees that the revoker either sees that flag or the owner sees the revocation, so no update is lost
/// and the count stays exact. A bucket used from one thread only (a single-threaded host, a quiet API) keeps the cheap
/// path; a bucket shared by the request threads of a busy gateway pays the barrier once and then runs on
/// compare-and-swap.
/// </para>
/// <para>
/// A bucket left full and untouched for more than 30 days may misread its word as a partly drained bucket
/// (conservatively, never admitting more than the limit); registering the bucket with a <see cref="Heartbeat"/> refreshes
/// idle words and removes that edge. Buckets inside a <see cref="KeyedBucketTable{TKey}"/> are evicted long before.
/// </para>
/// </remarks>
internal sealed class TokenBucket : IHeartbeatHandler
{
    private const long Unowned = 0;
    private const long Shared = -1;
    private const long Revoking = -2;
    private const long IdleRevokeSeconds = 86_400;

    // A per-thread token instead of Environment.CurrentManagedThreadId, which is a call; a thread-static read is one load.
    [ThreadStatic]
    private static long t_threadToken;
    private static long s_lastThreadToken;

    private readonly MonotonicClock _clock;
    private readonly Lock _reconfigureGate = new();
    private TokenBucketLimit _limit;
    private PaddedWord _word;
    private long _owner;
    private int _ownerUpdating;

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
        _word.Value = limit.FullWord(_clock.GetTimestamp());
    }

    /// <summary>The limit in force.</summary>
    public TokenBucketLimit Limit => Volatile.Read(ref _limit);

    /// <summary>Whether one thread still owns the bucket (tests and diagnostics).</summary>
    internal bool IsOwned => Volatile.Read(ref _owner) > 0;

    /// <summary>Takes <paramref name="permits"/> at the bucket clock's current time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RateLimitDecision TryAcquire(int permits = 1) => TryAcquire(_clock.GetTimestamp(), permits);

    /// <summary>
    /// Takes <paramref name="permits"/> at <paramref name="timestamp"/> (ticks of the bucket's clock), for callers that
    /// already read the clock for the request.
    /// </summary>
    public RateLimitDecision TryAcquire(long timestamp, int permits = 1)
    {
        var owner = Volatile.Read(ref _owner);
        if (owner == Shared || ((owner != t_threadToken || owner == Unowned) && !TakeOwnershipOrShare()))
        {
            return TryAcquireShared(timestamp, permits);
        }

        Volatile.Write(ref _ownerUpdating, 1);

        // Read after announcing the update: a revoker that missed the flag is seen here (see the remarks). The JIT keeps
        // volatile accesses in program order; the processor may still let this load pass the store above, and the
        // revoker's process-wide barrier is what closes that window.
        if (Volatile.Read(ref _owner) == t_threadToken)
        {
            var outcome = Volatile.Read(ref _limit).Decide(_word.Value, timestamp, permits, out var updated, out var decision);
            if (outcome != AcquireOutcome.Foreign)
            {
                if (outcome == AcquireOutcome.Admitted)
                {
                    Volatile.Write(ref _word.Value, updated);
                }

                Volatile.Write(ref _ownerUpdating, 0);
                return decision;
            }
        }

        Volatile.Write(ref _ownerUpdating, 0);
        return TryAcquireShared(timestamp, permits);
    }

    private RateLimitDecision TryAcquireShared(long timestamp, int permits)
    {
        var limit = Volatile.Read(ref _limit);
        var observed = Volatile.Read(ref _word.Value);
        var backoff = 1;
        while (true)
        {
            switch (limit.Decide(observed, timestamp, permits, out var updated, out var decision))
            {
                case AcquireOutcome.Admitted:
                    var witnessed = Interlocked.CompareExchange(ref _word.Value, updated, observed);
                    if (witnessed == observed)
                    {
                        return decision;
                    }

                    // Lost a race: retry on the word the compare-and-swap saw, without fetching the line again.
                    observed = witnessed;
                    Thread.SpinWait(backoff);
                    backoff = Math.Min(backoff * 2, 64);
                    break;
                case AcquireOutcome.Rejected:
                    return decision;
                default:
                    limit = Volatile.Read(ref _limit);
                    limit.Adopt(ref _word.Value, timestamp);
                    observed = Volatile.Read(ref _word.Value);
                    break;
            }
        }
    }

    /// <summary>Gives back <paramref name="permits"/> admitted at about <paramref name="timestamp"/> but not used.</summary>
    public void Refund(long timestamp, int permits = 1)
    {
        // Rare (a later limit refused the request): not worth an owner's path, so it shares the bucket.
        RevokeOwnership();
        var limit = Volatile.Read(ref _limit);
        while (!limit.TryRefund(ref _word.Value, Volatile.Read(ref _word.Value), timestamp, permits))
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

            RevokeOwnershipLocked();
            var next = current.Supersede(limit);
            Volatile.Write(ref _limit, next);
            next.Adopt(ref _word.Value, timestamp);
        }
    }

    /// <summary>Rewrites the word of a full bucket to the current time, so it can stay idle indefinitely.</summary>
    public void Refresh(long timestamp)
    {
        var limit = Volatile.Read(ref _limit);
        var observed = Volatile.Read(ref _word.Value);
        if (!limit.Owns(observed))
        {
            return;
        }

        var debt = TokenBucketLimit.DebtOf(observed, limit.ToScaledTime(timestamp));
        if (debt >= 0)
        {
            return;
        }

        if (Volatile.Read(ref _owner) > 0)
        {
            // An owner writes with plain stores, which a compare-and-swap here could not order against. Its word only
            // needs refreshing after a long idle spell, and then taking the bucket away from it costs nothing.
            if (-debt < limit.ToScaledTime(IdleRevokeSeconds * limit.TimestampFrequency))
            {
                return;
            }

            RevokeOwnership();
            observed = Volatile.Read(ref _word.Value);
        }

        // Unowned or shared: a compare-and-swap never overwrites anyone's update, and a claimer's plain store that
        // overwrites this one recomputed the word from the current time anyway.
        Interlocked.CompareExchange(ref _word.Value, limit.FullWord(timestamp), observed);
    }

    void IHeartbeatHandler.OnHeartbeat(long timestamp) => Refresh(timestamp);

    /// <summary>
    /// The slow path of an acquire from a thread that does not own the bucket: takes the bucket if nobody has yet, or
    /// revokes the current owner. Returns whether the calling thread now owns it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TakeOwnershipOrShare()
    {
        var owner = Volatile.Read(ref _owner);
        if (owner == Shared)
        {
            return false;
        }

        var token = t_threadToken;
        if (token == 0)
        {
            // Unique per thread for the life of the process: a 64-bit counter does not wrap.
            token = Interlocked.Increment(ref s_lastThreadToken);
            t_threadToken = token;
        }

        if (owner == token || (owner == Unowned && Interlocked.CompareExchange(ref _owner, token, Unowned) == Unowned))
        {
            return true;
        }

        RevokeOwnership();
        return false;
    }

    private void RevokeOwnership()
    {
        if (Volatile.Read(ref _owner) == Shared)
        {
            return;
        }

        lock (_reconfigureGate)
        {
            RevokeOwnershipLocked();
        }
    }

    private void RevokeOwnershipLocked()
    {
        if (Volatile.Read(ref _owner) == Shared)
        {
            return;
        }

        // Revoking first, Shared only once the owner is quiet: a thread that saw Shared too early would start
        // compare-and-swaps while the owner's plain store may still land on top of them. A thread that sees Revoking
        // queues on the gate held here.
        var previous = Interlocked.Exchange(ref _owner, Revoking);
        if (previous > 0)
        {
            // After the barrier, either the owner's "updating" flag is visible here or the owner's next read of _owner
            // sees the revocation. Wait out an update in flight; its store to the word is visible once the flag drops.
            Interlocked.MemoryBarrierProcessWide();
            var spin = new SpinWait();
            while (Volatile.Read(ref _ownerUpdating) != 0)
            {
                spin.SpinOnce();
            }
        }

        Volatile.Write(ref _owner, Shared);
    }
}

/// <summary>
/// A bucket word alone on its cache line: under contention the line ping-pongs between cores, and the read-mostly fields
/// of the bucket (limit, owner) would otherwise be fetched again after every compare-and-swap of the other core.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedWord
{
    [FieldOffset(64)]
    public long Value;
}
