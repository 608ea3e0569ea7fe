using Gateway.Store;

namespace Gateway.Storage.Embedded;

/// <summary>
/// A durable <see cref="IResourceStore"/> kept in a local data folder: a write-ahead log of committed transactions plus
/// compressed snapshots. Dispose it to stop accepting commits, flush, write a final snapshot and release the folder.
/// </summary>
/// <remarks>
/// <para>A commit's task completes only after its record is durable according to <see cref="EmbeddedStoreOptions.SyncMode"/>;
/// concurrent commits share one flush. Reads never wait for writers: they see the newest acknowledged state.</para>
/// <para>If writing the log fails (for example the disk is full), the commits in flight fail with the I/O error and every
/// later commit throws <see cref="IOException"/>; reads keep working. Dispose and reopen the store to recover. The store
/// cuts the failed commits' records off the log, so they normally stay absent after the reopen; as with any storage
/// failure, a commit that failed with an I/O error should nevertheless be treated as of unknown outcome.</para>
/// <para>After disposal, <see cref="IResourceStore.CommitAsync"/> throws <see cref="ObjectDisposedException"/> and running
/// <see cref="IResourceStore.WatchAsync"/> enumerations end with <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public interface IEmbeddedResourceStore : IResourceStore, IAsyncDisposable
{
    /// <summary>
    /// Writes a snapshot of the current state now and removes the log it replaces. Completes when the snapshot is
    /// durable; returns the revision it captured. Snapshots are also taken automatically (see
    /// <see cref="EmbeddedStoreOptions.SnapshotThresholdBytes"/>), so calling this is never required.
    /// </summary>
    Task<long> SnapshotAsync(CancellationToken cancellationToken = default);
}
