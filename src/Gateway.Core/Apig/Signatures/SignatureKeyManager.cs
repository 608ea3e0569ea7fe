using Gateway.Apig.Common;
using Gateway.Apig.Instances;

namespace Gateway.Apig.Signatures;

/// <summary>
/// 3.6 signature keys: the keys the gateway signs backend requests with. Names are unique per instance. Deleting a key
/// deletes its bindings. The <c>public_key</c> type is always available (instance features are not modelled, so the
/// feature it depends on counts as enabled and APIG.3548 is never returned).
/// </summary>
internal sealed class SignatureKeyManager(ResourceWriter writer, TimeProvider time)
{
    public Task<SignatureKey> CreateAsync(ApigScope scope, SignatureKeyRequest request, CancellationToken cancellationToken)
    {
        var definition = SignatureKeyRules.Validate(request);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            EnsureNameFree(await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false), definition.Name, exceptId: null);
            var timestamp = ApigClock.Timestamp(time);
            var key = new SignatureKey
            {
                Id = ApigClock.NewId(),
                Name = definition.Name,
                SignType = definition.SignType,
                SignKey = definition.SignKey,
                SignSecret = definition.SignSecret,
                SignAlgorithm = definition.SignAlgorithm,
                CreateTime = timestamp,
                UpdateTime = timestamp,
            };
            transaction.Put(SignatureStoreKeys.Sign(scope.InstanceId, key.Id), ResourceWriter.Serialize(key, SignatureJsonContext.Default.SignatureKey));
            return key;
        }, cancellationToken);
    }

    /// <summary>
    /// Replaces the key's definition. As on create, an omitted sign_key or sign_secret is generated anew (the documented
    /// behaviour); clients that want to keep them send them back.
    /// </summary>
    public Task<SignatureKey> UpdateAsync(ApigScope scope, string signId, SignatureKeyRequest request, CancellationToken cancellationToken)
    {
        var definition = SignatureKeyRules.Validate(request);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var existing = await GetAsync(scope, signId, cancellationToken).ConfigureAwait(false);
            EnsureNameFree(await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false), definition.Name, exceptId: signId);
            var updated = existing with
            {
                Name = definition.Name,
                SignType = definition.SignType,
                SignKey = definition.SignKey,
                SignSecret = definition.SignSecret,
                SignAlgorithm = definition.SignAlgorithm,
                UpdateTime = ApigClock.Timestamp(time),
            };
            transaction.Put(SignatureStoreKeys.Sign(scope.InstanceId, signId), ResourceWriter.Serialize(updated, SignatureJsonContext.Default.SignatureKey));
            return updated;
        }, cancellationToken);
    }

    /// <summary>Deletes the key and every binding of it.</summary>
    public Task DeleteAsync(ApigScope scope, string signId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await GetAsync(scope, signId, cancellationToken).ConfigureAwait(false);
            transaction.Delete(SignatureStoreKeys.Sign(scope.InstanceId, signId));
            foreach (var entry in await writer.Store.ListAsync(SignatureStoreKeys.Bindings(scope.InstanceId), cancellationToken).ConfigureAwait(false))
            {
                if (JsonProbe.ReadString(entry.Value.Span, "sign_id"u8) == signId)
                {
                    transaction.Delete(entry.Key);
                }
            }

            return true;
        }, cancellationToken);

    public async Task<SignatureKey> GetAsync(ApigScope scope, string signId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(SignatureStoreKeys.Sign(scope.InstanceId, signId), SignatureJsonContext.Default.SignatureKey, cancellationToken).ConfigureAwait(false)
            ?? throw SignatureErrors.KeyNotFound(signId);
    }

    /// <summary>3.6.4: keys oldest first, each with the number of APIs (publications) it is bound to.</summary>
    public async Task<SignatureKeyList> ListAsync(ApigScope scope, SignatureKeyListFilter filter, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var precise = NameFilter.IsPrecise(filter.PreciseSearch, "name");
        var matching = new List<SignatureKey>();
        foreach (var key in await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false))
        {
            if ((string.IsNullOrEmpty(filter.Id) || key.Id == filter.Id) && NameFilter.Matches(key.Name, filter.Name, precise))
            {
                matching.Add(key);
            }
        }

        var page = filter.Page.Apply(matching);
        var bindings = await SignBindingManager.LoadEffectiveBindingsAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var items = new List<SignatureKey>(page.Items.Count);
        foreach (var key in page.Items)
        {
            items.Add(key with { BindNum = bindings.Count(binding => binding.SignId == key.Id), LdapiBindNum = 0 });
        }

        return new SignatureKeyList(page.Size, page.Total, items);
    }

    public async Task<List<SignatureKey>> ListAllAsync(string instanceId, CancellationToken cancellationToken)
    {
        var keys = await writer.ListAsync(SignatureStoreKeys.Signs(instanceId), SignatureJsonContext.Default.SignatureKey, cancellationToken).ConfigureAwait(false);
        keys.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.CreateTime, b.CreateTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return keys;
    }

    private static void EnsureNameFree(List<SignatureKey> keys, string name, string? exceptId)
    {
        foreach (var key in keys)
        {
            if (key.Id != exceptId && string.Equals(key.Name, name, StringComparison.Ordinal))
            {
                throw SignatureErrors.NameExists(name);
            }
        }
    }
}
