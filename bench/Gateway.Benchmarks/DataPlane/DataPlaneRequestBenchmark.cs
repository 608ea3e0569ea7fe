using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Apig.Apis;
using Gateway.Apig.Environments;
using Gateway.Apig.Groups;
using Gateway.Apig.Runtime;
using Gateway.Net.DataPlane;
using Gateway.Net.Upstream;

namespace Gateway.Benchmarks.DataPlane;

/// <summary>
/// One whole request through the data-plane engine over in-memory pipes: parse, route on a snapshot of N APIs, check
/// parameters, answer a MOCK. Measures the engine, not the network; allocation must be 0 B per request.
/// </summary>
[MemoryDiagnoser]
public class DataPlaneRequestBenchmark
{
    private Pipe _toGateway = null!;
    private Pipe _fromGateway = null!;
    private Task _connection = null!;
    private byte[] _request = null!;

    [Params(10, 10_000)]
    public int ApiCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var now = "2026-01-01T00:00:00.0000000Z";
        var group = ApiGroupManager.NewGroup(new Gateway.Apig.ApigOptions(), "g0", "bench", null, isDefault: true, now);
        var release = EnvironmentManager.NewReleaseEnvironment(now);
        var apis = new List<RuntimeApi>();
        for (var i = 0; i < ApiCount; i++)
        {
            var api = new Api
            {
                Id = $"api{i}",
                Name = $"api{i}",
                Type = 1,
                ReqProtocol = "HTTP",
                ReqMethod = "GET",
                ReqUri = $"/svc{i % 50}/items{i}/{{id}}",
                AuthType = "NONE",
                AuthOpt = new AuthOpt { AppCodeAuthType = "DISABLE" },
                MatchMode = "NORMAL",
                BackendType = "MOCK",
                GroupId = group.Id,
                RegisterTime = now,
                UpdateTime = now,
                MockInfo = new MockInfo { Id = "m", RegisterTime = now, UpdateTime = now, ResultContent = "{\"ok\":true}" },
                ReqParams =
                [
                    new ReqParam { Id = "p1", Name = "id", Type = "NUMBER", Location = "PATH", Required = 1, ValidEnable = 1, PassThrough = 1 },
                    new ReqParam { Id = "p2", Name = "lang", Type = "STRING", Location = "QUERY", Required = 2, ValidEnable = 1, MaxSize = 8, PassThrough = 1 },
                ],
                BackendParams = [],
            };
            apis.Add(new RuntimeApi(api, release, $"v{i}"));
        }

        var model = new ApigRuntimeModel(1, "instance", [group], [release], [], apis);
        var snapshots = new DataPlaneSnapshotSource();
        snapshots.Publish(new DataPlaneCompiler(new UpstreamRegistry()).Compile(model));

        _toGateway = new Pipe(new PipeOptions(useSynchronizationContext: false, pauseWriterThreshold: 0));
        _fromGateway = new Pipe(new PipeOptions(useSynchronizationContext: false, pauseWriterThreshold: 0));
        var gateway = new GatewayConnection(snapshots, new DataPlaneOptions(), System.Net.IPAddress.Loopback);
        _connection = gateway.ProcessAsync(new DuplexPipe(_toGateway.Reader, _fromGateway.Writer), CancellationToken.None);
        var probe = ApiCount / 2;
        _request = Encoding.ASCII.GetBytes(
            $"GET /svc{probe % 50}/items{probe}/12345?lang=en HTTP/1.1\r\nHost: g0.apig.localhost\r\nUser-Agent: bench/1.0\r\n" +
            "Accept: application/json\r\nAccept-Encoding: gzip\r\nX-Trace: 0123456789abcdef\r\nCookie: a=b; c=d\r\n\r\n");
    }

    private const int RequestsPerInvoke = 64;

    /// <summary>
    /// 64 requests per invocation: the benchmark method's own async state machine (allocated once per call when it
    /// suspends) is then spread over 64 requests, so the column shows what one request costs the engine.
    /// </summary>
    [Benchmark(OperationsPerInvoke = RequestsPerInvoke)]
    public async Task<long> MockRequest()
    {
        // One async method for all 64 requests: its state machine is the only harness allocation per call.
        long total = 0;
        var reader = _fromGateway.Reader;
        for (var i = 0; i < RequestsPerInvoke; i++)
        {
            await _toGateway.Writer.WriteAsync(_request);
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;

                // The mock body is the last bytes of the response: done once they arrived.
                if (EndsWithBody(buffer))
                {
                    total += buffer.Length;
                    reader.AdvanceTo(buffer.End);
                    break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }

        return total;
    }

    private static bool EndsWithBody(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < 11)
        {
            return false;
        }

        Span<byte> tail = stackalloc byte[11];
        buffer.Slice(buffer.Length - 11).CopyTo(tail);
        return tail.SequenceEqual("{\"ok\":true}"u8);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _toGateway.Writer.Complete();
        _connection.Wait(TimeSpan.FromSeconds(5));
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
