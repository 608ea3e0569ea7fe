namespace Gateway.Store;

/// <summary>
/// The single source of truth for resources: a key/value store with conditional transactions, a monotonically
/// increasing revision per commit and an ordered change feed.
/// </summary>
/// <remarks>
/// Keys are '/'-separated paths. The collection of a key is everything up to and including its last '/';
/// <see cref="ListAsync"/> returns the direct members of one collection.
/// </remarks>
public interface IResourceStore
{
    /// <summary>The revision of the newest commit (0 when nothing was ever committed).</summary>
    long Revision { get; }

    /// <summary>Reads one entry, or <c>null</c> when the key does not exist.</summary>
    ValueTask<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Lists the entries of one collection (a key prefix ending in '/'), ordered by key.</summary>
    ValueTask<IReadOnlyList<StoreEntry>> ListAsync(string collection, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies the transaction atomically if all its conditions hold. A successful commit gets the next revision and is
    /// durable (as far as the store promises durability) when the returned task completes.
    /// </summary>
    ValueTask<CommitResult> CommitAsync(StoreTransaction transaction, CancellationToken cancellationToken = default);

    /// <summary>Streams every commit after <paramref name="afterRevision"/>, in revision order, then waits for new ones.</summary>
    IAsyncEnumerable<StoreChange> WatchAsync(long afterRevision, CancellationToken cancellationToken = default);
}

/// <summary>One stored value with the revisions that created and last modified it.</summary>
/// <param name="Key">The full key.</param>
/// <param name="Value">The stored bytes (UTF-8 JSON for resources).</param>
/// <param name="CreateRevision">The revision of the commit that created the key.</param>
/// <param name="ModRevision">The revision of the commit that last wrote the key.</param>
public sealed record StoreEntry(string Key, ReadOnlyMemory<byte> Value, long CreateRevision, long ModRevision);

/// <summary>The outcome of <see cref="IResourceStore.CommitAsync"/>.</summary>
/// <param name="Succeeded">Whether all conditions held and the operations were applied.</param>
/// <param name="Revision">The revision of the commit when it succeeded; otherwise the store's current revision.</param>
/// <param name="FailedKey">The key of the first condition that did not hold.</param>
public readonly record struct CommitResult(bool Succeeded, long Revision, string? FailedKey);

/// <summary>One committed transaction as seen by the change feed.</summary>
/// <param name="Revision">The commit's revision.</param>
/// <param name="Items">The keys written or deleted, in the order the transaction applied them.</param>
public sealed record StoreChange(long Revision, IReadOnlyList<StoreChangeItem> Items);

/// <summary>One key written (<paramref name="Value"/> set) or deleted (<paramref name="Value"/> null) by a commit.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The new value, or null for a deletion.</param>
public sealed record StoreChangeItem(string Key, ReadOnlyMemory<byte>? Value);

/// <summary>Thrown by <see cref="IResourceStore.WatchAsync"/> when the requested revision is no longer retained.</summary>
public sealed class ChangeFeedCompactedException(long requested, long oldestRetained)
    : Exception($"Revision {requested} is older than the oldest retained change ({oldestRetained}); reload the full state.")
{
    /// <summary>The oldest revision the feed can still replay from.</summary>
    public long OldestRetained { get; } = oldestRetained;
}
