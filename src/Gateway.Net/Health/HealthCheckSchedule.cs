using Gateway.Net.Balancing;

namespace Gateway.Net.Health;

/// <summary>
/// When each checked member is probed next: one priority queue of due times for every member of every channel. It
/// holds no threads or timers and is not thread-safe; <see cref="HealthChecker"/> drives it under its lock, and tests
/// drive it directly with chosen timestamps.
/// </summary>
/// <remarks>
/// A member has at most one probe in flight. Its next probe is due one interval after the previous one was due
/// (not after it ended), or at once when that moment has passed. Reconfiguration keeps the entry of a member whose
/// check is unchanged (same due time, same streaks); a changed check keeps the member's health but is probed anew at
/// once; a member that leaves is dropped, and a probe of it still in flight is ignored when it ends.
/// </remarks>
internal sealed class HealthCheckSchedule(long frequency)
{
    private readonly Dictionary<MemberHealth, Entry> _entries = new(ReferenceEqualityComparer.Instance);
    private readonly PriorityQueue<(Entry Entry, int Generation), long> _queue = new();

    /// <summary>Members under an active check.</summary>
    public int Count => _entries.Count;

    /// <summary>Whether <paramref name="member"/> is scheduled.</summary>
    public bool Contains(MemberHealth member) => _entries.ContainsKey(member);

    /// <summary>The earliest due time of a member not being probed, or null when none is waiting.</summary>
    public long? NextDue
    {
        get
        {
            DropStale();
            return _queue.TryPeek(out _, out var due) ? due : null;
        }
    }

    /// <summary>
    /// Makes <paramref name="targets"/> the checked members. New members are due at <paramref name="now"/>; members
    /// not listed stop being checked (their <see cref="MemberHealth.IsActivelyChecked"/> is cleared).
    /// </summary>
    public void Reconfigure(IReadOnlyCollection<HealthCheckTarget> targets, long now)
    {
        var live = new HashSet<MemberHealth>(ReferenceEqualityComparer.Instance);
        foreach (var target in targets)
        {
            if (!live.Add(target.Member))
            {
                continue;
            }

            target.Member.IsActivelyChecked = true;
            target.Member.PassiveFailureThreshold = target.Settings.ThresholdAbnormal;
            if (_entries.TryGetValue(target.Member, out var entry))
            {
                if (entry.Target.Settings == target.Settings && entry.Target.Port == target.Port)
                {
                    continue;
                }

                entry.Target = target;
                if (!entry.Running)
                {
                    Enqueue(entry, now);
                }

                continue;
            }

            entry = new Entry(target);
            _entries.Add(target.Member, entry);
            Enqueue(entry, now);
        }

        List<MemberHealth>? gone = null;
        foreach (var member in _entries.Keys)
        {
            if (!live.Contains(member))
            {
                (gone ??= []).Add(member);
            }
        }

        foreach (var member in gone ?? [])
        {
            var entry = _entries[member];
            entry.Removed = true;
            entry.Generation++;
            _entries.Remove(member);
            member.IsActivelyChecked = false;
        }
    }

    /// <summary>Takes the earliest member due at <paramref name="now"/> and marks it running.</summary>
    public bool TryTakeDue(long now, out HealthCheckTarget target)
    {
        DropStale();
        if (_queue.TryPeek(out var item, out var due) && due <= now)
        {
            _queue.Dequeue();
            item.Entry.InFlight = item.Entry.Target;
            item.Entry.Generation++;
            target = item.Entry.Target;
            return true;
        }

        target = null!;
        return false;
    }

    /// <summary>
    /// Records the outcome of a probe taken with <see cref="TryTakeDue"/> and schedules the member's next probe.
    /// The outcome of a member that left meanwhile is ignored.
    /// </summary>
    public void Complete(HealthCheckTarget probed, bool success, long now)
    {
        if (!_entries.TryGetValue(probed.Member, out var entry) || !ReferenceEquals(entry.InFlight, probed))
        {
            return;
        }

        entry.InFlight = null;
        var settings = entry.Target.Settings;
        probed.Member.RecordProbe(success, settings.ThresholdNormal, settings.ThresholdAbnormal);
        if (!ReferenceEquals(probed, entry.Target))
        {
            // The check changed while this probe ran: the new one starts now.
            Enqueue(entry, now);
            return;
        }

        var next = entry.DueAt + ToTicks(settings.Interval, frequency);
        Enqueue(entry, Math.Max(next, now));
    }

    private void Enqueue(Entry entry, long due)
    {
        entry.Generation++;
        entry.DueAt = due;
        _queue.Enqueue((entry, entry.Generation), due);
    }

    private void DropStale()
    {
        while (_queue.TryPeek(out var item, out _) && (item.Entry.Removed || item.Entry.Running || item.Generation != item.Entry.Generation))
        {
            _queue.Dequeue();
        }
    }

    private static long ToTicks(TimeSpan span, long frequency) => (long)((Int128)span.Ticks * frequency / TimeSpan.TicksPerSecond);

    private sealed class Entry(HealthCheckTarget target)
    {
        public HealthCheckTarget Target { get; set; } = target;

        public long DueAt { get; set; }

        public int Generation { get; set; }

        /// <summary>The target of the probe in flight, if any.</summary>
        public HealthCheckTarget? InFlight { get; set; }

        public bool Running => InFlight is not null;

        public bool Removed { get; set; }
    }
}
