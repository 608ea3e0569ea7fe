namespace Gateway.Store;

/// <summary>
/// A set of conditions and operations applied atomically by <see cref="IResourceStore.CommitAsync"/>.
/// Conditions are checked against the state before the transaction; operations apply in order.
/// </summary>
public sealed class StoreTransaction
{
    private readonly List<StoreCondition> _conditions = [];
    private readonly List<StoreOperation> _operations = [];

    /// <summary>The conditions that must all hold.</summary>
    public IReadOnlyList<StoreCondition> Conditions => _conditions;

    /// <summary>The writes, applied in order.</summary>
    public IReadOnlyList<StoreOperation> Operations => _operations;

    /// <summary>Requires that <paramref name="key"/> does not exist.</summary>
    public StoreTransaction RequireAbsent(string key) => RequireModRevision(key, 0);

    /// <summary>Requires that <paramref name="key"/> was last written at <paramref name="modRevision"/> (0 = absent).</summary>
    public StoreTransaction RequireModRevision(string key, long modRevision)
    {
        _conditions.Add(new StoreCondition(key, modRevision));
        return this;
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="key"/>.</summary>
    public StoreTransaction Put(string key, ReadOnlyMemory<byte> value)
    {
        ValidateKey(key);
        _operations.Add(new StoreOperation(StoreOperationKind.Put, key, value));
        return this;
    }

    /// <summary>Deletes <paramref name="key"/> if it exists.</summary>
    public StoreTransaction Delete(string key)
    {
        ValidateKey(key);
        _operations.Add(new StoreOperation(StoreOperationKind.Delete, key, default));
        return this;
    }

    /// <summary>Deletes every key that starts with <paramref name="prefix"/>.</summary>
    public StoreTransaction DeletePrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        _operations.Add(new StoreOperation(StoreOperationKind.DeletePrefix, prefix, default));
        return this;
    }

    /// <summary>Whether the transaction writes nothing.</summary>
    public bool IsEmpty => _operations.Count == 0;

    private static void ValidateKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key[^1] == '/')
        {
            throw new ArgumentException("A key must not end with '/'.", nameof(key));
        }
    }
}

/// <summary>A transaction condition: the key's modification revision must equal <paramref name="ModRevision"/> (0 = absent).</summary>
/// <param name="Key">The key checked.</param>
/// <param name="ModRevision">The expected modification revision.</param>
public readonly record struct StoreCondition(string Key, long ModRevision);

/// <summary>What a <see cref="StoreOperation"/> does.</summary>
public enum StoreOperationKind
{
    /// <summary>Write a value.</summary>
    Put = 1,

    /// <summary>Delete one key.</summary>
    Delete = 2,

    /// <summary>Delete every key with a prefix.</summary>
    DeletePrefix = 3,
}

/// <summary>One write of a transaction.</summary>
/// <param name="Kind">What the operation does.</param>
/// <param name="Key">The key, or the prefix for <see cref="StoreOperationKind.DeletePrefix"/>.</param>
/// <param name="Value">The value for <see cref="StoreOperationKind.Put"/>.</param>
public readonly record struct StoreOperation(StoreOperationKind Kind, string Key, ReadOnlyMemory<byte> Value);

/// <summary>Helpers for store keys.</summary>
public static class StoreKeys
{
    /// <summary>The collection of a key: everything up to and including its last '/'.</summary>
    public static string CollectionOf(string key)
    {
        var slash = key.LastIndexOf('/');
        return slash < 0 ? string.Empty : key[..(slash + 1)];
    }
}
