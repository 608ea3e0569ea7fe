namespace Gateway.Net.Balancing;

/// <summary>
/// Weighted least connections (strategy 2): the member with the fewest requests in flight relative to its weight,
/// (inFlight+1)/weight, wins; ties go to the member picked least recently, so idle members take turns. A tournament
/// tree over the members keeps the winner at the root: a pick and a release each replay one leaf-to-root path,
/// O(log n), under a tiny lock.
/// <para>
/// In-flight counts live in <see cref="MemberLoad"/> beside each member's health, shared by every snapshot, so a
/// recompile keeps them and a request that started on an older snapshot still releases its count. Such a release only
/// updates the older balancer's tree; the sweep replays one further path per pick, so the current tree catches up
/// within one pass over the members.
/// </para>
/// </summary>
internal sealed class WeightedLeastConnections : ChannelBalancer
{
    private readonly int _leaves;
    private readonly int[] _tree;
    private readonly int[] _weights;
    private readonly long[] _lastPicked;
    private long _sequence;
    private int _excluded = -1;

    public WeightedLeastConnections(BalancerMember[] members)
        : base(members)
    {
        var leaves = 1;
        while (leaves < members.Length)
        {
            leaves <<= 1;
        }

        _leaves = leaves;
        _tree = new int[2 * leaves];
        _lastPicked = new long[members.Length];
        _weights = Array.ConvertAll(members, m => m.Weight);
        Initialize();
    }

    public override BalanceStrategy Strategy => BalanceStrategy.WeightedLeastConnections;

    public override int Pick(ReadOnlySpan<byte> sourceAddress, ReadOnlySpan<byte> path, int exclude = -1)
    {
        lock (Gate)
        {
            if (SweepFindsChange(out var swept))
            {
                Refresh();
            }
            else if (swept >= 0)
            {
                Replay(swept);
            }

            for (var attempt = 0; attempt < 4; attempt++)
            {
                var member = _tree[1];
                if (member < 0 || !IsEligible(member))
                {
                    return -1;
                }

                if (!IsUsable(member))
                {
                    Refresh();
                    continue;
                }

                if (member == exclude && EligibleCount > 1)
                {
                    // The runner-up: take the excluded member out of the tournament for one replay.
                    _excluded = exclude;
                    Replay(exclude);
                    var other = _tree[1];
                    _excluded = -1;
                    Replay(exclude);
                    if (other >= 0 && other != exclude && IsUsable(other))
                    {
                        member = other;
                    }
                }

                Members[member].Load.Increment();
                _lastPicked[member] = ++_sequence;
                Replay(member);
                return member;
            }

            return -1;
        }
    }

    public override void Release(int member)
    {
        lock (Gate)
        {
            Members[member].Load.Decrement();
            Replay(member);
        }
    }

    protected override void OnRefreshed()
    {
        for (var i = 0; i < _leaves; i++)
        {
            _tree[_leaves + i] = i < Members.Length ? i : -1;
        }

        for (var node = _leaves - 1; node >= 1; node--)
        {
            _tree[node] = Better(_tree[2 * node], _tree[(2 * node) + 1]);
        }
    }

    /// <summary>Recomputes the winners on the member's path to the root.</summary>
    private void Replay(int member)
    {
        var node = (_leaves + member) >> 1;
        while (node >= 1)
        {
            _tree[node] = Better(_tree[2 * node], _tree[(2 * node) + 1]);
            node >>= 1;
        }
    }

    private int Better(int a, int b)
    {
        if (a < 0)
        {
            return b;
        }

        if (b < 0)
        {
            return a;
        }

        var aEligible = IsEligible(a) && a != _excluded;
        var bEligible = IsEligible(b) && b != _excluded;
        if (aEligible != bEligible)
        {
            return aEligible ? a : b;
        }

        // (load+1)/weight compared by cross-multiplying: the load a new request would make, relative to capacity.
        var left = (Members[a].Load.InFlight + 1L) * _weights[b];
        var right = (Members[b].Load.InFlight + 1L) * _weights[a];
        if (left != right)
        {
            return left < right ? a : b;
        }

        if (_lastPicked[a] != _lastPicked[b])
        {
            return _lastPicked[a] < _lastPicked[b] ? a : b;
        }

        return a < b ? a : b;
    }
}
