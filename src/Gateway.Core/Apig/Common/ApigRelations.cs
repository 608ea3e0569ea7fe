using Gateway.Store;

namespace Gateway.Apig.Common;

/// <summary>Which resource an owned collection's entries belong to.</summary>
internal enum ApigOwner
{
    /// <summary>Entries carry a top-level <c>api_id</c> and are deleted with that API.</summary>
    Api,

    /// <summary>Entries carry a top-level <c>group_id</c> and are deleted with that group.</summary>
    Group,

    /// <summary>Entries carry a top-level <c>env_id</c> and are deleted with that environment.</summary>
    Environment,
}

/// <summary>
/// Registers an instance-scoped collection whose entries go with their owner (bindings go with their API, gateway
/// responses with their group...). Families register these in DI so the owner's manager needs no knowledge of them.
/// </summary>
/// <param name="Owner">What owns the entries.</param>
/// <param name="Collection">The collection of an instance, from its id.</param>
internal sealed record ApigOwnedCollection(ApigOwner Owner, Func<string, string> Collection);

/// <summary>Deletes everything a deleted API, group or environment owns, inside the same transaction.</summary>
internal sealed class ApigRelations(IEnumerable<ApigOwnedCollection> owned)
{
    private readonly ApigOwnedCollection[] _owned = [.. owned];

    public static ApigRelations None { get; } = new([]);

    public async Task DeleteOwnedAsync(IResourceStore store, StoreTransaction transaction, string instanceId, ApigOwner owner, string ownerId, CancellationToken cancellationToken)
    {
        var property = owner switch
        {
            ApigOwner.Api => "api_id"u8.ToArray(),
            ApigOwner.Group => "group_id"u8.ToArray(),
            _ => "env_id"u8.ToArray(),
        };
        foreach (var registration in _owned)
        {
            if (registration.Owner != owner)
            {
                continue;
            }

            foreach (var entry in await store.ListAsync(registration.Collection(instanceId), cancellationToken).ConfigureAwait(false))
            {
                if (JsonProbe.ReadString(entry.Value.Span, property) == ownerId)
                {
                    transaction.Delete(entry.Key);
                }
            }
        }
    }
}
