namespace Gateway.Net.Balancing;

/// <summary>
/// Source-IP hash (strategy 3) and URI hash (strategy 4): a weighted consistent-hash ring (ketama style). Each member
/// puts 16 points per unit of weight on a 64-bit ring (never fewer than one; the scale halves only for rings past
/// 262,144 points),
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
    /// <summary>
    /// Points per unit of weight (nginx gives 160 per unit; APIG weights run to 10,000, so fewer). A fixed scale makes a
    /// member's points depend on its own weight only: adding a member never moves another member's points.
    /// </summary>
    public const int PointsPerWeight = 16;

    /// <summary>The most points a ring holds; a channel whose weights would need more gets a coarser (halved) scale.</summary>
    public const int MaximumPoints = 1 << 18;

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
    private int Find(Ring ring, ulong hash, int exclude)
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

            // Points in proportion to weight at a fixed scale, halved only while the ring would be too large (then adding a
            // member that changes the scale moves more than its own share of keys).
            var budget = (double)PointsPerWeight;
            while (totalWeight * budget > MaximumPoints)
            {
                budget /= 2;
            }

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
