namespace Gateway.Storage.Embedded;

/// <summary>Options of the embedded durable store opened by <see cref="EmbeddedResourceStore.OpenAsync"/>.</summary>
public sealed class EmbeddedStoreOptions
{
    /// <summary>
    /// The folder that holds the store's files (created when missing). One store instance owns a folder at a time;
    /// a second one, in this or another process, fails with <see cref="StoreLockedException"/>.
    /// </summary>
    public string DataFolder { get; set; } = string.Empty;

    /// <summary>When a commit is acknowledged relative to its write-ahead log record reaching the disk. Default: <see cref="WalSyncMode.Always"/>.</summary>
    public WalSyncMode SyncMode { get; set; } = WalSyncMode.Always;

    /// <summary>
    /// With <see cref="WalSyncMode.Batched"/>, the longest time between a commit's acknowledgement and the flush that
    /// makes it durable: the window of acknowledged commits an operating-system crash or power loss can lose.
    /// Default: 10 ms.
    /// </summary>
    public TimeSpan BatchedSyncInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The size the current write-ahead log segment may reach before a snapshot is taken in the background and the log
    /// is restarted after it. Smaller values mean faster start-up and more snapshot writes. Default: 64 MiB.
    /// </summary>
    public long SnapshotThresholdBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Whether disposing the store writes a final snapshot so the next start-up replays nothing. Default: true.</summary>
    public bool SnapshotOnDispose { get; set; } = true;

    /// <summary>
    /// The codec for new snapshots. <see cref="SnapshotCodecPreference.Lz4"/> (the default) falls back to Brotli when the
    /// native library <c>liblz4.so.1</c> cannot be loaded. Existing snapshots are read with whatever codec their header names.
    /// </summary>
    public SnapshotCodecPreference SnapshotCodec { get; set; } = SnapshotCodecPreference.Lz4;

    /// <summary>
    /// How many of the newest commits the change feed keeps in memory (including those replayed at start-up).
    /// Watching from an older revision throws <see cref="Gateway.Store.ChangeFeedCompactedException"/>. Default: 10,000.
    /// </summary>
    public int RetainedChanges { get; set; } = 10_000;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataFolder))
        {
            throw new ArgumentException("EmbeddedStoreOptions.DataFolder must be set.", "options");
        }

        if (BatchedSyncInterval <= TimeSpan.Zero || BatchedSyncInterval > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException("EmbeddedStoreOptions.BatchedSyncInterval must be greater than zero and at most one minute.", "options");
        }

        if (SnapshotThresholdBytes < 4096)
        {
            throw new ArgumentException("EmbeddedStoreOptions.SnapshotThresholdBytes must be at least 4096.", "options");
        }

        if (RetainedChanges < 1)
        {
            throw new ArgumentException("EmbeddedStoreOptions.RetainedChanges must be at least 1.", "options");
        }

        if (!Enum.IsDefined(SyncMode) || !Enum.IsDefined(SnapshotCodec))
        {
            throw new ArgumentException("EmbeddedStoreOptions.SyncMode or SnapshotCodec has an undefined value.", "options");
        }
    }
}

/// <summary>When the embedded store acknowledges a commit.</summary>
public enum WalSyncMode
{
    /// <summary>
    /// After the commit's record is flushed to disk (fsync). Concurrent commits share one flush (group commit).
    /// No acknowledged commit is lost, even on power loss.
    /// </summary>
    Always = 0,

    /// <summary>
    /// After the record is written to the operating system; flushes happen at most every
    /// <see cref="EmbeddedStoreOptions.BatchedSyncInterval"/>. A process crash loses nothing, but an operating-system crash
    /// or power loss can lose the commits acknowledged within that interval.
    /// </summary>
    Batched = 1,
}

/// <summary>The preferred codec for snapshot bodies.</summary>
public enum SnapshotCodecPreference
{
    /// <summary>LZ4 frame format through the native <c>liblz4.so.1</c> (readable with <c>lz4 -d</c>); Brotli when it cannot be loaded.</summary>
    Lz4 = 0,

    /// <summary>Brotli from the base class library, never a native dependency.</summary>
    Brotli = 1,
}
