using BenchmarkDotNet.Attributes;
using Gateway.Storage.Embedded;
using Gateway.Store;

namespace Gateway.Benchmarks.Storage;

/// <summary>
/// Start-up time of the embedded store holding 100,000 small resources: 90,000 come from the snapshot and 10,000 more
/// are replayed from the write-ahead log (one commit each), as after a crash between snapshots.
/// </summary>
[MemoryDiagnoser]
public class RecoveryBenchmark
{
    private const int SnapshotResources = 90_000;
    private const int LogResources = 10_000;
    private string _folder = null!;

    [Params(SnapshotCodecPreference.Lz4, SnapshotCodecPreference.Brotli)]
    public SnapshotCodecPreference Codec { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gateway-bench-recovery-" + Guid.NewGuid().ToString("N"));
        await using var store = await EmbeddedResourceStore.OpenAsync(Options(WalSyncMode.Batched));
        for (var batch = 0; batch < SnapshotResources / 1000; batch++)
        {
            var transaction = new StoreTransaction();
            for (var i = 0; i < 1000; i++)
            {
                var n = (batch * 1000) + i;
                transaction.Put(Key(n), Value(n));
            }

            await store.CommitAsync(transaction);
        }

        await store.SnapshotAsync();
        var pending = new List<Task>(LogResources);
        for (var n = SnapshotResources; n < SnapshotResources + LogResources; n++)
        {
            pending.Add(store.CommitAsync(new StoreTransaction().Put(Key(n), Value(n))).AsTask());
        }

        await Task.WhenAll(pending);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public async Task<long> OpenFromSnapshotAndLog()
    {
        await using var store = await EmbeddedResourceStore.OpenAsync(Options(WalSyncMode.Always));
        if (store.Revision != (SnapshotResources / 1000) + LogResources)
        {
            throw new InvalidOperationException($"Unexpected revision {store.Revision}.");
        }

        return store.Revision;
    }

    private EmbeddedStoreOptions Options(WalSyncMode syncMode) => new()
    {
        DataFolder = _folder,
        SyncMode = syncMode,
        SnapshotCodec = Codec,
        SnapshotOnDispose = false,
        SnapshotThresholdBytes = long.MaxValue,
    };

    private static string Key(int n) => $"apis/{n:x32}";

    private static byte[] Value(int n) => System.Text.Encoding.UTF8.GetBytes($$"""{"id":"{{n:x32}}","name":"api-{{n}}","path":"/v1/items/{{n}}","method":"GET"}""");
}
