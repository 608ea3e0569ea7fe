using System.Collections.Concurrent;
using Gateway.Apig.Runtime;
using Gateway.Apig.VpcChannels;
using Gateway.Net.Health;

namespace Gateway.Net.Tests.Health;

/// <summary>Runtime models with VPC channels, built the way the store holds them.</summary>
internal static class HealthTestModels
{
    public const string InstanceId = "inst0000000000000000000000000001";

    public static VpcHealthConfig Check(
        string channelId,
        string protocol = "HTTP",
        int normal = 2,
        int abnormal = 3,
        int interval = 10,
        int timeout = 2,
        int status = 1,
        string? httpCode = "200",
        string? path = "/health",
        int port = 0) => new()
        {
            Protocol = protocol,
            Path = path,
            Port = port,
            ThresholdNormal = normal,
            ThresholdAbnormal = abnormal,
            TimeInterval = interval,
            Timeout = timeout,
            Status = status,
            HttpCode = httpCode,
            VpcChannelId = channelId,
            Id = "hc-" + channelId,
            CreateTime = "2024-01-01T00:00:00Z",
        };

    public static VpcChannel Channel(string id, VpcHealthConfig? check, int port = 8080) => new()
    {
        Id = id,
        Name = "VPC_" + id,
        Port = port,
        BalanceStrategy = 1,
        MemberType = "ip",
        Type = 2,
        CreateTime = "2024-01-01T00:00:00Z",
        VpcHealthConfig = check,
    };

    public static VpcMember Member(string channelId, string id, string host, int port = 0, int? healthStatus = null) => new()
    {
        Id = id,
        VpcChannelId = channelId,
        Host = host,
        Port = port,
        Weight = 1,
        EcsId = host,
        EcsName = host,
        CreateTime = "2024-01-01T00:00:00Z",
        HealthStatus = healthStatus,
    };

    public static ApigRuntimeModel Model(long revision, IReadOnlyList<VpcChannel> channels, IReadOnlyList<VpcMember> members) =>
        new(revision, InstanceId, [], [], [], []) { VpcChannels = channels, VpcMembers = members };
}

/// <summary>
/// A probe that answers from a table (host:port → passes) and records every call. Calls complete at once unless the
/// target is held, in which case they wait for <see cref="Release"/> or for the token (the check's timeout).
/// </summary>
internal sealed class FakeProbe(TimeProvider clock) : IHealthProbe
{
    private readonly ConcurrentDictionary<string, bool> _passes = new();
    private readonly ConcurrentDictionary<string, bool> _held = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;

    public ConcurrentQueue<(string Address, long At)> Calls { get; } = new();

    public int MaxInFlight { get; private set; }

    public bool HoldAll { get; set; }

    /// <summary>Completes whenever a call starts; re-armed by the caller.</summary>
    public SemaphoreSlim Started { get; } = new(0);

    public void Set(string address, bool passes) => _passes[address] = passes;

    public void Hold(string address) => _held[address] = true;

    public void Release()
    {
        lock (_gate)
        {
            _release.TrySetResult();
            _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public int CountFor(string address) => Calls.Count(call => call.Address == address);

    public async ValueTask<bool> ProbeAsync(HealthCheckTarget target, CancellationToken cancellationToken)
    {
        var address = $"{target.Host}:{target.Port}";
        Calls.Enqueue((address, clock.GetTimestamp()));
        Task release;
        lock (_gate)
        {
            _inFlight++;
            MaxInFlight = Math.Max(MaxInFlight, _inFlight);
            release = _release.Task;
        }

        Started.Release();
        try
        {
            if (HoldAll || _held.ContainsKey(address))
            {
                await release.WaitAsync(cancellationToken);
            }

            return _passes.GetValueOrDefault(address, true);
        }
        finally
        {
            lock (_gate)
            {
                _inFlight--;
            }
        }
    }
}
