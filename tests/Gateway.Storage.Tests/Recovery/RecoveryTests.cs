using Gateway.Storage.Embedded;
using Gateway.Storage.Snapshots;
using Gateway.Storage.TestSupport;
using Gateway.Storage.Wal;
using Gateway.Store;
using static Gateway.Storage.TestSupport.StoreContents;

namespace Gateway.Storage.Recovery.Tests;

public sealed class RecoveryTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Reopen_AfterStopWithoutSnapshot_ReplaysTheLog()
    {
        await CommitAsync(5);

        await using var store = await StoreFactory.OpenAsync(_folder.Path);
        Assert.Equal(5, store.Revision);
        Assert.Equal(["k/1", "k/2", "k/3", "k/4", "k/5"], (await store.ListAsync("k/")).Select(e => e.Key));
    }

    [Fact]
    public async Task Dispose_WritesFinalSnapshot_SoTheNextStartReplaysNothing()
    {
        await using (var store = await StoreFactory.OpenAsync(_folder.Path, snapshotOnDispose: true))
        {
            for (var i = 1; i <= 4; i++)
            {
                await store.CommitAsync(new StoreTransaction().Put("k/" + i, Utf8("v" + i)));
            }
        }

        var layout = new DataFolderLayout(_folder.Path);
        Assert.Equal([4L], layout.ListSnapshots().Select(s => s.Revision));
        Assert.Empty(layout.ListSegments());

        var logger = new ListLogger();
        await using var reopened = await EmbeddedResourceStore.OpenAsync(StoreFactory.Options(_folder.Path), logger);
        Assert.Equal(4, reopened.Revision);
        Assert.Contains(logger.Entries, e => e.EventId.Id == 1 && e.Message.Contains("0 log records replayed"));
        Assert.Equal("v3", Text((await reopened.GetAsync("k/3"))!.Value));
    }

    [Fact]
    public async Task ChangeFeed_AfterRecovery_ReplaysRetainedChanges_AndReportsOlderOnesCompacted()
    {
        await CommitAsync(5);
        var options = StoreFactory.Options(_folder.Path);
        options.RetainedChanges = 3;

        await using var store = await EmbeddedResourceStore.OpenAsync(options);
        var compacted = await Assert.ThrowsAsync<ChangeFeedCompactedException>(() => TakeAsync(store, 1, 1));
        Assert.Equal(3, compacted.OldestRetained);
        Assert.Equal([3L, 4, 5], (await TakeAsync(store, 2, 3)).Select(c => c.Revision));

        await store.CommitAsync(new StoreTransaction().Put("k/6", Utf8("v6")));
        var latest = await TakeAsync(store, 5, 1);
        Assert.Equal("k/6", latest.Single().Items.Single().Key);
    }

    [Fact]
    public async Task ChangeFeed_AfterSnapshotRecovery_IsCompactedUpToTheSnapshot_AndFollowsNewCommits()
    {
        await using (var store = await StoreFactory.OpenAsync(_folder.Path, snapshotOnDispose: true))
        {
            await store.CommitAsync(new StoreTransaction().Put("k/1", Utf8("v1")));
        }

        await using var reopened = await StoreFactory.OpenAsync(_folder.Path);
        var compacted = await Assert.ThrowsAsync<ChangeFeedCompactedException>(() => TakeAsync(reopened, 0, 1));
        Assert.Equal(2, compacted.OldestRetained);

        var watching = TakeAsync(reopened, 1, 1);
        await reopened.CommitAsync(new StoreTransaction().Put("k/2", Utf8("v2")));
        Assert.Equal(2, (await watching).Single().Revision);
    }

    [Fact]
    public async Task TornSegmentHeader_IsRewritten()
    {
        await using (await StoreFactory.OpenAsync(_folder.Path))
        {
        }

        var segment = new DataFolderLayout(_folder.Path).ListSegments().Single().Path;
        File.WriteAllBytes(segment, File.ReadAllBytes(segment)[..10]);

        await using var store = await StoreFactory.OpenAsync(_folder.Path);
        Assert.Equal(0, store.Revision);
        Assert.Equal(1, (await store.CommitAsync(new StoreTransaction().Put("k/1", Utf8("v")))).Revision);
    }

    [Fact]
    public async Task MissingSnapshot_WithLogStartingAfterIt_StopsStartUp()
    {
        await CommitAsync(3);
        await using (var store = await StoreFactory.OpenAsync(_folder.Path))
        {
            await store.SnapshotAsync();
            await store.CommitAsync(new StoreTransaction().Put("k/4", Utf8("v4")));
        }

        var layout = new DataFolderLayout(_folder.Path);
        File.Delete(layout.ListSnapshots().Single().Path);

        var error = await Assert.ThrowsAsync<StoreCorruptedException>(() => StoreFactory.OpenAsync(_folder.Path));
        Assert.Equal(layout.SegmentPath(4), error.FilePath);
        Assert.Equal(0, error.Offset);
        Assert.Contains("segment is missing", error.Message);
    }

    [Fact]
    public async Task CorruptSnapshot_WithoutTheLogItReplaced_StopsStartUp_NamingTheSnapshot()
    {
        await using (var store = await StoreFactory.OpenAsync(_folder.Path, snapshotOnDispose: true))
        {
            await store.CommitAsync(new StoreTransaction().Put("k/1", Utf8("v1")));
        }

        var snapshot = new DataFolderLayout(_folder.Path).ListSnapshots().Single().Path;
        var bytes = File.ReadAllBytes(snapshot);
        bytes[^1] ^= 0x40;
        File.WriteAllBytes(snapshot, bytes);

        var error = await Assert.ThrowsAsync<StoreCorruptedException>(() => StoreFactory.OpenAsync(_folder.Path));
        Assert.Equal(snapshot, error.FilePath);
        Assert.Equal(SnapshotHeader.Size, error.Offset);
    }

    [Fact]
    public async Task CorruptSnapshot_StillCoveredByTheLog_IsSkippedWithAWarning()
    {
        await CommitAsync(3);
        var layout = new DataFolderLayout(_folder.Path);
        var log = File.ReadAllBytes(layout.SegmentPath(1));
        await using (var store = await StoreFactory.OpenAsync(_folder.Path))
        {
            await store.SnapshotAsync();
            await store.CommitAsync(new StoreTransaction().Put("k/4", Utf8("v4")));
        }

        // As if the crash came after the snapshot rename but before the old segment was deleted, and the snapshot then rotted.
        File.WriteAllBytes(layout.SegmentPath(1), log);
        var snapshot = layout.SnapshotPath(3);
        var bytes = File.ReadAllBytes(snapshot);
        bytes[20] ^= 0x01;
        File.WriteAllBytes(snapshot, bytes);

        var logger = new ListLogger();
        await using var reopened = await EmbeddedResourceStore.OpenAsync(StoreFactory.Options(_folder.Path), logger);
        Assert.Equal(4, reopened.Revision);
        Assert.Equal(["k/1", "k/2", "k/3", "k/4"], (await reopened.ListAsync("k/")).Select(e => e.Key));
        Assert.Contains(logger.Entries, e => e.EventId.Id == 3 && e.Message.Contains(snapshot));
    }

    [Fact]
    public async Task LeftoverSnapshotLog_IsIgnoredAndRemoved()
    {
        await CommitAsync(3);
        var layout = new DataFolderLayout(_folder.Path);
        var log = File.ReadAllBytes(layout.SegmentPath(1));
        await using (var store = await StoreFactory.OpenAsync(_folder.Path))
        {
            await store.SnapshotAsync();
        }

        File.WriteAllBytes(layout.SegmentPath(1), log);
        File.WriteAllBytes(layout.SnapshotPath(9) + DataFolderLayout.TemporarySuffix, [1, 2, 3]);

        await using var reopened = await StoreFactory.OpenAsync(_folder.Path);
        Assert.Equal(3, reopened.Revision);
        Assert.False(File.Exists(layout.SegmentPath(1)));
        Assert.Empty(layout.ListTemporaryFiles());
    }

    [Fact]
    public async Task BatchedMode_KeepsEveryCommitAcrossACleanStop()
    {
        var options = StoreFactory.Options(_folder.Path);
        options.SyncMode = WalSyncMode.Batched;
        options.BatchedSyncInterval = TimeSpan.FromSeconds(30);
        await using (var store = await EmbeddedResourceStore.OpenAsync(options))
        {
            await Task.WhenAll(Enumerable.Range(1, 20).Select(i => store.CommitAsync(new StoreTransaction().Put("k/" + i, Utf8("v"))).AsTask()));
        }

        await using var reopened = await StoreFactory.OpenAsync(_folder.Path);
        Assert.Equal(20, reopened.Revision);
        Assert.Equal(20, (await reopened.ListAsync("k/")).Count);
    }

    [Fact]
    public async Task ConcurrentCommits_ShareFlushes()
    {
        await using (var store = await StoreFactory.OpenAsync(_folder.Path))
        {
            await Task.WhenAll(Enumerable.Range(1, 64).Select(i => store.CommitAsync(new StoreTransaction().Put("k/" + i, Utf8("v"))).AsTask()));
        }

        var (baseRevision, path) = new DataFolderLayout(_folder.Path).ListSegments().Single();
        var records = WalSegmentReader.Read(path, File.ReadAllBytes(path), baseRevision, isNewestSegment: true).Records;
        Assert.Equal(64, records.Count);
        Assert.Equal(Enumerable.Range(1, 64).Select(i => (long)i), records.Select(r => r.Revision));
    }

    [Fact]
    public async Task Commit_AfterDispose_ThrowsObjectDisposed_AndWatchersEnd()
    {
        var store = await StoreFactory.OpenAsync(_folder.Path);
        var watching = TakeAsync(store, 0, 1);
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.CommitAsync(new StoreTransaction().Put("k/1", Utf8("v"))));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => watching);
        await store.DisposeAsync(); // idempotent
    }

    [Fact]
    public async Task KeyThatIsNotValidUnicode_FailsAlone_AndTheStoreGoesOn()
    {
        await using var store = await StoreFactory.OpenAsync(_folder.Path);
        var good = store.CommitAsync(new StoreTransaction().Put("k/1", Utf8("v1")));
        var bad = store.CommitAsync(new StoreTransaction().Put("k/\ud800", Utf8("lone surrogate")));

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await bad);
        Assert.Equal(1, (await good).Revision);
        Assert.Equal(2, (await store.CommitAsync(new StoreTransaction().Put("k/2", Utf8("v2")))).Revision);
        Assert.Equal(["k/1", "k/2"], (await store.ListAsync("k/")).Select(e => e.Key));
    }

    [Fact]
    public async Task FailedFlush_FailsTheBatch_StopsCommits_AndKeepsReadsAndEarlierData()
    {
        await using (var store = await StoreFactory.OpenAsync(_folder.Path))
        {
            await store.CommitAsync(new StoreTransaction().Put("k/1", Utf8("v1")));
            ((EmbeddedStore)store).BeforeFlush = () => throw new IOException("simulated: no space left on device");

            var failed = await Assert.ThrowsAsync<IOException>(async () => await store.CommitAsync(new StoreTransaction().Put("k/2", Utf8("v2"))));
            Assert.Equal("simulated: no space left on device", failed.Message);
            var rejected = await Assert.ThrowsAsync<IOException>(async () => await store.CommitAsync(new StoreTransaction().Put("k/3", Utf8("v3"))));
            Assert.Contains("reopen", rejected.Message);
            Assert.Same(failed, rejected.InnerException);

            Assert.Equal(1, store.Revision);
            Assert.Null(await store.GetAsync("k/2"));
        }

        await using var reopened = await StoreFactory.OpenAsync(_folder.Path);
        Assert.Equal(1, reopened.Revision);
        Assert.Equal(["k/1"], (await reopened.ListAsync("k/")).Select(e => e.Key));
        Assert.Equal(2, (await reopened.CommitAsync(new StoreTransaction().Put("k/2", Utf8("again")))).Revision);
    }

    [Fact]
    public async Task InvalidOptions_AreRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => EmbeddedResourceStore.OpenAsync(new EmbeddedStoreOptions()));
        await Assert.ThrowsAsync<ArgumentException>(() => EmbeddedResourceStore.OpenAsync(new EmbeddedStoreOptions { DataFolder = _folder.Path, RetainedChanges = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => EmbeddedResourceStore.OpenAsync(new EmbeddedStoreOptions { DataFolder = _folder.Path, SnapshotThresholdBytes = 10 }));
    }

    private async Task CommitAsync(int count)
    {
        await using var store = await StoreFactory.OpenAsync(_folder.Path);
        for (var i = 1; i <= count; i++)
        {
            await store.CommitAsync(new StoreTransaction().Put("k/" + i, Utf8("v" + i)));
        }
    }

    private static async Task<List<StoreChange>> TakeAsync(IResourceStore store, long afterRevision, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var changes = new List<StoreChange>();
        await foreach (var change in store.WatchAsync(afterRevision, timeout.Token))
        {
            changes.Add(change);
            if (changes.Count == count)
            {
                break;
            }
        }

        return changes;
    }
}
