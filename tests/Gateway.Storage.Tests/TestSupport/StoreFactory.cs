using Gateway.Storage.Embedded;

namespace Gateway.Storage.TestSupport;

internal static class StoreFactory
{
    /// <summary>Options for tests: no automatic snapshots unless asked, so the log holds every commit.</summary>
    public static EmbeddedStoreOptions Options(string folder, SnapshotCodecPreference codec = SnapshotCodecPreference.Lz4, bool snapshotOnDispose = false) => new()
    {
        DataFolder = folder,
        SnapshotCodec = codec,
        SnapshotOnDispose = snapshotOnDispose,
        SnapshotThresholdBytes = long.MaxValue,
    };

    public static Task<IEmbeddedResourceStore> OpenAsync(string folder, SnapshotCodecPreference codec = SnapshotCodecPreference.Lz4, bool snapshotOnDispose = false) =>
        EmbeddedResourceStore.OpenAsync(Options(folder, codec, snapshotOnDispose));
}
