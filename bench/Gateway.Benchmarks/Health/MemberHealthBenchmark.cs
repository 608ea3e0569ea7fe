using BenchmarkDotNet.Attributes;
using Gateway.Apig.Runtime;
using Gateway.Apig.VpcChannels;
using Gateway.Net.Balancing;
using Gateway.Net.Health;

namespace Gateway.Benchmarks.Health;

/// <summary>
/// What the request path pays for member health (a balancer's pick reads <see cref="MemberHealth.IsHealthy"/>, the
/// forwarding path reports each outcome), and what one reconfiguration of the checker costs per runtime model.
/// </summary>
[MemoryDiagnoser]
public class MemberHealthBenchmark
{
    private MemberHealth _healthy = null!;
    private MemberHealth _ejected = null!;
    private HealthChecker _checker = null!;
    private ApigRuntimeModel _model = null!;
    private long _revision;

    [Params(300)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var registry = new MemberHealthRegistry { PassiveCooldown = TimeSpan.FromHours(1) };
        _healthy = registry.Get("c", "m1", "10.0.0.1", 80);
        _ejected = registry.Get("c", "m2", "10.0.0.2", 80);
        _ejected.SetHealthy(false);

        // 30 channels (the quota) sharing the members, every check enabled, probes never due during the run.
        var channels = new List<VpcChannel>();
        var members = new List<VpcMember>();
        for (var c = 0; c < 30; c++)
        {
            var id = $"channel{c:D2}";
            channels.Add(new VpcChannel
            {
                Id = id, Name = "VPC_" + id, Port = 8080, BalanceStrategy = 1, MemberType = "ip", Type = 2, CreateTime = "t",
                VpcHealthConfig = new VpcHealthConfig
                {
                    Protocol = "HTTP", Path = "/health", HttpCode = "200-299", ThresholdNormal = 2, ThresholdAbnormal = 3,
                    TimeInterval = 300, Timeout = 30, VpcChannelId = id, Id = "hc" + id, CreateTime = "t",
                },
            });
        }

        for (var m = 0; m < Members; m++)
        {
            members.Add(new VpcMember
            {
                Id = $"member{m:D4}", VpcChannelId = channels[m % channels.Count].Id, Host = $"10.1.{m / 250}.{m % 250}", Port = 0,
                Weight = 1, EcsId = "e", EcsName = "e", CreateTime = "t",
            });
        }

        _model = new ApigRuntimeModel(0, "instance", [], [], [], []) { VpcChannels = channels, VpcMembers = members };
        _checker = new HealthChecker(new MemberHealthRegistry(), TimeProvider.System, new NeverProbe());
        _checker.Apply(_model);
    }

    [GlobalCleanup]
    public void Cleanup() => _checker.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public bool IsHealthy_healthy() => _healthy.IsHealthy;

    [Benchmark]
    public bool IsHealthy_ejected() => _ejected.IsHealthy;

    [Benchmark]
    public void ReportSuccess() => _healthy.ReportSuccess();

    [Benchmark]
    public void ReportFailure_then_success()
    {
        _healthy.ReportFailure();
        _healthy.ReportSuccess();
    }

    /// <summary>A recompile with nothing changed (the common case: some other resource changed).</summary>
    [Benchmark]
    public void Apply_unchanged_model() => _checker.Apply(_model with { Revision = ++_revision });

    private sealed class NeverProbe : IHealthProbe
    {
        public ValueTask<bool> ProbeAsync(HealthCheckTarget target, CancellationToken cancellationToken) => ValueTask.FromResult(true);
    }
}
