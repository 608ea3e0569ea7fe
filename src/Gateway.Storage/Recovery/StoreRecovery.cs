using System.Collections.Immutable;
using System.Diagnostics;
using Gateway.Storage.Embedded;
using Gateway.Storage.Snapshots;
using Gateway.Storage.Wal;
using Gateway.Store;
using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Recovery;

/// <summary>The state rebuilt at start-up and the segment new commits go to.</summary>
internal sealed class RecoveredStore
{
    public required InMemoryResourceStore.State State { get; init; }

    /// <summary>The newest replayed changes (at most the retained count), oldest first.</summary>
    public required List<StoreChange> Changes { get; init; }

    public required long SnapshotRevision { get; init; }

    public required WalSegmentWriter Segment { get; init; }
}

/// <summary>
/// Start-up: load the newest readable snapshot, replay the log after it, cut off a torn tail, and refuse anything that
/// would silently lose acknowledged commits. Nothing on disk is modified until every file has been verified.
/// </summary>
internal static class StoreRecovery
{
    public static InMemoryResourceStore.State EmptyState { get; } =
        new(ImmutableDictionary.Create<string, ImmutableSortedDictionary<string, StoreEntry>>(StringComparer.Ordinal), 0);

    public static RecoveredStore Recover(DataFolderLayout layout, EmbeddedStoreOptions options, ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var leftover in layout.ListTemporaryFiles())
        {
            // An unfinished snapshot write: the rename never happened, so nothing refers to it.
            DeleteQuietly(leftover, logger);
        }

        var (state, snapshotRevision, skippedSnapshot) = LoadNewestSnapshot(layout, logger);
        var segments = layout.ListSegments();
        var start = segments.FindLastIndex(s => s.BaseRevision <= snapshotRevision + 1);
        if (segments.Count > 0 && start < 0)
        {
            if (skippedSnapshot is not null)
            {
                throw skippedSnapshot;
            }

            throw new StoreCorruptedException(segments[0].Path, 0,
                $"the write-ahead log starts at revision {segments[0].BaseRevision} but revision {snapshotRevision + 1} is needed after snapshot revision {snapshotRevision}; a segment is missing");
        }

        var changes = new Queue<StoreChange>();
        var revision = snapshotRevision;
        var replayed = 0;
        WalSegmentContents? tail = null;
        for (var i = Math.Max(start, 0); i < segments.Count; i++)
        {
            var (baseRevision, path) = segments[i];
            if (i > start && baseRevision != revision + 1)
            {
                throw new StoreCorruptedException(path, 0, $"the segment starts at revision {baseRevision} but the log before it ends at revision {revision}; a segment is missing");
            }

            var newest = i == segments.Count - 1;
            var contents = WalSegmentReader.Read(path, File.ReadAllBytes(path), baseRevision, newest);
            foreach (var record in contents.Records)
            {
                if (record.Revision <= revision)
                {
                    continue; // already in the snapshot
                }

                var problem = TransactionCodec.TryRead(record.Payload, out var operations);
                if (problem is not null)
                {
                    throw new StoreCorruptedException(path, record.Offset, $"record of revision {record.Revision} does not decode: {problem}");
                }

                var (next, change) = InMemoryResourceStore.Apply(state, operations);
                state = next;
                revision = next.Revision;
                replayed++;
                changes.Enqueue(change);
                if (changes.Count > options.RetainedChanges)
                {
                    changes.Dequeue();
                }
            }

            if (newest)
            {
                tail = contents;
            }
        }

        if (skippedSnapshot is not null && revision < RevisionNamedBy(layout, skippedSnapshot.FilePath))
        {
            // An unreadable newer snapshot and no log reaching its revision: those commits exist nowhere else.
            throw skippedSnapshot;
        }

        // Every file checked out; from here on the folder is modified.
        WalSegmentWriter segment;
        var obsolete = segments.Take(Math.Max(start, 0)).Select(s => s.Path).ToList();
        if (tail is not null && TailEnd(segments[^1].BaseRevision, tail) == revision)
        {
            if (tail.TornTailReason is not null)
            {
                var length = new FileInfo(segments[^1].Path).Length;
                EmbeddedStoreLog.TornTailTruncated(logger, segments[^1].Path, tail.ValidLength, length - tail.ValidLength, tail.TornTailReason);
            }

            segment = WalSegmentWriter.OpenForAppend(segments[^1].Path, segments[^1].BaseRevision, tail.ValidLength);
        }
        else
        {
            // No log yet, or the newest segment ends inside the snapshot (a clean shutdown removed the log): start afresh.
            if (tail is not null)
            {
                obsolete.Add(segments[^1].Path);
            }

            segment = WalSegmentWriter.Create(layout.SegmentPath(revision + 1), revision + 1);
        }

        try
        {
            foreach (var path in obsolete)
            {
                DeleteQuietly(path, logger);
            }

            foreach (var (snapshotAt, path) in layout.ListSnapshots())
            {
                if (snapshotAt < snapshotRevision)
                {
                    DeleteQuietly(path, logger);
                }
            }

            DirectorySync.Flush(layout.Root);
        }
        catch
        {
            segment.Dispose();
            throw;
        }

        EmbeddedStoreLog.RecoveryCompleted(logger, layout.Root, revision, snapshotRevision, replayed, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return new RecoveredStore { State = state, Changes = [.. changes], SnapshotRevision = snapshotRevision, Segment = segment };
    }

    public static void DeleteQuietly(string path, ILogger logger)
    {
        try
        {
            File.Delete(path);
            EmbeddedStoreLog.FileDeleted(logger, path);
        }
        catch (IOException ex)
        {
            // A leftover file costs disk space, not correctness: recovery ignores files the snapshot already covers.
            EmbeddedStoreLog.FileDeleteFailed(logger, path, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            EmbeddedStoreLog.FileDeleteFailed(logger, path, ex);
        }
    }

    private static (InMemoryResourceStore.State State, long Revision, StoreCorruptedException? Skipped) LoadNewestSnapshot(DataFolderLayout layout, ILogger logger)
    {
        StoreCorruptedException? skipped = null;
        var snapshots = layout.ListSnapshots();
        for (var i = snapshots.Count - 1; i >= 0; i--)
        {
            try
            {
                var (state, _) = SnapshotFile.Read(snapshots[i].Path, snapshots[i].Revision);
                return (state, snapshots[i].Revision, skipped);
            }
            catch (StoreCorruptedException ex)
            {
                // Keep the newest failure: it is the one to report if the older data cannot stand in for it.
                EmbeddedStoreLog.SnapshotSkipped(logger, snapshots[i].Path, ex);
                skipped ??= ex;
            }
        }

        return (EmptyState, 0, skipped);
    }

    private static long TailEnd(long baseRevision, WalSegmentContents contents) =>
        contents.Records.Count > 0 ? contents.Records[^1].Revision : baseRevision - 1;

    private static long RevisionNamedBy(DataFolderLayout layout, string snapshotPath)
    {
        foreach (var (revision, path) in layout.ListSnapshots())
        {
            if (path == snapshotPath)
            {
                return revision;
            }
        }

        return 0;
    }
}
