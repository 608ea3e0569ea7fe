using System.Collections.Concurrent;

namespace Gateway.Net.Balancing;

/// <summary>
/// What the data plane believes about one channel member: healthy or not. Balancers read it on every pick; the active
/// checker and the forwarding path's passive reports write it. It lives outside snapshots, in
/// <see cref="MemberHealthRegistry"/>, so a recompile keeps what was observed.
/// </summary>
internal sealed class MemberHealth(string channelId, string memberId, string host, int port)
{
    private volatile bool _healthy = true;
    private int _consecutiveFailures;

    public string ChannelId { get; } = channelId;

    public string MemberId { get; } = memberId;

    public string Host { get; } = host;

    public int Port { get; } = port;

    /// <summary>Whether balancers may pick this member.</summary>
    public bool IsHealthy => _healthy;

    /// <summary>Consecutive failed requests or probes since the last success.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>Failures in a row (<c>threshold_abnormal</c>) after which passive reports take the member out.</summary>
    public int PassiveFailureThreshold { get; set; } = 3;

    /// <summary>Raised (on the reporting thread) when <see cref="IsHealthy"/> flips.</summary>
    public event Action<MemberHealth>? Changed;

    /// <summary>Sets the state, e.g. from an active probe that crossed its threshold.</summary>
    public void SetHealthy(bool healthy)
    {
        if (healthy)
        {
            Volatile.Write(ref _consecutiveFailures, 0);
        }

        if (_healthy != healthy)
        {
            _healthy = healthy;
            Changed?.Invoke(this);
        }
    }

    /// <summary>A request to the member succeeded.</summary>
    public void ReportSuccess()
    {
        if (Volatile.Read(ref _consecutiveFailures) != 0)
        {
            Volatile.Write(ref _consecutiveFailures, 0);
        }
    }

    /// <summary>A request to the member failed to connect, timed out or got a 5xx: enough in a row take it out.</summary>
    public void ReportFailure()
    {
        if (Interlocked.Increment(ref _consecutiveFailures) >= PassiveFailureThreshold && _healthy)
        {
            SetHealthy(false);
        }
    }
}

/// <summary>The health of every member of every channel, kept across snapshot recompiles.</summary>
internal sealed class MemberHealthRegistry
{
    private readonly ConcurrentDictionary<(string Channel, string Member, string Host, int Port), MemberHealth> _members = new();

    /// <summary>The health of a member; a member whose address changed starts afresh.</summary>
    public MemberHealth Get(string channelId, string memberId, string host, int port) =>
        _members.GetOrAdd((channelId, memberId, host, port), static key => new MemberHealth(key.Channel, key.Member, key.Host, key.Port));

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
}
