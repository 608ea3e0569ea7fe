using Gateway.Store;
using static Gateway.Storage.TestSupport.StoreContents;

namespace Gateway.Storage.Conformance.Tests;

/// <summary>
/// The behaviour every <see cref="IResourceStore"/> must share. Each concrete store runs the whole suite through a
/// subclass that supplies <see cref="CreateStoreAsync"/>.
/// </summary>
public abstract class ResourceStoreConformanceTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private IResourceStore? _store;

    protected IResourceStore Store => _store ?? throw new InvalidOperationException("The store is not created yet.");

    /// <summary>Creates an empty store for one test.</summary>
    protected abstract Task<IResourceStore> CreateStoreAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> created, after the store is disposed.</summary>
    protected virtual void Cleanup()
    {
    }

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        Cleanup();
    }

    [Fact]
    public async Task NewStore_IsEmptyAtRevisionZero()
    {
        Assert.Equal(0, Store.Revision);
        Assert.Null(await Store.GetAsync("apis/a"));
        Assert.Empty(await Store.ListAsync("apis/"));
    }

    [Fact]
    public async Task Put_ThenGet_ReturnsValueAndRevisions()
    {
        var result = await Store.CommitAsync(new StoreTransaction().Put("apis/a", Utf8("one")));

        Assert.True(result.Succeeded);
        Assert.Equal(1, result.Revision);
        Assert.Null(result.FailedKey);
        var entry = await Store.GetAsync("apis/a");
        Assert.NotNull(entry);
        Assert.Equal("apis/a", entry.Key);
        Assert.Equal("one", Text(entry.Value));
        Assert.Equal(1, entry.CreateRevision);
        Assert.Equal(1, entry.ModRevision);
        Assert.Equal(1, Store.Revision);
    }

    [Fact]
    public async Task Update_KeepsCreateRevision_AndMovesModRevision()
    {
        await Store.CommitAsync(new StoreTransaction().Put("apis/a", Utf8("one")));
        await Store.CommitAsync(new StoreTransaction().Put("apis/b", Utf8("other")));
        await Store.CommitAsync(new StoreTransaction().Put("apis/a", Utf8("two")));

        var entry = await Store.GetAsync("apis/a");
        Assert.NotNull(entry);
        Assert.Equal("two", Text(entry.Value));
        Assert.Equal(1, entry.CreateRevision);
        Assert.Equal(3, entry.ModRevision);
    }

    [Fact]
    public async Task Recreate_AfterDelete_GetsNewCreateRevision()
    {
        await Store.CommitAsync(new StoreTransaction().Put("apis/a", Utf8("one")));
        await Store.CommitAsync(new StoreTransaction().Delete("apis/a"));
        await Store.CommitAsync(new StoreTransaction().Put("apis/a", Utf8("again")));

        var entry = await Store.GetAsync("apis/a");
        Assert.NotNull(entry);
        Assert.Equal(3, entry.CreateRevision);
        Assert.Equal(3, entry.ModRevision);
    }

    [Fact]
    public async Task List_ReturnsDirectMembersOfOneCollection_OrderedByKey()
    {
        await Store.CommitAsync(new StoreTransaction()
            .Put("apis/c", Utf8("3"))
            .Put("apis/a", Utf8("1"))
            .Put("apis/b", Utf8("2"))
            .Put("apis/a/versions/v1", Utf8("nested"))
            .Put("groups/a", Utf8("elsewhere")));

        var apis = await Store.ListAsync("apis/");
        Assert.Equal(["apis/a", "apis/b", "apis/c"], apis.Select(e => e.Key));
        Assert.Equal(["apis/a/versions/v1"], (await Store.ListAsync("apis/a/versions/")).Select(e => e.Key));
        Assert.Empty(await Store.ListAsync("apis"));
        Assert.Empty(await Store.ListAsync("missing/"));
    }

    [Fact]
    public async Task Delete_RemovesOnlyThatKey()
    {
        await Store.CommitAsync(new StoreTransaction().Put("apis/a", Utf8("1")).Put("apis/b", Utf8("2")));
        var result = await Store.CommitAsync(new StoreTransaction().Delete("apis/a"));

        Assert.True(result.Succeeded);
        Assert.Null(await Store.GetAsync("apis/a"));
        Assert.Equal(["apis/b"], (await Store.ListAsync("apis/")).Select(e => e.Key));
    }

    [Fact]
    public async Task DeletePrefix_RemovesEveryKeyWithThePrefix_InAllCollections()
    {
        await Store.CommitAsync(new StoreTransaction()
            .Put("apis/a", Utf8("1"))
            .Put("apis/a/versions/v1", Utf8("2"))
            .Put("apis/a/versions/v2", Utf8("3"))
            .Put("apis/ab", Utf8("4"))
            .Put("apis/b", Utf8("5")));

        await Store.CommitAsync(new StoreTransaction().DeletePrefix("apis/a"));

        Assert.Equal(["apis/b"], (await Store.ListAsync("apis/")).Select(e => e.Key));
        Assert.Empty(await Store.ListAsync("apis/a/versions/"));
    }

    [Fact]
    public async Task RequireAbsent_OnExistingKey_FailsAndWritesNothing()
    {
        await Store.CommitAsync(new StoreTransaction().Put("apis/a", Utf8("1")));

        var result = await Store.CommitAsync(new StoreTransaction()
            .RequireAbsent("apis/b")
            .RequireAbsent("apis/a")
            .Put("apis/a", Utf8("overwritten"))
            .Put("apis/c", Utf8("new")));

        Assert.False(result.Succeeded);
        Assert.Equal("apis/a", result.FailedKey);
        Assert.Equal(1, result.Revision);
        Assert.Equal(1, Store.Revision);
        Assert.Equal("1", Text((await Store.GetAsync("apis/a"))!.Value));
        Assert.Null(await Store.GetAsync("apis/c"));
    }

    [Fact]
    public async Task RequireAbsent_OnMissingKey_Succeeds()
    {
        var result = await Store.CommitAsync(new StoreTransaction().RequireAbsent("apis/a").Put("apis/a", Utf8("1")));

        Assert.True(result.Succeeded);
        Assert.Equal(1, result.Revision);
    }

    [Fact]
    public async Task RequireModRevision_MatchesOnlyTheLastWrite()
    {
        await Store.CommitAsync(new StoreTransaction().Put("apis/a", Utf8("1")));
        await Store.CommitAsync(new StoreTransaction().Put("apis/a", Utf8("2")));

        var stale = await Store.CommitAsync(new StoreTransaction().RequireModRevision("apis/a", 1).Put("apis/a", Utf8("stale")));
        var current = await Store.CommitAsync(new StoreTransaction().RequireModRevision("apis/a", 2).Put("apis/a", Utf8("fresh")));

        Assert.False(stale.Succeeded);
        Assert.Equal("apis/a", stale.FailedKey);
        Assert.True(current.Succeeded);
        Assert.Equal(3, current.Revision);
        Assert.Equal("fresh", Text((await Store.GetAsync("apis/a"))!.Value));
    }

    [Fact]
    public async Task Revisions_IncreaseByOnePerSuccessfulCommit()
    {
        var revisions = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            var transaction = i % 3 == 2
                ? new StoreTransaction().Delete("apis/k" + (i - 1))
                : new StoreTransaction().Put("apis/k" + i, Utf8(i.ToString()));
            revisions.Add((await Store.CommitAsync(transaction)).Revision);
            await Store.CommitAsync(new StoreTransaction().RequireAbsent("apis/k0").Put("apis/never", Utf8("x"))); // fails from i = 0 on
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), revisions);
        Assert.Equal(10, Store.Revision);
        Assert.Null(await Store.GetAsync("apis/never"));
    }

    [Fact]
    public async Task MultiOperationCommit_IsOneRevision_WithItemsInOrder()
    {
        await Store.CommitAsync(new StoreTransaction().Put("apis/x", Utf8("x")));
        var result = await Store.CommitAsync(new StoreTransaction()
            .Put("apis/a", Utf8("1"))
            .Delete("apis/x")
            .Put("groups/g", Utf8("2")));

        Assert.Equal(2, result.Revision);
        var change = await FirstChangesAsync(1, 1);
        Assert.Equal(2, change[0].Revision);
        Assert.Equal(["apis/a", "apis/x", "groups/g"], change[0].Items.Select(i => i.Key));
        Assert.Null(change[0].Items[1].Value);
        Assert.Equal("2", Text(change[0].Items[2].Value!.Value));
    }

    [Fact]
    public async Task Watch_FromZero_ReplaysEveryCommitInOrder_WithContent()
    {
        await Store.CommitAsync(new StoreTransaction().Put("apis/a", Utf8("1")));
        await Store.CommitAsync(new StoreTransaction().Put("apis/b", Utf8("2")));
        await Store.CommitAsync(new StoreTransaction().RequireAbsent("apis/a").Put("apis/c", Utf8("no"))); // fails: not in the feed
        await Store.CommitAsync(new StoreTransaction().Delete("apis/a"));
        await Store.CommitAsync(new StoreTransaction().Put("apis/b", Utf8("3")));

        var changes = await FirstChangesAsync(0, 4);

        Assert.Equal([1L, 2, 3, 4], changes.Select(c => c.Revision));
        Assert.Equal("apis/a", changes[0].Items.Single().Key);
        Assert.Equal("1", Text(changes[0].Items.Single().Value!.Value));
        Assert.Equal("apis/a", changes[2].Items.Single().Key);
        Assert.Null(changes[2].Items.Single().Value);
        Assert.Equal("3", Text(changes[3].Items.Single().Value!.Value));
    }

    [Fact]
    public async Task Watch_FromTheMiddle_StartsAfterThatRevision()
    {
        for (var i = 1; i <= 6; i++)
        {
            await Store.CommitAsync(new StoreTransaction().Put("apis/k" + i, Utf8(i.ToString())));
        }

        var changes = await FirstChangesAsync(3, 3);

        Assert.Equal([4L, 5, 6], changes.Select(c => c.Revision));
        Assert.Equal(["apis/k4", "apis/k5", "apis/k6"], changes.Select(c => c.Items.Single().Key));
    }

    [Fact]
    public async Task Watch_WaitsForCommitsMadeAfterItStarted()
    {
        await Store.CommitAsync(new StoreTransaction().Put("apis/a", Utf8("1")));
        using var timeout = new CancellationTokenSource(Patience);
        await using var watch = Store.WatchAsync(1, timeout.Token).GetAsyncEnumerator(timeout.Token);

        var next = watch.MoveNextAsync().AsTask();
        Assert.False(next.IsCompleted);
        await Store.CommitAsync(new StoreTransaction().Put("apis/b", Utf8("2")));

        Assert.True(await next);
        Assert.Equal(2, watch.Current.Revision);
        Assert.Equal("apis/b", watch.Current.Items.Single().Key);
    }

    [Fact]
    public async Task Watch_Canceled_Stops()
    {
        using var cancel = new CancellationTokenSource();
        await using var watch = Store.WatchAsync(0, cancel.Token).GetAsyncEnumerator(cancel.Token);
        var next = watch.MoveNextAsync().AsTask();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    [Fact]
    public async Task Commit_WithCanceledToken_Throws_AndWritesNothing()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Store.CommitAsync(new StoreTransaction().Put("apis/a", Utf8("1")), cancel.Token));
        Assert.Equal(0, Store.Revision);
    }

    [Fact]
    public async Task ConcurrentConditionalIncrements_AreExact_AndRevisionsContiguous()
    {
        const int writers = 8;
        const int increments = 50;
        await Store.CommitAsync(new StoreTransaction().Put("counters/c", Utf8("0")));

        var revisions = new System.Collections.Concurrent.ConcurrentBag<long>();
        var tasks = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < increments; i++)
            {
                while (true)
                {
                    var current = (await Store.GetAsync("counters/c"))!;
                    var value = int.Parse(Text(current.Value));
                    var result = await Store.CommitAsync(new StoreTransaction()
                        .RequireModRevision("counters/c", current.ModRevision)
                        .Put("counters/c", Utf8((value + 1).ToString())));
                    if (result.Succeeded)
                    {
                        revisions.Add(result.Revision);
                        break;
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks).WaitAsync(Patience);

        Assert.Equal((writers * increments).ToString(), Text((await Store.GetAsync("counters/c"))!.Value));
        Assert.Equal(Enumerable.Range(2, writers * increments).Select(i => (long)i), revisions.Order());
        Assert.Equal(1 + (writers * increments), Store.Revision);
        var feed = await FirstChangesAsync(0, 1 + (writers * increments));
        Assert.Equal(Enumerable.Range(1, 1 + (writers * increments)).Select(i => (long)i), feed.Select(c => c.Revision));
        Assert.Equal(Enumerable.Range(0, 1 + (writers * increments)).Select(i => i.ToString()), feed.Select(c => Text(c.Items.Single().Value!.Value)));
    }

    private async Task<List<StoreChange>> FirstChangesAsync(long afterRevision, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var changes = new List<StoreChange>();
        await foreach (var change in Store.WatchAsync(afterRevision, timeout.Token))
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
