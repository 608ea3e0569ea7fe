namespace Gateway.Net.Tests.RateLimiting;

/// <summary>A clock that only moves when told to; timers fire synchronously inside <see cref="Advance(long)"/>.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly long _frequency;
    private readonly DateTimeOffset _origin = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly long _start;
    private long _timestamp;

    public ManualTimeProvider(long frequency = 1_000_000_000, long start = 1_000_000_000_000)
    {
        _frequency = frequency;
        _start = start;
        _timestamp = start;
    }

    public override long TimestampFrequency => _frequency;

    public override long GetTimestamp() => Volatile.Read(ref _timestamp);

    public override DateTimeOffset GetUtcNow() =>
        _origin.AddTicks((long)((Int128)(GetTimestamp() - _start) * TimeSpan.TicksPerSecond / _frequency));

    public void Advance(TimeSpan by) => Advance((long)((Int128)by.Ticks * _frequency / TimeSpan.TicksPerSecond));

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in order.</summary>
    public void Advance(long ticks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        var target = GetTimestamp() + ticks;
        while (true)
        {
            ManualTimer? due = null;
            lock (_gate)
            {
                foreach (var timer in _timers)
                {
                    if (timer.DueAt <= target && (due is null || timer.DueAt < due.DueAt))
                    {
                        due = timer;
                    }
                }

                if (due is null)
                {
                    Volatile.Write(ref _timestamp, target);
                    return;
                }

                Volatile.Write(ref _timestamp, Math.Max(GetTimestamp(), due.DueAt));
                due.DueAt = due.PeriodTicks > 0 ? due.DueAt + due.PeriodTicks : long.MaxValue;
            }

            due.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        return timer;
    }

    public int ActiveTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    private long ToTicks(TimeSpan span) => (long)((Int128)span.Ticks * _frequency / TimeSpan.TicksPerSecond);

    private void Remove(ManualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueAt { get; set; } = long.MaxValue;

        public long PeriodTicks { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue : owner.GetTimestamp() + owner.ToTicks(dueTime);
                PeriodTicks = period == Timeout.InfiniteTimeSpan ? 0 : owner.ToTicks(period);
            }

            return true;
        }

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
