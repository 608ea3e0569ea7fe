namespace Gateway.Net.Timing;

/// <summary>Work that runs once per <see cref="Heartbeat"/> tick (idle eviction, housekeeping).</summary>
internal interface IHeartbeatHandler
{
    /// <summary>Called on the heartbeat thread with the heartbeat clock's current timestamp. Must not block for long.</summary>
    void OnHeartbeat(long timestamp);
}
