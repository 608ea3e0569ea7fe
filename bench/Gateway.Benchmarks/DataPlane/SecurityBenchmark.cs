using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Apig.Apis;
using Gateway.Apig.Authorizers;
using Gateway.Apig.Environments;
using Gateway.Apig.Groups;
using Gateway.Apig.Runtime;
using Gateway.Net.DataPlane;
using Gateway.Net.DataPlane.Authorizers;
using Gateway.Net.DataPlane.Signing;
using Gateway.Net.Routing;
using Gateway.Net.Upstream;

namespace Gateway.Benchmarks.DataPlane;

/// <summary>
/// The steady-state cost of the security steps: a whole request to an AUTHORIZER API whose decision is cached (identity
/// check, cache hit, MOCK answer), and one hmac backend signature (canonical request, SHA-256, HMAC, header value).
/// Both must allocate 0 B.
/// </summary>
[MemoryDiagnoser]
public class SecurityBenchmark
{
    private const int RequestsPerInvoke = 64;
    private Pipe _toGateway = null!;
    private Pipe _fromGateway = null!;
    private Task _connection = null!;
    private byte[] _request = null!;
    private readonly SdkCanonicalRequest _canonical = new();
    private readonly byte[] _authorization = new byte[512];
    private BackendSigner _signer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var now = "2026-01-01T00:00:00.0000000Z";
        var group = ApiGroupManager.NewGroup(new Gateway.Apig.ApigOptions(), "g0", "bench", null, isDefault: true, now);
        var release = EnvironmentManager.NewReleaseEnvironment(now);
        var api = new Api
        {
            Id = "secured",
            Name = "secured",
            Type = 1,
            ReqProtocol = "HTTP",
            ReqMethod = "GET",
            ReqUri = "/secured/{id}",
            AuthType = "AUTHORIZER",
            AuthorizerId = "auth1",
            AuthOpt = new AuthOpt { AppCodeAuthType = "DISABLE" },
            MatchMode = "NORMAL",
            BackendType = "MOCK",
            GroupId = group.Id,
            RegisterTime = now,
            UpdateTime = now,
            MockInfo = new MockInfo { Id = "m", RegisterTime = now, UpdateTime = now, ResultContent = "{\"ok\":true}" },
            ReqParams = [],
            BackendParams = [],
        };
        var authorizer = new Authorizer
        {
            Id = "auth1",
            Name = "auth1",
            Type = "FRONTEND",
            AuthorizerType = "FUNC",
            AuthorizerUri = "http://127.0.0.1:9/never-called",
            NetworkType = "V1",
            Identities = [new AuthorizerIdentity { Name = "X-User-Token", Location = "HEADER" }],
            Ttl = 3600,
            CreateTime = now,
        };
        var model = new ApigRuntimeModel(1, "instance", [group], [release], [], [new RuntimeApi(api, release, "v1")]) { Authorizers = [authorizer] };
        var snapshots = new DataPlaneSnapshotSource();
        var snapshot = new DataPlaneCompiler(new UpstreamRegistry()) { Authorizers = new AuthorizerRuntime() }.Compile(model);
        snapshots.Publish(snapshot);

        // Seed the cache with the decision for the token the requests carry (key: 4-byte length + value).
        Span<PathCapture> captures = stackalloc PathCapture[RouteTrie<CompiledApi>.MaxCaptures];
        var compiled = snapshot.DefaultGroup!.Find(default)!.Match("GET"u8, "/secured/1"u8, captures).Endpoint!;
        var cache = compiled.FrontendAuthorizer!.Cache!;
        var token = "token-0123456789"u8;
        var key = new byte[4 + token.Length];
        BinaryPrimitives.WriteInt32LittleEndian(key, token.Length);
        token.CopyTo(key.AsSpan(4));
        cache.Add(key, AuthorizerCache.Hash(key), cache.Clock.GetTimestamp(), new AuthorizerDecision(true, ["user"u8.ToArray()], ["alice"u8.ToArray()]));

        _toGateway = new Pipe(new PipeOptions(useSynchronizationContext: false, pauseWriterThreshold: 0));
        _fromGateway = new Pipe(new PipeOptions(useSynchronizationContext: false, pauseWriterThreshold: 0));
        var gateway = new GatewayConnection(snapshots, new DataPlaneOptions(), System.Net.IPAddress.Loopback);
        _connection = gateway.ProcessAsync(new DuplexPipe(_toGateway.Reader, _fromGateway.Writer), CancellationToken.None);
        _request = Encoding.ASCII.GetBytes(
            "GET /secured/12345 HTTP/1.1\r\nHost: g0.apig.localhost\r\nUser-Agent: bench/1.0\r\nX-User-Token: token-0123456789\r\n" +
            "Accept: application/json\r\n\r\n");
        _signer = BackendSigner.Create("s1", "hmac", "hmacKey_0001", "hmacSecret-0001!@#", null)!;
    }

    /// <summary>64 requests per invocation (the harness's own async state machine is spread over them).</summary>
    [Benchmark(OperationsPerInvoke = RequestsPerInvoke)]
    public async Task<long> CachedAuthorizerAllow()
    {
        long total = 0;
        var reader = _fromGateway.Reader;
        for (var i = 0; i < RequestsPerInvoke; i++)
        {
            await _toGateway.Writer.WriteAsync(_request);
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                if (EndsWith(buffer, "{\"ok\":true}"u8))
                {
                    total += buffer.Length;
                    reader.AdvanceTo(buffer.End);
                    break;
                }

                if (EndsWith(buffer, "\"}"u8))
                {
                    throw new InvalidOperationException("The gateway answered an error: " + Encoding.ASCII.GetString(buffer.ToArray()));
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }

        return total;
    }

    [Benchmark]
    public int HmacBackendSignature()
    {
        var canonical = _canonical.Build("GET"u8, "/backend/orders/12345?page=2&lang=en&sort=desc"u8, "backend.internal:8080"u8, "20260102T030405Z"u8);
        return _signer.WriteAuthorization(canonical, "20260102T030405Z"u8, _authorization);
    }

    private static bool EndsWith(ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> tail)
    {
        if (buffer.Length < tail.Length)
        {
            return false;
        }

        Span<byte> end = stackalloc byte[tail.Length];
        buffer.Slice(buffer.Length - tail.Length).CopyTo(end);
        return end.SequenceEqual(tail);
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
