using System.Diagnostics;
using System.Threading.Channels;
using Gateway.Storage.Binary;
using Gateway.Storage.Compression;
using Gateway.Storage.Recovery;
using Gateway.Storage.Snapshots;
using Gateway.Storage.Wal;
using Gateway.Store;
using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Embedded;

/// <summary>
/// The embedded durable store. One writer loop owns the log: it drains the queue of pending commits, checks each
/// one's conditions in order against the state left by the commits before it, appends all their records with one
/// write, flushes once, then publishes the new state and completes every commit of the batch (group commit).
/// The in-memory index is the same immutable state, and the same apply step, as <see cref="InMemoryResourceStore"/>.
/// </summary>
internal sealed class EmbeddedStore : IEmbeddedResourceStore
{
    // A batch stops growing at either bound so one burst cannot delay its first commit indefinitely.
    private const int MaxBatchCommits = 1024;
    private const int MaxBatchBytes = 4 * 1024 * 1024;

    private readonly EmbeddedStoreOptions _options;
    private readonly DataFolderLayout _layout;
    private readonly DataFolderLock _folderLock;
    private readonly CompressionCodec _codec;
    private readonly ILogger _logger;
    private readonly Channel<PendingWork> _queue = Channel.CreateUnbounded<PendingWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ChangeFeed _feed;
    private readonly Lock _disposeLock = new();

    // Owned by the writer loop (and by disposal once the loop has ended).
    private readonly GrowableBuffer _batchBuffer = new(64 * 1024);
    private readonly List<PendingWork> _batch = [];
    private readonly List<StoreChange> _batchChanges = [];
    private WalSegmentWriter _segment;
    private long _writtenRevision;
    private long _flushGroupStart;
    private bool _unflushed;
    private long _lastFlushTimestamp;
    private Task _snapshotTask = Task.CompletedTask;

    private volatile InMemoryResourceStore.State _state;
    private volatile Exception? _fault;
    private long _lastSnapshotRevision;
    private readonly Task _writerTask;
    private Task? _disposeTask;

    public EmbeddedStore(
        EmbeddedStoreOptions options, DataFolderLayout layout, DataFolderLock folderLock, CompressionCodec codec, RecoveredStore recovered, ILogger logger)
    {
        _options = options;
        _layout = layout;
        _folderLock = folderLock;
        _codec = codec;
        _logger = logger;
        _state = recovered.State;
        _segment = recovered.Segment;
        _writtenRevision = recovered.State.Revision;
        _flushGroupStart = _writtenRevision + 1;
        _lastSnapshotRevision = recovered.SnapshotRevision;
        _lastFlushTimestamp = Stopwatch.GetTimestamp();
        _feed = new ChangeFeed(options.RetainedChanges, recovered.State.Revision, recovered.Changes);
        _writerTask = Task.Run(RunWriterAsync);
    }

    /// <inheritdoc />
    public long Revision => _state.Revision;

    /// <inheritdoc />
    public ValueTask<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        StoreEntry? entry = null;
        if (_state.Collections.TryGetValue(StoreKeys.CollectionOf(key), out var collection))
        {
            collection.TryGetValue(key, out entry);
        }

        return ValueTask.FromResult(entry);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoreEntry>> ListAsync(string collection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        if (!_state.Collections.TryGetValue(collection, out var entries))
        {
            return ValueTask.FromResult<IReadOnlyList<StoreEntry>>([]);
        }

        var list = new List<StoreEntry>(entries.Count);
        foreach (var pair in entries)
        {
            list.Add(pair.Value);
        }

        return ValueTask.FromResult<IReadOnlyList<StoreEntry>>(list);
    }

    /// <inheritdoc />
    public ValueTask<CommitResult> CommitAsync(StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        cancellationToken.ThrowIfCancellationRequested();
        // Copies: the caller may reuse the transaction object before the writer loop gets to it.
        var work = new PendingWork([.. transaction.Conditions], [.. transaction.Operations], cancellationToken);
        if (!_queue.Writer.TryWrite(work))
        {
            ThrowNotAccepting();
        }

        return new ValueTask<CommitResult>(work.Task);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<StoreChange> WatchAsync(long afterRevision, CancellationToken cancellationToken = default) =>
        _feed.WatchAsync(afterRevision, cancellationToken);

    /// <inheritdoc />
    public async Task<long> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        var work = new PendingWork([], [], cancellationToken, isSnapshotRequest: true);
        if (!_queue.Writer.TryWrite(work))
        {
            ThrowNotAccepting();
        }

        return (await work.Task.WaitAsync(cancellationToken).ConfigureAwait(false)).Revision;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        lock (_disposeLock)
        {
            _disposeTask ??= DisposeCoreAsync();
        }

        return new ValueTask(_disposeTask);
    }

    private async Task DisposeCoreAsync()
    {
        _queue.Writer.TryComplete();
        await _writerTask.ConfigureAwait(false);
        await _snapshotTask.ConfigureAwait(false);
        var state = _state;
        _segment.Dispose();
        if (_options.SnapshotOnDispose && _fault is null && state.Revision > Volatile.Read(ref _lastSnapshotRevision))
        {
            // The log is complete and flushed; a snapshot at its end lets the next start-up skip the replay.
            WriteSnapshot(state, request: null);
        }

        _feed.Close();
        _folderLock.Dispose();
    }

    private void ThrowNotAccepting()
    {
        if (_fault is { } fault)
        {
            throw NotAccepting(fault);
        }

        throw new ObjectDisposedException(nameof(IEmbeddedResourceStore));
    }

    private IOException NotAccepting(Exception fault) =>
        new($"The embedded store '{_layout.Root}' stopped accepting commits after a write-ahead log failure; dispose and reopen it to recover.", fault);

    private async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (true)
            {
                if (!reader.TryPeek(out _) && !await WaitForWorkAsync(reader).ConfigureAwait(false))
                {
                    break;
                }

                PendingWork? snapshotRequest = null;
                long batchBytes = 0;
                while (_batch.Count < MaxBatchCommits && batchBytes < MaxBatchBytes && reader.TryRead(out var work))
                {
                    batchBytes += work.EstimatedBytes;
                    if (work.IsSnapshotRequest)
                    {
                        // Commits queued before the request are in the snapshot; those after it wait for the next batch.
                        snapshotRequest = work;
                        break;
                    }

                    _batch.Add(work);
                }

                WriteBatch();
                if (snapshotRequest is not null)
                {
                    await _snapshotTask.ConfigureAwait(false);
                    StartSnapshot(snapshotRequest);
                }
                else if (_segment.Length >= _options.SnapshotThresholdBytes && _snapshotTask.IsCompleted)
                {
                    StartSnapshot(request: null);
                }
            }

            if (_unflushed)
            {
                FlushSegment();
            }
        }
        catch (Exception ex) when (_fault is null)
        {
            Fault(ex);
        }
        catch (Exception)
        {
            // Already faulted (and logged) by the failing batch.
        }
    }

    /// <summary>Waits for queued work; in batched mode also wakes up to flush when the loss window runs out. False when the queue is closed.</summary>
    private async ValueTask<bool> WaitForWorkAsync(ChannelReader<PendingWork> reader)
    {
        while (_unflushed)
        {
            var remaining = _options.BatchedSyncInterval - Stopwatch.GetElapsedTime(_lastFlushTimestamp);
            if (remaining <= TimeSpan.Zero)
            {
                FlushSegment();
                break;
            }

            using var timeout = new CancellationTokenSource(remaining);
            try
            {
                return await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                FlushSegment();
            }
        }

        return await reader.WaitToReadAsync().ConfigureAwait(false);
    }

    /// <summary>A fault-injection point for tests: runs right before every flush of the log.</summary>
    internal Action? BeforeFlush { get; set; }

    private void WriteBatch()
    {
        var working = _state;
        var segmentLength = _segment.Length;
        _batchBuffer.Clear();
        _batchChanges.Clear();
        try
        {
            foreach (var work in _batch)
            {
                if (work.CancellationToken.IsCancellationRequested)
                {
                    continue; // completed as canceled below; nothing was written for it
                }

                var failedKey = FirstFailedCondition(working, work.Conditions);
                if (failedKey is not null)
                {
                    work.Result = new CommitResult(false, working.Revision, failedKey);
                    continue;
                }

                var mark = _batchBuffer.WrittenCount;
                try
                {
                    WalRecordWriter.Append(_batchBuffer, working.Revision + 1, _flushGroupStart, work.Operations);
                }
                catch (ArgumentException ex)
                {
                    // Not encodable (too large, or a key that is not valid UTF-16): this commit fails alone.
                    _batchBuffer.Truncate(mark);
                    work.Error = ex;
                    continue;
                }

                var (next, change) = InMemoryResourceStore.Apply(working, work.Operations);
                working = next;
                _batchChanges.Add(change);
                work.Result = new CommitResult(true, next.Revision, null);
            }

            if (_batchBuffer.WrittenCount > 0)
            {
                _segment.Append(_batchBuffer.WrittenSpan);
                _writtenRevision = working.Revision;
                if (_options.SyncMode == WalSyncMode.Always || Stopwatch.GetElapsedTime(_lastFlushTimestamp) >= _options.BatchedSyncInterval)
                {
                    FlushSegment();
                }
                else
                {
                    _unflushed = true;
                }
            }
        }
        catch (Exception ex)
        {
            // Nothing of this batch is published: a failed write or flush means none of it is known to be durable.
            // Its records are cut off again so that commits reported as failed do not come back after a restart.
            _segment.TryTruncate(segmentLength);
            // Fault first, so a caller reacting to this failure already finds the store closed to commits.
            Fault(ex);
            foreach (var work in _batch)
            {
                work.TrySetException(ex);
            }

            _batch.Clear();
            throw;
        }

        if (_batchChanges.Count > 0)
        {
            _state = working;
            _feed.Append(_batchChanges);
        }

        foreach (var work in _batch)
        {
            if (work.Error is not null)
            {
                work.TrySetException(work.Error);
            }
            else if (work.Result is { } result)
            {
                work.TrySetResult(result);
            }
            else
            {
                work.TrySetCanceled(work.CancellationToken);
            }
        }

        _batch.Clear();
        _batchBuffer.Trim(MaxBatchBytes);
    }

    private void FlushSegment()
    {
        BeforeFlush?.Invoke();
        _segment.Flush();
        _unflushed = false;
        _flushGroupStart = _writtenRevision + 1;
        _lastFlushTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Starts a new segment after the current revision and writes the snapshot in the background. The old segments
    /// are deleted only once the snapshot is durable, so a crash at any point leaves a readable folder.
    /// </summary>
    private void StartSnapshot(PendingWork? request)
    {
        if (request is not null && request.CancellationToken.IsCancellationRequested)
        {
            request.TrySetCanceled(request.CancellationToken);
            return;
        }

        var state = _state;
        try
        {
            if (_unflushed)
            {
                FlushSegment();
            }

            if (state.Revision == Volatile.Read(ref _lastSnapshotRevision))
            {
                request?.TrySetResult(new CommitResult(true, state.Revision, null));
                return;
            }

            if (_segment.HasRecords)
            {
                var next = WalSegmentWriter.Create(_layout.SegmentPath(state.Revision + 1), state.Revision + 1);
                var previous = _segment;
                _segment = next;
                previous.Dispose();
                DirectorySync.Flush(_layout.Root);
            }
        }
        catch (Exception ex)
        {
            // The log itself failed: the caller faults the store, and the requester learns why.
            request?.TrySetException(ex);
            throw;
        }

        _snapshotTask = Task.Run(() => WriteSnapshot(state, request));
    }

    private void WriteSnapshot(InMemoryResourceStore.State state, PendingWork? request)
    {
        var path = _layout.SnapshotPath(state.Revision);
        try
        {
            var result = SnapshotFile.Write(path, path + DataFolderLayout.TemporarySuffix, state, _codec);
            DirectorySync.Flush(_layout.Root);
            Volatile.Write(ref _lastSnapshotRevision, state.Revision);
            EmbeddedStoreLog.SnapshotWritten(_logger, state.Revision, path, _codec.ToString(), result.EntryCount, result.BodyLength, result.FileLength);

            // Every segment that starts at or before the snapshot holds only revisions it covers.
            foreach (var (baseRevision, segmentPath) in _layout.ListSegments())
            {
                if (baseRevision <= state.Revision)
                {
                    StoreRecovery.DeleteQuietly(segmentPath, _logger);
                }
            }

            foreach (var (revision, snapshotPath) in _layout.ListSnapshots())
            {
                if (revision < state.Revision)
                {
                    StoreRecovery.DeleteQuietly(snapshotPath, _logger);
                }
            }

            DirectorySync.Flush(_layout.Root);
            request?.TrySetResult(new CommitResult(true, state.Revision, null));
        }
        catch (Exception ex)
        {
            EmbeddedStoreLog.SnapshotFailed(_logger, state.Revision, ex);
            StoreRecovery.DeleteQuietly(path + DataFolderLayout.TemporarySuffix, _logger);
            request?.TrySetException(ex);
        }
    }

    private void Fault(Exception ex)
    {
        _fault = ex;
        EmbeddedStoreLog.WriterFaulted(_logger, _layout.Root, ex);
        // Closing the queue makes new commits fail fast; whatever is still queued fails with the cause.
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var work))
        {
            work.TrySetException(NotAccepting(ex));
        }
    }

    private static string? FirstFailedCondition(InMemoryResourceStore.State state, StoreCondition[] conditions)
    {
        foreach (var condition in conditions)
        {
            var modRevision = state.Collections.TryGetValue(StoreKeys.CollectionOf(condition.Key), out var collection) &&
                              collection.TryGetValue(condition.Key, out var entry)
                ? entry.ModRevision
                : 0;
            if (modRevision != condition.ModRevision)
            {
                return condition.Key;
            }
        }

        return null;
    }

    /// <summary>A queued commit (or snapshot request); it is its own completion source to save an allocation.</summary>
    private sealed class PendingWork(StoreCondition[] conditions, StoreOperation[] operations, CancellationToken cancellationToken, bool isSnapshotRequest = false)
        : TaskCompletionSource<CommitResult>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public StoreCondition[] Conditions { get; } = conditions;

        public StoreOperation[] Operations { get; } = operations;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public bool IsSnapshotRequest { get; } = isSnapshotRequest;

        /// <summary>A rough size of the record, enough to bound how much one batch writes.</summary>
        public long EstimatedBytes { get; } = Estimate(operations);

        public CommitResult? Result { get; set; }

        public Exception? Error { get; set; }

        private static long Estimate(StoreOperation[] operations)
        {
            long bytes = WalRecordHeader.Size;
            foreach (var operation in operations)
            {
                bytes += 8 + operation.Key.Length + operation.Value.Length;
            }

            return bytes;
        }
    }
}
