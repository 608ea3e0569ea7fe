using System.Collections.Immutable;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using Gateway.Storage.Binary;
using Gateway.Storage.Compression;
using Gateway.Storage.Snapshots;
using Gateway.Store;
using Perfolizer.Horology;

namespace Gateway.Benchmarks.Storage;

/// <summary>
/// Snapshot body compression of 100,000 API records (JSON values of about 310 bytes under
/// <c>apig/inst/{instance}/apis/{api}</c>, four instances) with each snapshot codec, and "none" for comparison.
/// <see cref="Compress"/> times the codec alone on the serialized body; <see cref="WriteSnapshotFile"/> times a whole
/// snapshot write (serialize, compress, checksum, write, flush to disk, rename). The sizes are printed by the setup.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(MillisecondsConfig))]
public class SnapshotCodecBenchmark
{
    private const int Instances = 4;
    private const int ApisPerInstance = 25_000;

    private InMemoryResourceStore.State _state = null!;
    private byte[] _body = null!;
    private string _folder = null!;

    /// <summary>The snapshot codecs, plus no compression at all.</summary>
    public enum SnapshotCodec
    {
        None,
        Lz4,
        Brotli,
    }

    [Params(SnapshotCodec.None, SnapshotCodec.Lz4, SnapshotCodec.Brotli)]
    public SnapshotCodec Codec { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (!Lz4Native.IsAvailable)
        {
            throw new InvalidOperationException($"The native library '{Lz4Native.LibraryName}' cannot be loaded; LZ4 cannot be measured.");
        }

        var collections = ImmutableDictionary.CreateBuilder<string, ImmutableSortedDictionary<string, StoreEntry>>(StringComparer.Ordinal);
        long revision = 0;
        long valueBytes = 0;
        for (var instance = 0; instance < Instances; instance++)
        {
            var instanceId = Id(instance, 0x1a57);
            var collection = $"apig/inst/{instanceId}/apis/";
            var entries = ImmutableSortedDictionary.CreateBuilder<string, StoreEntry>(StringComparer.Ordinal);
            for (var n = 0; n < ApisPerInstance; n++)
            {
                var apiId = Id((instance * ApisPerInstance) + n, 0xa91);
                var key = collection + apiId;
                var value = ApiRecord(apiId, (instance * ApisPerInstance) + n);
                valueBytes += value.Length;
                revision++;
                entries.Add(key, new StoreEntry(key, value, revision, revision));
            }

            collections[collection] = entries.ToImmutable();
        }

        _state = new InMemoryResourceStore.State(collections.ToImmutable(), revision);
        var body = new GrowableBuffer(64 * 1024);
        var count = SnapshotBody.Write(body, _state);
        _body = body.WrittenSpan.ToArray();
        _folder = Path.Combine(Path.GetTempPath(), "gateway-bench-snapshot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);

        SnapshotCompression.Compress(CompressionCodec.Lz4Frame, _body, out var lz4Length);
        SnapshotCompression.Compress(CompressionCodec.Brotli, _body, out var brotliLength);
        Console.WriteLine(
            $"// Snapshot sizes for {count:N0} entries (values average {valueBytes / count} bytes): " +
            $"none {_body.Length:N0} B, LZ4 {lz4Length:N0} B ({(double)_body.Length / lz4Length:F1}:1), " +
            $"Brotli {brotliLength:N0} B ({(double)_body.Length / brotliLength:F1}:1); file = {SnapshotHeader.Size} B header + body");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    /// <summary>Compresses the serialized body; "none" does no work and returns the body length.</summary>
    [Benchmark]
    public int Compress()
    {
        switch (Codec)
        {
            case SnapshotCodec.Lz4:
                SnapshotCompression.Compress(CompressionCodec.Lz4Frame, _body, out var lz4Length);
                return lz4Length;
            case SnapshotCodec.Brotli:
                SnapshotCompression.Compress(CompressionCodec.Brotli, _body, out var brotliLength);
                return brotliLength;
            default:
                return _body.Length;
        }
    }

    /// <summary>
    /// Writes a whole snapshot as the store does. "None" serializes the body, checksums it once and writes it as is,
    /// with the same flush and rename.
    /// </summary>
    [Benchmark]
    public long WriteSnapshotFile()
    {
        var path = Path.Combine(_folder, "snapshot");
        var temporaryPath = path + ".tmp";
        switch (Codec)
        {
            case SnapshotCodec.Lz4:
                return SnapshotFile.Write(path, temporaryPath, _state, CompressionCodec.Lz4Frame).FileLength;
            case SnapshotCodec.Brotli:
                return SnapshotFile.Write(path, temporaryPath, _state, CompressionCodec.Brotli).FileLength;
            default:
                var body = new GrowableBuffer(64 * 1024);
                SnapshotBody.Write(body, _state);
                Span<byte> header = stackalloc byte[SnapshotHeader.Size];
                header.Clear();
                BitConverter.TryWriteBytes(header, Crc32C.Compute(body.WrittenSpan));
                using (var stream = new FileStream(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
                {
                    stream.Write(header);
                    stream.Write(body.WrittenSpan);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temporaryPath, path, overwrite: true);
                return SnapshotHeader.Size + body.WrittenCount;
        }
    }

    private static string Id(int n, int salt) => ((uint)((n * 2654435761u) ^ (uint)salt)).ToString("x8") + n.ToString("x24");

    private static byte[] ApiRecord(string apiId, int n)
    {
        var group = n % 37;
        var method = (n % 4) switch { 0 => "GET", 1 => "POST", 2 => "PUT", _ => "DELETE" };
        var auth = (n % 3) switch { 0 => "NONE", 1 => "APP", _ => "IAM" };
        var json = $$"""{"id":"{{apiId}}","name":"api_{{n}}","group_id":"{{Id(group, 0x6e0)}}","req_method":"{{method}}","req_uri":"/v1/group{{group}}/items/{{n}}","auth_type":"{{auth}}","backend_type":"HTTP","backend":{"url":"http://10.0.{{n % 256}}.{{(n / 256) % 256}}:8080/items/{{n}}","timeout":5000},"register_time":"2024-0{{(n % 9) + 1}}-1{{n % 10}}T08:{{n % 60:00}}:{{(n / 60) % 60:00}}Z"}""";
        return Encoding.UTF8.GetBytes(json);
    }

    private sealed class MillisecondsConfig : ManualConfig
    {
        public MillisecondsConfig() =>
            SummaryStyle = SummaryStyle.Default.WithTimeUnit(TimeUnit.Millisecond);
    }
}
