using Gateway.Storage.Embedded;
using Gateway.Storage.TestSupport;
using Gateway.Store;

namespace Gateway.Storage.Conformance.Tests;

public sealed class EmbeddedResourceStoreConformanceTests : ResourceStoreConformanceTests
{
    private readonly TempDirectory _folder = new();

    protected override async Task<IResourceStore> CreateStoreAsync() =>
        await EmbeddedResourceStore.OpenAsync(new EmbeddedStoreOptions { DataFolder = _folder.Path });

    protected override void Cleanup() => _folder.Dispose();
}

/// <summary>The same suite with batched flushes and a tiny snapshot threshold, so snapshots and segment rotation run under it.</summary>
public sealed class EmbeddedResourceStoreBatchedConformanceTests : ResourceStoreConformanceTests
{
    private readonly TempDirectory _folder = new();

    protected override async Task<IResourceStore> CreateStoreAsync() =>
        await EmbeddedResourceStore.OpenAsync(new EmbeddedStoreOptions
        {
            DataFolder = _folder.Path,
            SyncMode = WalSyncMode.Batched,
            SnapshotThresholdBytes = 4096,
            SnapshotCodec = SnapshotCodecPreference.Brotli,
        });

    protected override void Cleanup() => _folder.Dispose();
}
