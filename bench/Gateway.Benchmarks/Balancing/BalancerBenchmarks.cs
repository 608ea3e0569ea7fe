using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Net.Balancing;
using Gateway.Net.Health;
using Gateway.Net.Upstream;

namespace Gateway.Benchmarks.Balancing;

/// <summary>
/// One pick (and, for least connections, its release) per operation, for each strategy on channels of 3 and 1,000
/// members with mixed weights, all healthy. Keys rotate over 1,024 source addresses and paths. Must allocate 0 B.
/// </summary>
[MemoryDiagnoser]
public class BalancerBenchmarks
{
    private const int Operations = 1024;

    private ChannelBalancer _balancer = null!;
    private byte[][] _addresses = null!;
    private byte[][] _paths = null!;

    /// <summary><c>balance_strategy</c>: 1 WRR, 2 least connections, 3 source-IP hash, 4 URI hash.</summary>
    [Params(1, 2, 3, 4)]
    public int Strategy { get; set; }

    [Params(3, 1_000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var members = new BalancerMember[Members];
        for (var i = 0; i < members.Length; i++)
        {
            var host = $"10.{i / 62500}.{i / 250 % 250}.{(i % 250) + 1}";
            members[i] = new BalancerMember($"m{i}", host, 8080, 1 + (i % 10), false,
                new UpstreamEndpoint(host, 8080, false, 1), new MemberHealth("bench", $"m{i}", host, 8080));
        }

        _balancer = ChannelBalancer.Create(Strategy, members);
        _addresses = new byte[Operations][];
        _paths = new byte[Operations][];
        for (var i = 0; i < Operations; i++)
        {
            _addresses[i] = [192, 168, (byte)(i >> 8), (byte)i];
            _paths[i] = Encoding.ASCII.GetBytes($"/orders/{i * 7919}/items");
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public int Pick()
    {
        var sum = 0;
        for (var i = 0; i < Operations; i++)
        {
            var member = _balancer.Pick(_addresses[i], _paths[i]);
            _balancer.Release(member);
            sum += member;
        }

        return sum;
    }
}
