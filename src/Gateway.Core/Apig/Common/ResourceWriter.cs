using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Errors;
using Gateway.Store;

namespace Gateway.Apig.Common;

/// <summary>
/// Runs a manager mutation as check-then-commit under a fence key: the commit only succeeds if nobody else wrote the
/// fence since the checks read the state, so validations (uniqueness, references) hold at commit time even across
/// nodes sharing a store. Conflicts rebuild the transaction from fresh state.
/// </summary>
internal sealed class ResourceWriter(IResourceStore store, ApigRelations? relations = null)
{
    private const int MaxAttempts = 64;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public IResourceStore Store => store;

    /// <summary>The collections owned by APIs, groups and environments, deleted with them.</summary>
    public ApigRelations Relations { get; } = relations ?? ApigRelations.None;

    public Task DeleteOwnedAsync(StoreTransaction transaction, string instanceId, ApigOwner owner, string ownerId, CancellationToken cancellationToken) =>
        Relations.DeleteOwnedAsync(store, transaction, instanceId, owner, ownerId, cancellationToken);

    public async Task<T> MutateAsync<T>(string fenceKey, Func<StoreTransaction, Task<T>> build, CancellationToken cancellationToken)
    {
        // The in-process gate turns same-node contention into queueing instead of commit retries.
        var gate = _gates.GetOrAdd(fenceKey, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var fence = await store.GetAsync(fenceKey, cancellationToken).ConfigureAwait(false);
                var transaction = new StoreTransaction().RequireModRevision(fenceKey, fence?.ModRevision ?? 0);
                var result = await build(transaction).ConfigureAwait(false);
                if (transaction.IsEmpty)
                {
                    return result;
                }

                transaction.Put(fenceKey, Array.Empty<byte>());
                var commit = await store.CommitAsync(transaction, cancellationToken).ConfigureAwait(false);
                if (commit.Succeeded)
                {
                    return result;
                }
            }

            throw new ApiErrorException(500, "APIG.9008", "Too many requests. Try again later.");
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<T?> ReadAsync<T>(string key, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var entry = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : JsonSerializer.Deserialize(entry.Value.Span, type);
    }

    public async Task<List<T>> ListAsync<T>(string collection, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var entries = await store.ListAsync(collection, cancellationToken).ConfigureAwait(false);
        var items = new List<T>(entries.Count);
        foreach (var entry in entries)
        {
            items.Add(JsonSerializer.Deserialize(entry.Value.Span, type)!);
        }

        return items;
    }

    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);
}
