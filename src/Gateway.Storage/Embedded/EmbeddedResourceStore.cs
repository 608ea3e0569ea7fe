using Gateway.Storage.Compression;
using Gateway.Storage.Recovery;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Storage.Embedded;

/// <summary>Opens the embedded durable store.</summary>
public static class EmbeddedResourceStore
{
    /// <summary>
    /// Opens (or creates) the store in <see cref="EmbeddedStoreOptions.DataFolder"/>: takes the folder's lock, loads the
    /// newest snapshot, replays the write-ahead log after it and truncates a torn final record left by a crash.
    /// </summary>
    /// <param name="options">The store options; they are copied, so later changes have no effect.</param>
    /// <param name="logger">Receives recovery, snapshot and failure messages; none when null.</param>
    /// <param name="cancellationToken">Cancels the open before recovery starts.</param>
    /// <returns>The store, ready for reads and commits. Dispose it to release the folder.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="StoreLockedException">Another store instance owns the folder.</exception>
    /// <exception cref="StoreCorruptedException">
    /// The folder holds damage that cannot be repaired without losing acknowledged commits; the exception names the file and offset.
    /// </exception>
    /// <exception cref="NotSupportedException">A snapshot needs the native LZ4 library, which cannot be loaded.</exception>
    public static Task<IEmbeddedResourceStore> OpenAsync(EmbeddedStoreOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var copy = new EmbeddedStoreOptions
        {
            DataFolder = options.DataFolder,
            SyncMode = options.SyncMode,
            BatchedSyncInterval = options.BatchedSyncInterval,
            SnapshotThresholdBytes = options.SnapshotThresholdBytes,
            SnapshotOnDispose = options.SnapshotOnDispose,
            SnapshotCodec = options.SnapshotCodec,
            RetainedChanges = options.RetainedChanges,
        };

        // Recovery reads and verifies whole files; keep that off the caller's thread.
        return Task.Run(() => Open(copy, logger ?? NullLogger.Instance), cancellationToken);
    }

    private static IEmbeddedResourceStore Open(EmbeddedStoreOptions options, ILogger logger)
    {
        Directory.CreateDirectory(options.DataFolder);
        var layout = new DataFolderLayout(options.DataFolder);
        var folderLock = DataFolderLock.Acquire(layout);
        try
        {
            var codec = SnapshotCompression.Choose(options.SnapshotCodec);
            if (options.SnapshotCodec == SnapshotCodecPreference.Lz4 && codec != CompressionCodec.Lz4Frame)
            {
                EmbeddedStoreLog.Lz4Unavailable(logger, Lz4Native.LibraryName);
            }

            var recovered = StoreRecovery.Recover(layout, options, logger);
            return new EmbeddedStore(options, layout, folderLock, codec, recovered, logger);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }
}
