using System.Runtime.CompilerServices;
using System.Text;
using Gateway.Net.Health;
using Gateway.Net.Upstream;

namespace Gateway.Net.Balancing;

/// <summary>
/// One usable member of a channel as a balancer sees it: its address, its effective weight (the group weight when the
/// group sets one), whether it is a backup, its pooled endpoint and the state that outlives snapshots (health, load).
/// </summary>
internal sealed class BalancerMember
{
    public BalancerMember(string id, string host, int port, int weight, bool isBackup, UpstreamEndpoint endpoint, MemberHealth health)
    {
        Id = id;
        Host = host;
        Port = port;
        Weight = weight;
        IsBackup = isBackup;
        Endpoint = endpoint;
        Health = health;
        Load = MemberLoad.For(health);
        Identity = Encoding.UTF8.GetBytes($"{host}:{port}");
    }

    public string Id { get; }

    public string Host { get; }

    public int Port { get; }

    /// <summary>1–10000 (members with weight 0 are never handed to a balancer).</summary>
    public int Weight { get; }

    public bool IsBackup { get; }

    public UpstreamEndpoint Endpoint { get; }

    public MemberHealth Health { get; }

    /// <summary>Requests in flight to this member, shared by every snapshot's balancer.</summary>
    public MemberLoad Load { get; }

    /// <summary>The member's place on a hash ring: its address, so a recompile or a re-created member keeps its keys.</summary>
    public byte[] Identity { get; }

    public override string ToString() => $"{Host}:{Port} w{Weight}{(IsBackup ? " backup" : "")}";
}

/// <summary>
/// Requests in flight to one member. Kept beside the member's <see cref="MemberHealth"/> (one per health object, so it
/// survives recompiles exactly as long as the health does) rather than in the snapshot.
/// </summary>
internal sealed class MemberLoad
{
    private static readonly ConditionalWeakTable<MemberHealth, MemberLoad> Loads = new();

    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public static MemberLoad For(MemberHealth health) => Loads.GetValue(health, static _ => new MemberLoad());

    public void Increment() => Interlocked.Increment(ref _inFlight);

    public void Decrement()
    {
        // Never below zero, even if a release raced a reset.
        var current = Volatile.Read(ref _inFlight);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _inFlight, current - 1, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
