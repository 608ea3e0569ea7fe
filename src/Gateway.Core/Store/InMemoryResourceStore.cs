using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace Gateway.Store;

/// <summary>
/// An <see cref="IResourceStore"/> that keeps everything in memory: for tests and ephemeral deployments.
/// Reads are lock-free over an immutable state; commits are serialized.
/// </summary>
public sealed class InMemoryResourceStore : IResourceStore
{
    private readonly Lock _commitLock = new();
    private readonly int _retainedChanges;
    private readonly List<StoreChange> _changes = [];
    private volatile State _state = new(ImmutableDictionary.Create<string, ImmutableSortedDictionary<string, StoreEntry>>(StringComparer.Ordinal), 0);
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Creates an empty store that retains the last <paramref name="retainedChanges"/> commits for watchers.</summary>
    public InMemoryResourceStore(int retainedChanges = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retainedChanges, 1);
        _retainedChanges = retainedChanges;
    }

    /// <inheritdoc />
    public long Revision => _state.Revision;

    /// <inheritdoc />
    public ValueTask<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var state = _state;
        StoreEntry? entry = null;
        if (state.Collections.TryGetValue(StoreKeys.CollectionOf(key), out var collection))
        {
            collection.TryGetValue(key, out entry);
        }

        return ValueTask.FromResult(entry);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoreEntry>> ListAsync(string collection, CancellationToken cancellationToken = default)
    {
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
        TaskCompletionSource signal;
        CommitResult result;
        lock (_commitLock)
        {
            var state = _state;
            foreach (var condition in transaction.Conditions)
            {
                if (ModRevisionOf(state, condition.Key) != condition.ModRevision)
                {
                    return ValueTask.FromResult(new CommitResult(false, state.Revision, condition.Key));
                }
            }

            var (next, change) = Apply(state, transaction.Operations);
            _state = next;
            _changes.Add(change);
            if (_changes.Count > _retainedChanges)
            {
                _changes.RemoveRange(0, _changes.Count - _retainedChanges);
            }

            signal = _changed;
            _changed = NewSignal();
            result = new CommitResult(true, next.Revision, null);
        }

        signal.TrySetResult();
        return ValueTask.FromResult(result);
    }

    /// <summary>
    /// Applies already-validated operations to a state and returns the new state and its change record. Shared with
    /// durable stores that keep the same in-memory index and replay their log through it.
    /// </summary>
    internal static (State Next, StoreChange Change) Apply(State state, IReadOnlyList<StoreOperation> operations)
    {
        var revision = state.Revision + 1;
        var collections = state.Collections.ToBuilder();
        var items = new List<StoreChangeItem>(operations.Count);
        foreach (var operation in operations)
        {
            switch (operation.Kind)
            {
                case StoreOperationKind.Put:
                {
                    var collectionKey = StoreKeys.CollectionOf(operation.Key);
                    var collection = collections.TryGetValue(collectionKey, out var existing)
                        ? existing
                        : ImmutableSortedDictionary.Create<string, StoreEntry>(StringComparer.Ordinal);
                    var createRevision = collection.TryGetValue(operation.Key, out var previous) ? previous.CreateRevision : revision;
                    var value = operation.Value.ToArray();
                    collections[collectionKey] = collection.SetItem(operation.Key, new StoreEntry(operation.Key, value, createRevision, revision));
                    items.Add(new StoreChangeItem(operation.Key, value));
                    break;
                }

                case StoreOperationKind.Delete:
                {
                    var collectionKey = StoreKeys.CollectionOf(operation.Key);
                    if (collections.TryGetValue(collectionKey, out var collection) && collection.ContainsKey(operation.Key))
                    {
                        var remaining = collection.Remove(operation.Key);
                        if (remaining.IsEmpty)
                        {
                            collections.Remove(collectionKey);
                        }
                        else
                        {
                            collections[collectionKey] = remaining;
                        }

                        items.Add(new StoreChangeItem(operation.Key, null));
                    }

                    break;
                }

                case StoreOperationKind.DeletePrefix:
                {
                    var updates = new List<KeyValuePair<string, ImmutableSortedDictionary<string, StoreEntry>>>();
                    foreach (var pair in collections)
                    {
                        // A collection can hold matching keys only if one of the two strings is a prefix of the other.
                        if (!pair.Key.StartsWith(operation.Key, StringComparison.Ordinal) &&
                            !operation.Key.StartsWith(pair.Key, StringComparison.Ordinal))
                        {
                            continue;
                        }

                        var remaining = pair.Value;
                        foreach (var key in pair.Value.Keys)
                        {
                            if (key.StartsWith(operation.Key, StringComparison.Ordinal))
                            {
                                remaining = remaining.Remove(key);
                                items.Add(new StoreChangeItem(key, null));
                            }
                        }

                        if (!ReferenceEquals(remaining, pair.Value))
                        {
                            updates.Add(new(pair.Key, remaining));
                        }
                    }

                    foreach (var update in updates)
                    {
                        if (update.Value.IsEmpty)
                        {
                            collections.Remove(update.Key);
                        }
                        else
                        {
                            collections[update.Key] = update.Value;
                        }
                    }

                    break;
                }

                default:
                    throw new ArgumentOutOfRangeException(nameof(operations), operation.Kind, "Unknown store operation.");
            }
        }

        return (new State(collections.ToImmutable(), revision), new StoreChange(revision, items));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoreChange> WatchAsync(long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = afterRevision;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            StoreChange[] pending;
            Task signal;
            lock (_commitLock)
            {
                signal = _changed.Task;
                if (_changes.Count > 0 && _changes[0].Revision > next + 1)
                {
                    throw new ChangeFeedCompactedException(next, _changes[0].Revision);
                }

                var start = _changes.Count == 0 ? 0 : (int)Math.Max(0, next + 1 - _changes[0].Revision);
                pending = start >= _changes.Count ? [] : _changes.GetRange(start, _changes.Count - start).ToArray();
            }

            foreach (var change in pending)
            {
                yield return change;
                next = change.Revision;
            }

            if (pending.Length == 0)
            {
                await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static long ModRevisionOf(State state, string key) =>
        state.Collections.TryGetValue(StoreKeys.CollectionOf(key), out var collection) && collection.TryGetValue(key, out var entry)
            ? entry.ModRevision
            : 0;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>An immutable view of every collection at one revision.</summary>
    internal sealed record State(ImmutableDictionary<string, ImmutableSortedDictionary<string, StoreEntry>> Collections, long Revision);
}
