namespace Gateway.Net.Health;

/// <summary>A member's observed health, to be written to its stored record.</summary>
internal readonly record struct HealthStatusRecord(string InstanceId, string MemberId, bool Healthy);

/// <summary>
/// Health states waiting to be written back to the store. Posting never blocks (probes and request paths post); only
/// the latest state of a member is kept, so a writer that falls behind writes each member once.
/// </summary>
internal sealed class HealthStatusOutbox
{
    private readonly Lock _gate = new();
    private Dictionary<(string Instance, string Member), bool> _pending = [];
    private TaskCompletionSource _posted = NewSignal();

    /// <summary>States waiting.</summary>
    public int Count
    {
        get { lock (_gate) { return _pending.Count; } }
    }

    public void Post(string instanceId, string memberId, bool healthy)
    {
        lock (_gate)
        {
            _pending[(instanceId, memberId)] = healthy;
            _posted.TrySetResult();
        }
    }

    /// <summary>Puts back states whose write failed, unless a newer state was posted meanwhile.</summary>
    public void Return(IEnumerable<HealthStatusRecord> records)
    {
        lock (_gate)
        {
            foreach (var record in records)
            {
                _pending.TryAdd((record.InstanceId, record.MemberId), record.Healthy);
            }

            if (_pending.Count > 0)
            {
                _posted.TrySetResult();
            }
        }
    }

    /// <summary>Completes when something is waiting.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_pending.Count > 0)
            {
                return Task.CompletedTask;
            }

            if (_posted.Task.IsCompleted)
            {
                _posted = NewSignal();
            }

            return _posted.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Takes everything waiting.</summary>
    public List<HealthStatusRecord> Drain()
    {
        Dictionary<(string Instance, string Member), bool> taken;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return [];
            }

            taken = _pending;
            _pending = [];
        }

        var records = new List<HealthStatusRecord>(taken.Count);
        foreach (var (key, healthy) in taken)
        {
            records.Add(new HealthStatusRecord(key.Instance, key.Member, healthy));
        }

        return records;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
