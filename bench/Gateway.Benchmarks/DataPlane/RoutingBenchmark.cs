using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Net.Routing;

namespace Gateway.Benchmarks.DataPlane;

/// <summary>Route lookup cost against the number of APIs: it must stay flat from 10 to 100,000.</summary>
[MemoryDiagnoser]
public class RoutingBenchmark
{
    private readonly PathCapture[] _captures = new PathCapture[RouteTrie<object>.MaxCaptures];
    private RouteTrie<object> _trie = null!;
    private byte[] _literalPath = null!;
    private byte[] _parameterPath = null!;
    private byte[] _prefixPath = null!;

    [Params(10, 1_000, 100_000)]
    public int ApiCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var builder = new RouteTrie<object>.Builder();
        for (var i = 0; i < ApiCount; i++)
        {
            // A realistic spread: services, versions, resources, with parameters and a few prefix routes.
            builder.TryAdd("GET", $"/svc{i % 97}/v{i % 3}/items{i}", RouteMatchMode.Exact, new object());
            builder.TryAdd("POST", $"/svc{i % 97}/v{i % 3}/items{i}/{{id}}/detail", RouteMatchMode.Exact, new object());
            if (i % 10 == 0)
            {
                builder.TryAdd("ANY", $"/static{i}", RouteMatchMode.Prefix, new object());
            }
        }

        _trie = builder.Build();
        var probe = ApiCount / 2;
        _literalPath = Encoding.ASCII.GetBytes($"/svc{probe % 97}/v{probe % 3}/items{probe}");
        _parameterPath = Encoding.ASCII.GetBytes($"/svc{probe % 97}/v{probe % 3}/items{probe}/12345/detail");
        _prefixPath = Encoding.ASCII.GetBytes($"/static{probe / 10 * 10}/css/site/main.css");
    }

    [Benchmark]
    public object? LiteralRoute() => _trie.Match("GET"u8, _literalPath, _captures).Endpoint;

    [Benchmark]
    public object? ParameterRoute() => _trie.Match("POST"u8, _parameterPath, _captures).Endpoint;

    [Benchmark]
    public object? PrefixRoute() => _trie.Match("GET"u8, _prefixPath, _captures).Endpoint;
}
