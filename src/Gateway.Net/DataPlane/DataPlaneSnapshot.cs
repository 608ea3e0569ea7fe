using Gateway.Net.Routing;

namespace Gateway.Net.DataPlane;

/// <summary>The routes of one group: one trie per environment name.</summary>
internal sealed class CompiledGroup(string id, ByteKeyMap<RouteTrie<CompiledApi>> environments, RouteTrie<CompiledApi>? release, CompiledErrorResponses responses)
{
    public string Id { get; } = id;

    /// <summary>The group's gateway responses, for failures before an API is known (no route).</summary>
    public CompiledErrorResponses Responses { get; } = responses;

    /// <summary>The trie of the environment a request selects with <c>X-Stage</c>; RELEASE when the header is absent.</summary>
    public RouteTrie<CompiledApi>? Find(ReadOnlySpan<byte> stage) => stage.IsEmpty ? release : environments.Find(stage);
}

/// <summary>
/// An immutable, pre-indexed view of one instance's published state. Swapped atomically on every change; a request
/// keeps the snapshot it started with.
/// </summary>
internal sealed class DataPlaneSnapshot(long revision, ByteKeyMap<CompiledGroup> hosts, CompiledGroup? defaultGroup, int apiCount)
{
    public static DataPlaneSnapshot Empty { get; } = new(0, new ByteKeyMap<CompiledGroup>([], ignoreAsciiCase: true), null, 0);

    public long Revision { get; } = revision;

    public int ApiCount { get; } = apiCount;

    public CompiledGroup? DefaultGroup { get; } = defaultGroup;

    /// <summary>The group a Host header (port already removed) names, or the instance's DEFAULT group.</summary>
    public CompiledGroup? FindGroup(ReadOnlySpan<byte> host) => hosts.Find(host) ?? DefaultGroup;
}

/// <summary>Holds the current snapshot; readers take it once per request.</summary>
internal sealed class DataPlaneSnapshotSource
{
    private volatile DataPlaneSnapshot _current = DataPlaneSnapshot.Empty;

    public DataPlaneSnapshot Current => _current;

    public void Publish(DataPlaneSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _current = snapshot;
    }
}
