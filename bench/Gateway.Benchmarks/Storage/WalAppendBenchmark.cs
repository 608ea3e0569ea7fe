using BenchmarkDotNet.Attributes;
using Gateway.Storage.Embedded;
using Gateway.Store;

namespace Gateway.Benchmarks.Storage;

/// <summary>
/// Commit latency of the embedded store: one commit at a time (every commit pays its own flush in
/// <see cref="WalSyncMode.Always"/>), and eight or sixteen concurrent commits that share flushes through group commit.
/// </summary>
[MemoryDiagnoser]
public class WalAppendBenchmark
{
    private const int KeyCount = 1024;
    private readonly string[] _keys = new string[KeyCount];
    private readonly byte[] _value = """{"name":"orders","path":"/v1/orders","method":"GET","backend":"http://10.0.0.1:8080"}"""u8.ToArray();
    private readonly ValueTask<CommitResult>[] _pending = new ValueTask<CommitResult>[8];
    private readonly ValueTask<CommitResult>[] _pending16 = new ValueTask<CommitResult>[16];
    private IEmbeddedResourceStore _store = null!;
    private string _folder = null!;
    private int _next;

    [Params(WalSyncMode.Always, WalSyncMode.Batched)]
    public WalSyncMode SyncMode { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        for (var i = 0; i < KeyCount; i++)
        {
            _keys[i] = "apis/" + i.ToString("x32");
        }

        _folder = Path.Combine(Path.GetTempPath(), "gateway-bench-wal-" + Guid.NewGuid().ToString("N"));
        _store = await EmbeddedResourceStore.OpenAsync(new EmbeddedStoreOptions
        {
            DataFolder = _folder,
            SyncMode = SyncMode,
            SnapshotOnDispose = false,
        });
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public async Task<CommitResult> SingleCommit() =>
        await _store.CommitAsync(new StoreTransaction().Put(_keys[_next++ & (KeyCount - 1)], _value));

    [Benchmark(OperationsPerInvoke = 8)]
    public async Task EightConcurrentCommits()
    {
        for (var i = 0; i < _pending.Length; i++)
        {
            _pending[i] = _store.CommitAsync(new StoreTransaction().Put(_keys[_next++ & (KeyCount - 1)], _value));
        }

        for (var i = 0; i < _pending.Length; i++)
        {
            await _pending[i];
        }
    }

    [Benchmark(OperationsPerInvoke = 16)]
    public async Task SixteenConcurrentCommits()
    {
        for (var i = 0; i < _pending16.Length; i++)
        {
            _pending16[i] = _store.CommitAsync(new StoreTransaction().Put(_keys[_next++ & (KeyCount - 1)], _value));
        }

        for (var i = 0; i < _pending16.Length; i++)
        {
            await _pending16[i];
        }
    }
}
