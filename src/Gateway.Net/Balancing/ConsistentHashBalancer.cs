namespace Gateway.Net.Balancing;

/// <summary>
/// Source-IP hash (strategy 3) and URI hash (strategy 4): a weighted consistent-hash ring (ketama style). Each member
/// puts points on a 64-bit ring in proportion to its weight (about 160 per member of average weight, at least one),
/// placed by hashing its address, so a member's points do not depend on the other members: adding a member moves only
/// the keys its new points capture (its share of the weight, about 1/N) and removing one moves only its own keys. A
/// key goes to the owner of the first point at or after its hash (binary search, O(log points)); an owner that is
/// unhealthy or excluded passes the key on to the next point's owner.
/// <para>
/// Primaries, backups and all members (for failing open) each have a ring, so backups never take primary keys while
/// a primary is healthy.
/// </para>
/// </summary>
internal sealed class ConsistentHashBalancer : ChannelBalancer
{
    /// <summary>Points per member of average weight: enough for a spread within a few percent of the weights.</summary>
    public const int PointsPerMember = 160;

    private const ulong KeySeed = 0x2545F4914F6CDD1DUL;

    private readonly BalanceStrategy _strategy;
    private readonly Ring _primaries;
    private readonly Ring _backups;
    private readonly Ring _all;

    public ConsistentHashBalancer(BalancerMember[] members, BalanceStrategy strategy)
        : base(members)
    {
        _strategy = strategy;
        _primaries = Ring.Build(members, backups: false);
        _backups = Ring.Build(members, backups: true);
        _all = _backups.IsEmpty ? _primaries : _primaries.IsEmpty ? _backups : Ring.Build(members, backups: null);
        Initialize();
    }

    public override BalanceStrategy Strategy => _strategy;

    public override int Pick(ReadOnlySpan<byte> sourceAddress, ReadOnlySpan<byte> path, int exclude = -1)
    {
        if (SweepFindsChange(out _))
        {
            lock (Gate)
            {
                Refresh();
            }
        }

        var hash = BalancingHash.Hash(_strategy == BalanceStrategy.UriHash ? path : sourceAddress, KeySeed);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var ring = Tier switch
            {
                MemberTier.Primaries => _primaries,
                MemberTier.Backups => _backups,
                _ => _all,
            };
            var member = Find(ring, hash, exclude);
            if (member >= 0)
            {
                return member;
            }

            // Nobody on this tier's ring can serve: the tier is stale (its members just failed); refresh and retry.
            lock (Gate)
            {
                Refresh();
            }
        }

        return -1;
    }

    protected override void OnRefreshed()
    {
    }

    /// <summary>The owner of the first point at or after <paramref name="hash"/> that may serve.</summary>
    internal int Find(Ring ring, ulong hash, int exclude)
    {
        var points = ring.Points;
        if (points.Length == 0)
        {
            return -1;
        }

        var index = points.AsSpan().BinarySearch(hash);
        if (index < 0)
        {
            index = ~index;
        }

        var fallback = -1;
        for (var step = 0; step < points.Length; step++)
        {
            if (index == points.Length)
            {
                index = 0;
            }

            var member = ring.Owners[index++];
            if (IsUsable(member))
            {
                if (member != exclude)
                {
                    return member;
                }

                fallback = member;
            }
        }

        return fallback;
    }

    /// <summary>The member a key maps to on the primaries' ring, ignoring health (for tests).</summary>
    internal int Owner(ulong keyHash)
    {
        var points = _primaries.Points;
        var index = points.AsSpan().BinarySearch(keyHash);
        index = index < 0 ? ~index : index;
        return points.Length == 0 ? -1 : _primaries.Owners[index == points.Length ? 0 : index];
    }

    /// <summary>The hash a key is placed with.</summary>
    internal static ulong KeyHash(ReadOnlySpan<byte> key) => BalancingHash.Hash(key, KeySeed);

    /// <summary>Sorted points and the member owning each.</summary>
    internal sealed class Ring(ulong[] points, int[] owners)
    {
        public ulong[] Points { get; } = points;

        public int[] Owners { get; } = owners;

        public bool IsEmpty => Points.Length == 0;

        /// <param name="members">The channel's members.</param>
        /// <param name="backups">Only backups (true), only primaries (false) or all (null).</param>
        public static Ring Build(BalancerMember[] members, bool? backups)
        {
            long totalWeight = 0;
            var count = 0;
            foreach (var member in members)
            {
                if (backups is null || member.IsBackup == backups)
                {
                    totalWeight += member.Weight;
                    count++;
                }
            }

            if (count == 0)
            {
                return new Ring([], []);
            }

            // Points in proportion to weight: PointsPerMember for a member of average weight.
            var budget = (double)PointsPerMember * count / totalWeight;
            var sizes = new int[members.Length];
            var total = 0;
            for (var i = 0; i < members.Length; i++)
            {
                if (backups is null || members[i].IsBackup == backups)
                {
                    sizes[i] = Math.Max(1, (int)Math.Round(members[i].Weight * budget));
                    total += sizes[i];
                }
            }

            var points = new ulong[total];
            var owners = new int[total];
            var at = 0;
            for (var i = 0; i < members.Length; i++)
            {
                var identity = BalancingHash.Hash(members[i].Identity, 0);
                for (var k = 0; k < sizes[i]; k++)
                {
                    points[at] = BalancingHash.Point(identity, k);
                    owners[at++] = i;
                }
            }

            Array.Sort(points, owners);
            return new Ring(points, owners);
        }
    }
}
