namespace Gateway.Net.Balancing;

/// <summary>
/// Smooth weighted round robin (strategy 1). Over a cycle of W picks (W = the sum of the eligible weights) each member
/// gets exactly its weight, spread as evenly as the weights allow — the same guarantee as nginx's smooth WRR — but
/// computed as a schedule rather than by scanning every member on every pick:
/// <para>
/// member i's k-th pick of a cycle is a job released at slot (k−1)·W/wᵢ and due at slot k·W/wᵢ (its ideal, evenly
/// spaced position). Each pick hands the slot to the released job with the earliest due slot. Because the weights sum
/// to W there is always a released job waiting, every job meets its due slot, and so a member runs at most about
/// wᵢ/(W−wᵢ) + 1 times in a row. Two heaps (released by due slot, waiting by release slot) make a pick O(log n);
/// rationals are compared by cross-multiplying, so the schedule is exact. A tiny lock guards the heaps.
/// </para>
/// </summary>
internal sealed class SmoothWeightedRoundRobin : ChannelBalancer
{
    private readonly int[] _weights;
    private readonly int[] _done;
    private readonly int[] _ready;
    private readonly int[] _waiting;
    private int _readyCount;
    private int _waitingCount;
    private long _cycle;
    private long _slot;

    public SmoothWeightedRoundRobin(BalancerMember[] members)
        : base(members)
    {
        _weights = Array.ConvertAll(members, m => m.Weight); // a flat copy: heap comparisons stay in one cache line run
        _done = new int[members.Length];
        _ready = new int[members.Length];
        _waiting = new int[members.Length];
        Initialize();
    }

    public override BalanceStrategy Strategy => BalanceStrategy.WeightedRoundRobin;

    public override int Pick(ReadOnlySpan<byte> sourceAddress, ReadOnlySpan<byte> path, int exclude = -1)
    {
        lock (Gate)
        {
            if (SweepFindsChange(out _))
            {
                Refresh();
            }

            var skipped = 0;
            for (var attempt = 0; attempt < 8 + (2 * Members.Length); attempt++)
            {
                if (_cycle == 0)
                {
                    return -1;
                }

                var member = Next();
                if (!IsUsable(member))
                {
                    Refresh();
                    continue;
                }

                if (member == exclude && EligibleCount > 1)
                {
                    // A retry wants another member: its next slots belong to others, but a heavy member can hold a
                    // long run, so after a few tries take the heaviest other member directly.
                    if (++skipped < 4)
                    {
                        continue;
                    }

                    return HeaviestOther(exclude);
                }

                return member;
            }

            return -1;
        }
    }

    protected override void OnRefreshed()
    {
        long cycle = 0;
        for (var i = 0; i < Members.Length; i++)
        {
            if (IsEligible(i))
            {
                cycle += _weights[i];
            }
        }

        _cycle = cycle;
        StartCycle();
    }

    private int HeaviestOther(int exclude)
    {
        var best = -1;
        for (var i = 0; i < Members.Length; i++)
        {
            if (i != exclude && IsUsable(i) && (best < 0 || Members[i].Weight > Members[best].Weight))
            {
                best = i;
            }
        }

        return best >= 0 ? best : exclude;
    }

    private void StartCycle()
    {
        _slot = 0;
        _readyCount = 0;
        _waitingCount = 0;
        for (var i = 0; i < Members.Length; i++)
        {
            _done[i] = 0;
            if (IsEligible(i))
            {
                Push(_ready, ref _readyCount, i, byDue: true);
            }
        }
    }

    /// <summary>The owner of the next slot of the schedule.</summary>
    private int Next()
    {
        while (_waitingCount > 0 && IsReleased(_waiting[0]))
        {
            Push(_ready, ref _readyCount, Pop(_waiting, ref _waitingCount, byDue: false), byDue: true);
        }

        // Never empty: by slot t at least t+1 jobs are released (Σ ⌊t·wᵢ/W⌋+1 > t) and t are done.
        var member = Pop(_ready, ref _readyCount, byDue: true);
        if (++_done[member] < _weights[member])
        {
            Push(_waiting, ref _waitingCount, member, byDue: false);
        }

        if (++_slot >= _cycle)
        {
            StartCycle();
        }

        return member;
    }

    /// <summary>Whether the member's next job is released at the current slot: done·W ≤ slot·w.</summary>
    private bool IsReleased(int member) => (long)_done[member] * _cycle <= _slot * _weights[member];

    /// <summary>Heap order: by due slot (done+1)/w for released jobs, by release slot done/w for waiting ones.</summary>
    private bool Before(int a, int b, bool byDue)
    {
        var offset = byDue ? 1L : 0L;
        var left = (_done[a] + offset) * _weights[b];
        var right = (_done[b] + offset) * _weights[a];
        return left != right ? left < right : a < b;
    }

    private void Push(int[] heap, ref int count, int member, bool byDue)
    {
        var index = count++;
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            if (!Before(member, heap[parent], byDue))
            {
                break;
            }

            heap[index] = heap[parent];
            index = parent;
        }

        heap[index] = member;
    }

    private int Pop(int[] heap, ref int count, bool byDue)
    {
        var top = heap[0];
        var last = heap[--count];
        var index = 0;
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= count)
            {
                break;
            }

            if (child + 1 < count && Before(heap[child + 1], heap[child], byDue))
            {
                child++;
            }

            if (!Before(heap[child], last, byDue))
            {
                break;
            }

            heap[index] = heap[child];
            index = child;
        }

        if (count > 0)
        {
            heap[index] = last;
        }

        return top;
    }
}
