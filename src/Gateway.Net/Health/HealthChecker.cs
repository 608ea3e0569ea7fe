using Gateway.Apig.Runtime;
using Gateway.Apig.VpcChannels;
using Gateway.Net.Balancing;

namespace Gateway.Net.Health;

/// <summary>
/// Active health checks of every VPC channel member, run by one scheduler: a single loop over a priority queue of due
/// times (<see cref="HealthCheckSchedule"/>) that sleeps until the earliest one or until woken by a reconfiguration
/// or a finished probe. No thread or timer per member; at most <c>maxConcurrentProbes</c> probes are in flight.
/// </summary>
/// <remarks>
/// <see cref="Apply"/> takes each new runtime model: channels with an enabled check (status 1) have their members
/// probed, everything else is not. Member state lives in the <see cref="MemberHealthRegistry"/>, so unchanged members
/// keep their health and streaks across models. Every flip of a member's health (from probes or from the forwarding
/// path's passive reports), and a stored <c>health_status</c> that disagrees with what is held when a member is first
/// seen, is posted to <see cref="Outbox"/> for the store write-back.
/// </remarks>
internal sealed class HealthChecker : IAsyncDisposable
{
    public const int DefaultMaxConcurrentProbes = 4;

    private const int DefaultPassiveThreshold = 3;

    private readonly Lock _gate = new();
    private readonly MemberHealthRegistry _registry;
    private readonly TimeProvider _time;
    private readonly IHealthProbe _probe;
    private readonly int _maxConcurrentProbes;
    private readonly HealthCheckSchedule _schedule;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<HealthCheckTarget> _starting = [];
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource _parked = NewSignal();
    private Task? _loop;
    private int _inFlight;
    private bool _isParked;
    private long _appliedRevision = long.MinValue;
    private string? _instanceId;
    private int _disposed;

    public HealthChecker(MemberHealthRegistry registry, TimeProvider? time = null, IHealthProbe? probe = null, int maxConcurrentProbes = DefaultMaxConcurrentProbes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentProbes, 1);
        _registry = registry;
        _time = time ?? TimeProvider.System;
        _probe = probe ?? SocketHealthProbe.Instance;
        _maxConcurrentProbes = maxConcurrentProbes;
        _schedule = new HealthCheckSchedule(_time.TimestampFrequency);
        _registry.HealthChanged += OnHealthChanged;
    }

    /// <summary>Health states for the store write-back.</summary>
    public HealthStatusOutbox Outbox { get; } = new();

    /// <summary>Members under an active check.</summary>
    public int CheckedMembers
    {
        get { lock (_gate) { return _schedule.Count; } }
    }

    /// <summary>Probes in flight.</summary>
    public int ProbesInFlight
    {
        get { lock (_gate) { return _inFlight; } }
    }

    /// <summary>
    /// Reconfigures from a runtime model: which members are checked and how, each member's passive threshold (the
    /// channel's <c>threshold_abnormal</c>, or 3 without a check), and which stored states need correcting. A model
    /// older than one already applied is ignored. Starts the scheduler on first use; never blocks on probes.
    /// </summary>
    public void Apply(ApigRuntimeModel model)
    {
        var settingsByChannel = new Dictionary<string, (VpcChannel Channel, HealthCheckSettings? Settings)>(StringComparer.Ordinal);
        foreach (var channel in model.VpcChannels)
        {
            settingsByChannel[channel.Id] = (channel, HealthCheckSettings.From(channel.VpcHealthConfig));
        }

        var live = new HashSet<(string Channel, string Member, string Host, int Port)>();
        var targets = new List<HealthCheckTarget>();
        foreach (var member in model.VpcMembers)
        {
            if (!settingsByChannel.TryGetValue(member.VpcChannelId, out var owner) ||
                MemberHealthRegistry.KeyOf(owner.Channel, member) is not { } key)
            {
                continue;
            }

            live.Add(key);
            var health = _registry.Get(key.Channel, key.Member, key.Host, key.Port);
            health.PassiveFailureThreshold = owner.Channel.VpcHealthConfig is { } config ? Math.Clamp(config.ThresholdAbnormal, 1, 10) : DefaultPassiveThreshold;
            if (owner.Settings is not null)
            {
                targets.Add(new HealthCheckTarget(health, owner.Settings));
            }

            // A state stored by an earlier run (or another node) is corrected once, when the member is first seen;
            // after that only flips are written, so nodes that disagree do not rewrite each other on every reload.
            if (!health.StoredStateReconciled)
            {
                health.StoredStateReconciled = true;
                if (member.HealthStatus is { } stored && (stored == 1) != health.IsMarkedHealthy)
                {
                    Outbox.Post(model.InstanceId, member.Id, health.IsMarkedHealthy);
                }
            }
        }

        lock (_gate)
        {
            if (model.Revision < _appliedRevision)
            {
                return;
            }

            _appliedRevision = model.Revision;
            Volatile.Write(ref _instanceId, model.InstanceId);
            _schedule.Reconfigure(targets, _time.GetTimestamp());
            _registry.Retain(live);
            _loop ??= Task.Run(() => RunAsync(_stopping.Token));
            _wake.TrySetResult();
        }
    }

    /// <summary>
    /// Completes once the scheduler has nothing to do at the current time: no probe in flight, no wake-up pending and
    /// nothing due. Tests use it to step a fake clock deterministically.
    /// </summary>
    internal async Task WaitForQuiescenceAsync(TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        while (true)
        {
            Task parked;
            lock (_gate)
            {
                if (_isParked && _inFlight == 0 && !_wake.Task.IsCompleted && (_schedule.NextDue is not { } due || due > _time.GetTimestamp()))
                {
                    return;
                }

                parked = _parked.Task;
            }

            await parked.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Task wake;
            long wait = -1;
            lock (_gate)
            {
                if (_wake.Task.IsCompleted)
                {
                    _wake = NewSignal();
                }

                var now = _time.GetTimestamp();
                while (_inFlight < _maxConcurrentProbes && _schedule.TryTakeDue(now, out var target))
                {
                    _inFlight++;
                    _starting.Add(target);
                }

                // With every slot taken, a finishing probe wakes the loop; otherwise the earliest due time does.
                if (_inFlight < _maxConcurrentProbes && _schedule.NextDue is { } due)
                {
                    wait = due - now;
                }

                wake = _wake.Task;
                _isParked = true;
                _parked.TrySetResult();
                _parked = NewSignal();
            }

            foreach (var target in _starting)
            {
                _ = ProbeAsync(target, stopping);
            }

            _starting.Clear();
            try
            {
                if (wait < 0)
                {
                    await wake.WaitAsync(stopping).ConfigureAwait(false);
                }
                else
                {
                    using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    await Task.WhenAny(wake, Task.Delay(ToTimeSpan(wait), _time, sleep.Token)).ConfigureAwait(false);
                    sleep.Cancel();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            lock (_gate)
            {
                _isParked = false;
            }
        }
    }

    private async Task ProbeAsync(HealthCheckTarget target, CancellationToken stopping)
    {
        bool passed;
        try
        {
            using var timeout = new CancellationTokenSource(target.Settings.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
            passed = await _probe.ProbeAsync(target, linked.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A probe that throws is a failed probe; the scheduler must go on.
        catch (Exception)
#pragma warning restore CA1031
        {
            passed = false;
        }

        lock (_gate)
        {
            _inFlight--;
            if (!stopping.IsCancellationRequested)
            {
                _schedule.Complete(target, passed, _time.GetTimestamp());
            }

            _wake.TrySetResult();
        }
    }

    private void OnHealthChanged(MemberHealth member)
    {
        if (Volatile.Read(ref _instanceId) is { } instanceId)
        {
            Outbox.Post(instanceId, member.MemberId, member.IsMarkedHealthy);
        }
    }

    // Rounded up, so the loop never wakes just before the due time and spins.
    private TimeSpan ToTimeSpan(long timestampTicks) =>
        TimeSpan.FromTicks((long)(((Int128)timestampTicks * TimeSpan.TicksPerSecond + _time.TimestampFrequency - 1) / _time.TimestampFrequency));

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _registry.HealthChanged -= OnHealthChanged;
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
