using FsCheck;
using FsCheck.Fluent;
using Gateway.Storage.Recovery;
using Gateway.Store;

namespace Gateway.Storage.TestSupport;

/// <summary>Generators of commit sequences over a small key space (so updates, deletes and prefixes collide often).</summary>
internal static class Scenario
{
    public static readonly string[] Keys = ["a/1", "a/2", "a/b/1", "b/1", "top"];
    public static readonly string[] Collections = ["", "a/", "a/b/", "b/"];

    public static Gen<StoreOperation> Operation { get; } = Gen.Frequency(
        (6, from key in Gen.Elements(Keys)
            from value in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 24)
            select new StoreOperation(StoreOperationKind.Put, key, value)),
        (2, Gen.Elements(Keys).Select(key => new StoreOperation(StoreOperationKind.Delete, key, default))),
        (1, Gen.Elements("a/", "a/b", "b/").Select(prefix => new StoreOperation(StoreOperationKind.DeletePrefix, prefix, default))));

    public static Gen<StoreOperation[]> Transaction { get; } =
        Gen.Choose(1, 3).SelectMany(count => Gen.ArrayOf(Operation, count));

    public static Gen<StoreOperation[][]> Commits(int min, int max) =>
        Gen.Choose(min, max).SelectMany(count => Gen.ArrayOf(Transaction, count));

    public static StoreTransaction ToTransaction(StoreOperation[] operations)
    {
        var transaction = new StoreTransaction();
        foreach (var operation in operations)
        {
            _ = operation.Kind switch
            {
                StoreOperationKind.Put => transaction.Put(operation.Key, operation.Value),
                StoreOperationKind.Delete => transaction.Delete(operation.Key),
                _ => transaction.DeletePrefix(operation.Key),
            };
        }

        return transaction;
    }

    /// <summary>Commits every transaction and returns the model state after each (index 0 = empty).</summary>
    public static async Task<List<InMemoryResourceStore.State>> CommitAllAsync(IResourceStore store, StoreOperation[][] commits)
    {
        var states = new List<InMemoryResourceStore.State> { StoreRecovery.EmptyState };
        foreach (var operations in commits)
        {
            var result = await store.CommitAsync(ToTransaction(operations));
            if (!result.Succeeded || result.Revision != states.Count)
            {
                throw new InvalidOperationException($"Commit {states.Count} returned {result}.");
            }

            states.Add(InMemoryResourceStore.Apply(states[^1], operations).Next);
        }

        return states;
    }
}
