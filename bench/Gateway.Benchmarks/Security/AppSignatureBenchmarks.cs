using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Net.DataPlane;
using Gateway.Net.Http.Parsing;
using Gateway.Net.Routing;
using Gateway.Net.Security;

namespace Gateway.Benchmarks.Security;

/// <summary>
/// The APP-authentication work of one signed request without a body, as the data plane does it after routing: read
/// the Authorization and X-Sdk-Date headers, look the app key up, check the clock, canonicalise and compare the HMAC.
/// Must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class AppSignatureBenchmarks
{
    private const string Key = "4f5a3b2c1d0e4f5a8b7c6d5e4f3a2b1c";
    private const string Secret = "b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6";
    private static readonly DateTimeOffset SignedAt = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private readonly RequestHead _head = new();
    private readonly SdkRequestVerifier _verifier = new();
    private AppDirectory _apps = AppDirectory.Empty;
    private readonly TimeProvider _clock = new FixedClock(SignedAt.AddMinutes(3));

    [GlobalSetup]
    public void Setup()
    {
        var app = new CompiledApp
        {
            Id = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",
            IdBytes = Encoding.ASCII.GetBytes("a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"),
            Key = Encoding.ASCII.GetBytes(Key),
            Secret = Encoding.ASCII.GetBytes(Secret),
        };
        var others = Enumerable.Range(0, 200).Select(i => new KeyValuePair<byte[], CompiledApp>(Encoding.ASCII.GetBytes($"other-app-key-{i:D5}"), app));
        _apps = new AppDirectory(new ByteKeyMap<CompiledApp>([.. others, new(app.Key, app)]), new ByteKeyMap<CompiledApp>([]));

        const string Date = "20261122T080000Z";
        const string Host = "c77f5e81d9cb4424bf704ef2b0ac7600.apic.example.com";
        var canonical = $"GET\n/v1/orders/42/\nlimit=10&offset=0&status=open\ncontent-type:application/json\nhost:{Host}\nx-sdk-date:{Date}\n\n" +
            $"content-type;host;x-sdk-date\n{Convert.ToHexStringLower(SHA256.HashData([]))}";
        var toSign = $"SDK-HMAC-SHA256\n{Date}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(toSign)));
        var request = "GET /v1/orders/42?status=open&limit=10&offset=0 HTTP/1.1\r\n" +
            $"Host: {Host}\r\n" +
            "User-Agent: apig-sdk-csharp/2.0\r\n" +
            "Accept: application/json\r\n" +
            "Content-Type: application/json\r\n" +
            $"X-Sdk-Date: {Date}\r\n" +
            $"Authorization: SDK-HMAC-SHA256 Access={Key}, SignedHeaders=content-type;host;x-sdk-date, Signature={signature}\r\n" +
            "X-Request-Trace: 7f0c2d\r\n\r\n";
        var parser = new Http1RequestParser(HttpParserLimits.Default);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(request)));
        var collector = new RequestHeadCollector(_head);
        if (parser.TryParseHead(ref reader, ref collector) != HttpParseStatus.Complete || !VerifySignedGet())
        {
            throw new InvalidOperationException("The benchmark request does not verify.");
        }
    }

    [Benchmark]
    public bool VerifySignedGet()
    {
        if (SdkRequestVerifier.TryRead(_head, out var signature) != SdkCheck.Ok)
        {
            return false;
        }

        var app = _apps.FindByKey(_head[signature.AccessKey]);
        return app is not null &&
            SdkRequestVerifier.IsFresh(signature, _clock.GetUtcNow(), TimeSpan.FromMinutes(15)) &&
            _verifier.Verify(_head, signature, app.Secret, SdkSigning.EmptyBodyHash) == SdkCheck.Ok;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
