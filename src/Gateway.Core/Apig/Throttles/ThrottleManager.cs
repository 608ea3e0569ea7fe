using Gateway.Apig.Common;
using Gateway.Apig.Instances;

namespace Gateway.Apig.Throttles;

/// <summary>
/// 3.4 throttling policies: names unique per instance. Deleting a policy also removes its API bindings and its special
/// settings (3.4.3: "删除指定的流控策略，以及该流控策略与API的所有绑定关系").
/// </summary>
internal sealed class ThrottleManager(ResourceWriter writer, TimeProvider time)
{
    public Task<ThrottlePolicy> CreateAsync(ApigScope scope, ThrottleRequest request, CancellationToken cancellationToken)
    {
        var policy = ThrottleRules.Build(request, ApigClock.NewId(), ApigClock.Timestamp(time));
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            EnsureNameFree(await ListAllAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false), policy.Name, exceptId: null);
            transaction.Put(ThrottleKeys.Policy(scope.InstanceId, policy.Id), ResourceWriter.Serialize(policy, ThrottleJsonContext.Default.ThrottlePolicy));
            return policy with { BindNum = 0, IsIncluSpecialThrottle = 2 };
        }, cancellationToken);
    }

    /// <summary>Replaces the definition; bindings and special settings stay and take the new limits at once.</summary>
    public Task<ThrottlePolicy> UpdateAsync(ApigScope scope, string throttleId, ThrottleRequest request, CancellationToken cancellationToken)
    {
        var validated = ThrottleRules.Build(request, throttleId, createTime: "");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var existing = await RequireAsync(writer, scope, throttleId, cancellationToken).ConfigureAwait(false);
            var policy = validated with { CreateTime = existing.CreateTime };
            EnsureNameFree(await ListAllAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false), policy.Name, exceptId: throttleId);
            transaction.Put(ThrottleKeys.Policy(scope.InstanceId, throttleId), ResourceWriter.Serialize(policy, ThrottleJsonContext.Default.ThrottlePolicy));
            var usage = await PolicyUsage.LoadAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false);
            return usage.Present(policy);
        }, cancellationToken);
    }

    public Task DeleteAsync(ApigScope scope, string throttleId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await RequireAsync(writer, scope, throttleId, cancellationToken).ConfigureAwait(false);
            transaction.Delete(ThrottleKeys.Policy(scope.InstanceId, throttleId));
            await DeleteEntriesOfAsync(transaction, ThrottleKeys.Bindings(scope.InstanceId), throttleId, cancellationToken).ConfigureAwait(false);
            await DeleteEntriesOfAsync(transaction, ThrottleKeys.Specials(scope.InstanceId), throttleId, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public async Task<ThrottlePolicy> GetAsync(ApigScope scope, string throttleId, CancellationToken cancellationToken)
    {
        var policy = await RequireAsync(writer, scope, throttleId, cancellationToken).ConfigureAwait(false);
        var usage = await PolicyUsage.LoadAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false);
        return usage.Present(policy);
    }

    public async Task<ThrottleList> ListAsync(ApigScope scope, ThrottleListFilter filter, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var precise = NameFilter.IsPrecise(filter.PreciseSearch, "name");
        var matching = new List<ThrottlePolicy>();
        foreach (var policy in await ListAllAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false))
        {
            if ((string.IsNullOrEmpty(filter.Id) || policy.Id == filter.Id) && NameFilter.Matches(policy.Name, filter.Name, precise))
            {
                matching.Add(policy);
            }
        }

        var page = filter.Page.Apply(matching);
        var usage = await PolicyUsage.LoadAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var items = new List<ThrottlePolicy>(page.Items.Count);
        foreach (var policy in page.Items)
        {
            items.Add(usage.Present(policy));
        }

        return new ThrottleList(page.Size, page.Total, items);
    }

    /// <summary>Reads a policy of the instance, or fails with 404 (APIG.3030 for the instance, APIG.3005 for the policy).</summary>
    public static async Task<ThrottlePolicy> RequireAsync(ResourceWriter writer, ApigScope scope, string throttleId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(ThrottleKeys.Policy(scope.InstanceId, throttleId), ThrottleJsonContext.Default.ThrottlePolicy, cancellationToken).ConfigureAwait(false)
            ?? throw ThrottleErrors.PolicyNotFound(throttleId);
    }

    /// <summary>All policies of the instance, oldest first (the order lists are shown in).</summary>
    public static async Task<List<ThrottlePolicy>> ListAllAsync(ResourceWriter writer, string instanceId, CancellationToken cancellationToken)
    {
        var policies = await writer.ListAsync(ThrottleKeys.Policies(instanceId), ThrottleJsonContext.Default.ThrottlePolicy, cancellationToken).ConfigureAwait(false);
        policies.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.CreateTime, b.CreateTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return policies;
    }

    private async Task DeleteEntriesOfAsync(Store.StoreTransaction transaction, string collection, string throttleId, CancellationToken cancellationToken)
    {
        foreach (var entry in await writer.Store.ListAsync(collection, cancellationToken).ConfigureAwait(false))
        {
            if (JsonProbe.ReadString(entry.Value.Span, "throttle_id"u8) == throttleId)
            {
                transaction.Delete(entry.Key);
            }
        }
    }

    private static void EnsureNameFree(List<ThrottlePolicy> policies, string name, string? exceptId)
    {
        foreach (var policy in policies)
        {
            if (policy.Id != exceptId && string.Equals(policy.Name, name, StringComparison.Ordinal))
            {
                throw ThrottleErrors.NameExists(name);
            }
        }
    }
}

/// <summary>How many APIs each policy is bound to and which policies have special settings: the read-time members of ThrottlesInfo.</summary>
internal sealed class PolicyUsage
{
    private readonly Dictionary<string, HashSet<string>> _boundApis = new(StringComparer.Ordinal);
    private readonly HashSet<string> _withSpecials = new(StringComparer.Ordinal);

    public static async Task<PolicyUsage> LoadAsync(ResourceWriter writer, string instanceId, CancellationToken cancellationToken)
    {
        var usage = new PolicyUsage();
        foreach (var entry in await writer.Store.ListAsync(ThrottleKeys.Bindings(instanceId), cancellationToken).ConfigureAwait(false))
        {
            var throttleId = JsonProbe.ReadString(entry.Value.Span, "throttle_id"u8);
            var apiId = JsonProbe.ReadString(entry.Value.Span, "api_id"u8);
            if (throttleId is not null && apiId is not null)
            {
                if (!usage._boundApis.TryGetValue(throttleId, out var apis))
                {
                    usage._boundApis[throttleId] = apis = new HashSet<string>(StringComparer.Ordinal);
                }

                apis.Add(apiId);
            }
        }

        foreach (var entry in await writer.Store.ListAsync(ThrottleKeys.Specials(instanceId), cancellationToken).ConfigureAwait(false))
        {
            if (JsonProbe.ReadString(entry.Value.Span, "throttle_id"u8) is { } throttleId)
            {
                usage._withSpecials.Add(throttleId);
            }
        }

        return usage;
    }

    /// <summary>The number of distinct APIs bound to the policy (in any environment).</summary>
    public int BindNum(string throttleId) => _boundApis.TryGetValue(throttleId, out var apis) ? apis.Count : 0;

    /// <summary>1 when the policy has special settings, 2 when it has none.</summary>
    public int IsIncluSpecialThrottle(string throttleId) => _withSpecials.Contains(throttleId) ? 1 : 2;

    public ThrottlePolicy Present(ThrottlePolicy policy) =>
        policy with { BindNum = BindNum(policy.Id), IsIncluSpecialThrottle = IsIncluSpecialThrottle(policy.Id) };
}
