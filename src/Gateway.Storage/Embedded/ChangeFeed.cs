using System.Runtime.CompilerServices;
using Gateway.Store;

namespace Gateway.Storage.Embedded;

/// <summary>
/// The newest committed changes in a ring indexed by revision, plus a signal that wakes watchers. Changes are
/// contiguous in revision, so the ring needs no search: revision r lives at r mod capacity.
/// </summary>
internal sealed class ChangeFeed
{
    // Bounds the array a watcher copies under the lock; it simply loops for more.
    private const int MaxChangesPerCopy = 512;

    private readonly Lock _sync = new();
    private readonly StoreChange[] _ring;
    private long _oldest;
    private long _newest;
    private bool _closed;
    private TaskCompletionSource _signal = NewSignal();

    /// <summary>Starts with the changes replayed at start-up; anything at or before <paramref name="revision"/> but not replayed is compacted.</summary>
    public ChangeFeed(int capacity, long revision, IReadOnlyList<StoreChange> replayed)
    {
        _ring = new StoreChange[capacity];
        _newest = revision;
        _oldest = revision + 1;
        var start = Math.Max(0, replayed.Count - capacity);
        if (replayed.Count > 0)
        {
            _oldest = replayed[start].Revision;
        }

        for (var i = start; i < replayed.Count; i++)
        {
            _ring[Slot(replayed[i].Revision)] = replayed[i];
        }
    }

    public void Append(List<StoreChange> changes)
    {
        TaskCompletionSource signal;
        lock (_sync)
        {
            foreach (var change in changes)
            {
                _ring[Slot(change.Revision)] = change;
                _newest = change.Revision;
            }

            _oldest = Math.Max(_oldest, _newest - _ring.Length + 1);
            signal = _signal;
            _signal = NewSignal();
        }

        signal.TrySetResult();
    }

    /// <summary>Ends every watch with <see cref="ObjectDisposedException"/>.</summary>
    public void Close()
    {
        TaskCompletionSource signal;
        lock (_sync)
        {
            _closed = true;
            signal = _signal;
        }

        signal.TrySetResult();
    }

    public async IAsyncEnumerable<StoreChange> WatchAsync(long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = Math.Max(afterRevision, 0);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            StoreChange[] pending;
            Task signal;
            lock (_sync)
            {
                ObjectDisposedException.ThrowIf(_closed, typeof(IResourceStore));
                signal = _signal.Task;
                if (next < _newest)
                {
                    if (next + 1 < _oldest)
                    {
                        throw new ChangeFeedCompactedException(next, _oldest);
                    }

                    pending = new StoreChange[(int)Math.Min(_newest - next, MaxChangesPerCopy)];
                    for (var i = 0; i < pending.Length; i++)
                    {
                        pending[i] = _ring[Slot(next + 1 + i)];
                    }
                }
                else
                {
                    pending = [];
                }
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

    private int Slot(long revision) => (int)(revision % _ring.Length);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
