namespace Gateway.Net.Balancing;

/// <summary>The documented <c>balance_strategy</c> values (3.17).</summary>
internal enum BalanceStrategy : byte
{
    WeightedRoundRobin = 1,
    WeightedLeastConnections = 2,
    SourceIpHash = 3,
    UriHash = 4,
}

/// <summary>
/// Picks a member of one VPC channel for each request. Built once per channel per snapshot from the channel's usable
/// members (enabled, weight above 0, with an address); picks allocate nothing.
/// <para>
/// Which members may be picked follows a tier: the healthy primaries; when none is healthy, the healthy backups
/// (<c>is_backup</c>); when no member at all is healthy, every member regardless of health (fail open). The balancer
/// remembers the health it last saw and compares one member per pick with the live state (a sweep), so a change —
/// including a member coming back — is noticed within one pass over the members at O(1) cost per pick; a picked
/// member found unhealthy is noticed at once.
/// </para>
/// </summary>
internal abstract class ChannelBalancer
{
    /// <summary>Serializes the stateful strategies' picks and every refresh of the tier.</summary>
    protected readonly Lock Gate = new();

    private readonly BalancerMember[] _members;
    private readonly bool[] _seenHealthy;
    private readonly bool[] _eligible;
    private volatile int _tier;
    private int _eligibleCount;
    private int _sweep;
    private bool _initialized;

    protected ChannelBalancer(BalancerMember[] members)
    {
        _members = members;
        _seenHealthy = new bool[members.Length];
        _eligible = new bool[members.Length];
    }

    /// <summary>The members this balancer chooses from; <see cref="Pick"/> returns an index into it.</summary>
    public BalancerMember[] Members => _members;

    public abstract BalanceStrategy Strategy { get; }

    /// <summary>Which members may be picked now.</summary>
    internal MemberTier Tier => (MemberTier)_tier;

    /// <summary>How many members the current tier allows.</summary>
    protected int EligibleCount => _eligibleCount;

    public static ChannelBalancer Create(int strategy, BalancerMember[] members) => (BalanceStrategy)strategy switch
    {
        BalanceStrategy.WeightedLeastConnections => new WeightedLeastConnections(members),
        BalanceStrategy.SourceIpHash => new ConsistentHashBalancer(members, BalanceStrategy.SourceIpHash),
        BalanceStrategy.UriHash => new ConsistentHashBalancer(members, BalanceStrategy.UriHash),
        _ => new SmoothWeightedRoundRobin(members),
    };

    /// <summary>
    /// The index of the member for a request, or -1 when the channel has no usable member. <paramref name="exclude"/>
    /// (a member that just failed) is avoided when another member may be picked.
    /// </summary>
    public abstract int Pick(ReadOnlySpan<byte> sourceAddress, ReadOnlySpan<byte> path, int exclude = -1);

    /// <summary>The request sent to <paramref name="member"/> (a value <see cref="Pick"/> returned) has ended.</summary>
    public virtual void Release(int member)
    {
    }

    /// <summary>Whether the member may be picked: allowed by the tier and, unless failing open, healthy right now.</summary>
    protected bool IsUsable(int member) =>
        _eligible[member] && (_tier == (int)MemberTier.All || _members[member].Health.IsHealthy);

    /// <summary>Whether the tier allowed the member at the last refresh.</summary>
    protected bool IsEligible(int member) => _eligible[member];

    /// <summary>Compares the next member of the sweep with the health last seen; true when a refresh is due.</summary>
    protected bool SweepFindsChange(out int swept)
    {
        var count = _members.Length;
        if (count == 0)
        {
            swept = -1;
            return false;
        }

        swept = (int)((uint)Interlocked.Increment(ref _sweep) % (uint)count);
        return _members[swept].Health.IsHealthy != _seenHealthy[swept];
    }

    /// <summary>Re-reads every member's health, chooses the tier and lets the strategy rebuild. Caller holds <see cref="Gate"/>.</summary>
    protected void Refresh()
    {
        var anyPrimary = false;
        var anyBackup = false;
        for (var i = 0; i < _members.Length; i++)
        {
            var healthy = _members[i].Health.IsHealthy;
            _seenHealthy[i] = healthy;
            if (healthy)
            {
                anyPrimary |= !_members[i].IsBackup;
                anyBackup |= _members[i].IsBackup;
            }
        }

        var tier = anyPrimary ? MemberTier.Primaries : anyBackup ? MemberTier.Backups : MemberTier.All;
        var eligibleCount = 0;
        var changed = !_initialized || _tier != (int)tier;
        for (var i = 0; i < _members.Length; i++)
        {
            var eligible = tier == MemberTier.All || (_seenHealthy[i] && _members[i].IsBackup == (tier == MemberTier.Backups));
            changed |= _eligible[i] != eligible;
            _eligible[i] = eligible;
            eligibleCount += eligible ? 1 : 0;
        }

        _eligibleCount = eligibleCount;
        _tier = (int)tier;
        _initialized = true;
        if (changed)
        {
            // Only a different eligible set resets a strategy's state (a backup flapping while primaries serve does not).
            OnRefreshed();
        }
    }

    /// <summary>The eligible set changed: rebuild whatever the strategy derives from it. Caller holds <see cref="Gate"/>.</summary>
    protected abstract void OnRefreshed();

    /// <summary>The first refresh, from the constructor of the concrete strategy once its own state exists.</summary>
    protected void Initialize()
    {
        lock (Gate)
        {
            Refresh();
        }
    }
}

/// <summary>Which members a balancer may pick.</summary>
internal enum MemberTier
{
    /// <summary>Healthy non-backup members.</summary>
    Primaries,

    /// <summary>Healthy backup members: no primary is healthy.</summary>
    Backups,

    /// <summary>Every member, healthy or not: none is healthy (fail open).</summary>
    All,
}
