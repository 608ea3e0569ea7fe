using System.Text;
using Gateway.Apig.Common;
using Gateway.Store;

namespace Gateway.Core.Tests.Apig;

public sealed class ResourceWriterTests
{
    [Fact]
    public async Task Concurrent_check_then_write_mutations_never_lose_updates()
    {
        var store = new InMemoryResourceStore();
        var writers = new[] { new ResourceWriter(store), new ResourceWriter(store) }; // two "nodes" on one store
        var tasks = Enumerable.Range(0, 200).Select(i => Task.Run(() => writers[i % 2].MutateAsync("fence", async transaction =>
        {
            var entry = await store.GetAsync("counter");
            var value = entry is null ? 0 : int.Parse(Encoding.UTF8.GetString(entry.Value.Span));
            transaction.Put("counter", Encoding.UTF8.GetBytes((value + 1).ToString()));
            return value;
        }, CancellationToken.None)));
        var seen = await Task.WhenAll(tasks);
        var final = await store.GetAsync("counter");
        Assert.Equal("200", Encoding.UTF8.GetString(final!.Value.Span));
        Assert.Equal(Enumerable.Range(0, 200), seen.Order());
    }

    [Fact]
    public async Task A_mutation_that_writes_nothing_commits_nothing()
    {
        var store = new InMemoryResourceStore();
        var writer = new ResourceWriter(store);
        var result = await writer.MutateAsync("fence", _ => Task.FromResult(42), CancellationToken.None);
        Assert.Equal(42, result);
        Assert.Equal(0, store.Revision);
    }

    [Fact]
    public async Task A_failed_validation_leaves_the_store_untouched()
    {
        var store = new InMemoryResourceStore();
        var writer = new ResourceWriter(store);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.MutateAsync<int>("fence", transaction =>
        {
            transaction.Put("a", new byte[] { 1 });
            throw new InvalidOperationException("validation failed after a write was staged");
        }, CancellationToken.None));
        Assert.Null(await store.GetAsync("a"));
        Assert.Equal(0, store.Revision);
    }
}
