using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Embedded;

/// <summary>The embedded store's log messages (source-generated, so disabled levels cost nothing).</summary>
internal static partial class EmbeddedStoreLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Embedded store '{DataFolder}' recovered at revision {Revision}: snapshot revision {SnapshotRevision}, {ReplayedRecords} log records replayed in {ElapsedMs} ms.")]
    public static partial void RecoveryCompleted(ILogger logger, string dataFolder, long revision, long snapshotRevision, int replayedRecords, long elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Truncating the torn tail of '{SegmentPath}' at offset {Offset} ({DroppedBytes} bytes dropped): {Reason}. It is the unfinished last write of a crash; no acknowledged commit is in it.")]
    public static partial void TornTailTruncated(ILogger logger, string segmentPath, long offset, long droppedBytes, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "Snapshot '{SnapshotPath}' cannot be used; trying an older snapshot and the log instead.")]
    public static partial void SnapshotSkipped(ILogger logger, string snapshotPath, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information,
        Message = "Snapshot at revision {Revision} written to '{SnapshotPath}' ({Codec}, {EntryCount} entries, {BodyLength} bytes, {FileLength} bytes on disk).")]
    public static partial void SnapshotWritten(ILogger logger, long revision, string snapshotPath, string codec, long entryCount, long bodyLength, long fileLength);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error,
        Message = "Writing the snapshot at revision {Revision} failed; the write-ahead log is kept and a later snapshot will retry.")]
    public static partial void SnapshotFailed(ILogger logger, long revision, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Critical,
        Message = "The write-ahead log of '{DataFolder}' failed; the store rejects further commits until it is reopened.")]
    public static partial void WriterFaulted(ILogger logger, string dataFolder, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning,
        Message = "The native LZ4 library '{LibraryName}' cannot be loaded; snapshots are compressed with Brotli instead.")]
    public static partial void Lz4Unavailable(ILogger logger, string libraryName);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Deleted obsolete store file '{Path}'.")]
    public static partial void FileDeleted(ILogger logger, string path);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Could not delete obsolete store file '{Path}'.")]
    public static partial void FileDeleteFailed(ILogger logger, string path, Exception exception);
}
