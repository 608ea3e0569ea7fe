using System.Collections.Concurrent;
using Gateway.Apig.VpcChannels;

namespace Gateway.Net.Health;

/// <summary>
/// What the data plane believes about one channel member: healthy or not. Balancers read it on every pick; the active
/// checker and the forwarding path's passive reports write it. It lives outside snapshots, in
/// <see cref="MemberHealthRegistry"/>, so a recompile keeps what was observed.
/// </summary>
/// <remarks>
/// Rules:
/// <list type="bullet">
/// <item>Members start healthy.</item>
/// <item>Active probes: <c>threshold_abnormal</c> failed probes in a row take the member out, <c>threshold_normal</c>
/// successful probes in a row bring it back (<see cref="RecordProbe"/>).</item>
/// <item>Passive ejection: <see cref="PassiveFailureThreshold"/> failed requests in a row (connect failure, timeout,
/// 5xx) take the member out between probes. Each ejection restarts the success streak, so an actively checked member
/// comes back only after <c>threshold_normal</c> fresh successful probes.</item>
/// <item>Without an active check, an ejected member is tried again once <see cref="MemberHealthRegistry.PassiveCooldown"/>
/// has passed: <see cref="IsHealthy"/> turns true again (the member is offered to balancers), the first successful
/// request re-admits it for good, and a failed one restarts the cool-down.</item>
/// </list>
/// </remarks>
internal sealed class MemberHealth
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly MemberHealthRegistry? _registry;
    private volatile bool _healthy = true;
    private volatile bool _activelyChecked;
    private int _consecutiveFailures;
    private int _probeSuccesses;
    private int _probeFailures;
    private long _retryAt;

    public MemberHealth(string channelId, string memberId, string host, int port)
        : this(channelId, memberId, host, port, TimeProvider.System, registry: null)
    {
    }

    internal MemberHealth(string channelId, string memberId, string host, int port, TimeProvider time, MemberHealthRegistry? registry)
    {
        ChannelId = channelId;
        MemberId = memberId;
        Host = host;
        Port = port;
        _time = time;
        _registry = registry;
    }

    public string ChannelId { get; }

    public string MemberId { get; }

    public string Host { get; }

    public int Port { get; }

    /// <summary>
    /// Whether balancers may pick this member: healthy, or ejected without an active check and due for another try
    /// after the cool-down.
    /// </summary>
    public bool IsHealthy => _healthy || (!_activelyChecked && _time.GetTimestamp() >= Volatile.Read(ref _retryAt));

    /// <summary>The recorded state, without the cool-down retry: what the member list reports.</summary>
    public bool IsMarkedHealthy => _healthy;

    /// <summary>Consecutive failed requests since the last successful one.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>Consecutive successful probes (the active checker's streak towards <c>threshold_normal</c>).</summary>
    public int ProbeSuccesses => Volatile.Read(ref _probeSuccesses);

    /// <summary>Consecutive failed probes (the active checker's streak towards <c>threshold_abnormal</c>).</summary>
    public int ProbeFailures => Volatile.Read(ref _probeFailures);

    /// <summary>Failures in a row (<c>threshold_abnormal</c>) after which passive reports take the member out.</summary>
    public int PassiveFailureThreshold { get; set; } = 3;

    /// <summary>
    /// Whether an active health check runs for this member. While it does, only its probes re-admit an ejected member;
    /// otherwise the cool-down does.
    /// </summary>
    public bool IsActivelyChecked
    {
        get => _activelyChecked;
        set => _activelyChecked = value;
    }

    /// <summary>
    /// Whether the checker has compared this member's stored <c>health_status</c> with the state held here (done once,
    /// when it first sees the member: later disagreements come from other nodes and are not fought over).
    /// </summary>
    internal bool StoredStateReconciled { get; set; }

    /// <summary>Raised (on the reporting thread) when <see cref="IsMarkedHealthy"/> flips.</summary>
    public event Action<MemberHealth>? Changed;

    /// <summary>Sets the state, e.g. from an active probe that crossed its threshold.</summary>
    public void SetHealthy(bool healthy)
    {
        lock (_gate)
        {
            if (healthy)
            {
                Volatile.Write(ref _consecutiveFailures, 0);
                Volatile.Write(ref _probeFailures, 0);
            }
            else
            {
                // A re-admission needs a fresh streak, and a member without active check waits out the cool-down.
                Volatile.Write(ref _probeSuccesses, 0);
                Volatile.Write(ref _retryAt, RetryTimestamp());
            }

            if (_healthy == healthy)
            {
                return;
            }

            _healthy = healthy;
        }

        Changed?.Invoke(this);
        _registry?.OnChanged(this);
    }

    /// <summary>A request to the member succeeded.</summary>
    public void ReportSuccess()
    {
        if (Volatile.Read(ref _consecutiveFailures) != 0)
        {
            Volatile.Write(ref _consecutiveFailures, 0);
        }

        if (!_healthy && !_activelyChecked && _time.GetTimestamp() >= Volatile.Read(ref _retryAt))
        {
            // The retry after the cool-down worked.
            SetHealthy(true);
        }
    }

    /// <summary>A request to the member failed to connect, timed out or got a 5xx: enough in a row take it out.</summary>
    public void ReportFailure()
    {
        var failures = Interlocked.Increment(ref _consecutiveFailures);
        if (_healthy)
        {
            if (failures >= PassiveFailureThreshold)
            {
                SetHealthy(false);
            }
        }
        else if (!_activelyChecked && _time.GetTimestamp() >= Volatile.Read(ref _retryAt))
        {
            // The retry after the cool-down failed: wait another cool-down.
            Volatile.Write(ref _retryAt, RetryTimestamp());
        }
    }

    /// <summary>
    /// The outcome of one active probe (the checker runs at most one probe per member at a time): enough successes in
    /// a row make the member healthy, enough failures in a row unhealthy.
    /// </summary>
    public void RecordProbe(bool success, int thresholdNormal, int thresholdAbnormal)
    {
        if (success)
        {
            Volatile.Write(ref _probeFailures, 0);
            var streak = Interlocked.Increment(ref _probeSuccesses);
            if (!_healthy && streak >= thresholdNormal)
            {
                SetHealthy(true);
            }
        }
        else
        {
            Volatile.Write(ref _probeSuccesses, 0);
            var streak = Interlocked.Increment(ref _probeFailures);
            if (_healthy && streak >= thresholdAbnormal)
            {
                SetHealthy(false);
            }
        }
    }

    private long RetryTimestamp()
    {
        var cooldown = _registry?.PassiveCooldown ?? MemberHealthRegistry.DefaultPassiveCooldown;
        return _time.GetTimestamp() + (long)(cooldown.TotalSeconds * _time.TimestampFrequency);
    }
}

/// <summary>The health of every member of every channel, kept across snapshot recompiles.</summary>
internal sealed class MemberHealthRegistry(TimeProvider? time = null)
{
    /// <summary>How long an ejected member without an active check stays out before it is tried again.</summary>
    public static readonly TimeSpan DefaultPassiveCooldown = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<(string Channel, string Member, string Host, int Port), MemberHealth> _members = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>How long an ejected member without an active check stays out before it is tried again.</summary>
    public TimeSpan PassiveCooldown { get; set; } = DefaultPassiveCooldown;

    /// <summary>Raised (on the reporting thread) when any member's recorded state flips.</summary>
    public event Action<MemberHealth>? HealthChanged;

    /// <summary>The health of a member; a member whose address changed starts afresh.</summary>
    public MemberHealth Get(string channelId, string memberId, string host, int port) =>
        _members.GetOrAdd((channelId, memberId, host, port), static (key, registry) =>
            new MemberHealth(key.Channel, key.Member, key.Host, key.Port, registry._time, registry), this);

    /// <summary>
    /// The health of a stored member, addressed as the data plane reaches it: its host and its effective port (its own,
    /// or the channel's when it has none). Null for a member without a host (nothing to reach).
    /// </summary>
    public MemberHealth? Get(VpcChannel channel, VpcMember member) =>
        KeyOf(channel, member) is { } key ? Get(key.Channel, key.Member, key.Host, key.Port) : null;

    /// <summary>The registry key of a stored member, or null when it has no host.</summary>
    public static (string Channel, string Member, string Host, int Port)? KeyOf(VpcChannel channel, VpcMember member) =>
        string.IsNullOrEmpty(member.Host) ? null : (channel.Id, member.Id, member.Host, VpcChannelManager.EffectivePort(member, channel));

    /// <summary>Every member known, for the active checker.</summary>
    public ICollection<MemberHealth> Members => _members.Values;

    /// <summary>Forgets members that no longer exist.</summary>
    public void Retain(IReadOnlySet<(string Channel, string Member, string Host, int Port)> live)
    {
        foreach (var key in _members.Keys)
        {
            if (!live.Contains(key))
            {
                _members.TryRemove(key, out _);
            }
        }
    }

    internal void OnChanged(MemberHealth member) => HealthChanged?.Invoke(member);
}
