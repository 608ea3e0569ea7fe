using System.Text.Json;
using Gateway.Apig.Common;
using Gateway.Errors;

namespace Gateway.Apig.Throttles;

/// <summary>
/// 3.9 special settings: inside one policy, an APP (by APP id) or a tenant (by account id) gets its own call limit
/// for the policy's window. One setting per (policy, object); settings go with their policy.
/// </summary>
internal sealed class SpecialThrottleManager(ResourceWriter writer, TimeProvider time)
{
    public Task<SpecialThrottle> CreateAsync(ApigScope scope, string throttleId, SpecialThrottleRequest request, CancellationToken cancellationToken)
    {
        var objectType = Check.OneOf(request.ObjectType, "object_type", ThrottleRules.ObjectTypes);
        var objectId = Check.Text(request.ObjectId, "object_id", 1, 64);
        Check.Id(objectId, "object_id");
        _ = request.CallLimits ?? throw ApigErrors.Missing("call_limits");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var policy = await ThrottleManager.RequireAsync(writer, scope, throttleId, cancellationToken).ConfigureAwait(false);
            var app = objectType == ThrottleRules.ObjectApp
                ? await ReadAppAsync(scope.InstanceId, objectId, cancellationToken).ConfigureAwait(false) ?? throw ThrottleErrors.AppNotFound(objectId)
                : null;
            var callLimits = ThrottleRules.SpecialLimit(request.CallLimits, objectType, policy);
            foreach (var existing in await ListOfPolicyAsync(scope.InstanceId, throttleId, cancellationToken).ConfigureAwait(false))
            {
                if (existing.ObjectType == objectType && existing.ObjectId == objectId)
                {
                    throw ThrottleErrors.SpecialExists(objectType, objectId);
                }
            }

            var special = new SpecialThrottle
            {
                Id = ApigClock.NewId(),
                ThrottleId = throttleId,
                ObjectType = objectType,
                ObjectId = objectId,

                // No tenant directory is kept, so a tenant is named by its account id.
                ObjectName = app?.Name ?? objectId,
                AppId = app is null ? null : objectId,
                AppName = app?.Name,
                CallLimits = callLimits,
                ApplyTime = ApigClock.Timestamp(time),
            };
            transaction.Put(ThrottleKeys.Special(scope.InstanceId, special.Id), ResourceWriter.Serialize(special, ThrottleJsonContext.Default.SpecialThrottle));
            return special;
        }, cancellationToken);
    }

    /// <summary>Changes the call limit; the setting time stays the time the setting was made.</summary>
    public Task<SpecialThrottle> UpdateAsync(ApigScope scope, string throttleId, string specialId, SpecialThrottleUpdateRequest request, CancellationToken cancellationToken)
    {
        _ = request.CallLimits ?? throw ApigErrors.Missing("call_limits");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var policy = await ThrottleManager.RequireAsync(writer, scope, throttleId, cancellationToken).ConfigureAwait(false);
            var special = await RequireAsync(scope.InstanceId, throttleId, specialId, cancellationToken).ConfigureAwait(false);
            var updated = special with { CallLimits = ThrottleRules.SpecialLimit(request.CallLimits, special.ObjectType, policy) };
            transaction.Put(ThrottleKeys.Special(scope.InstanceId, specialId), ResourceWriter.Serialize(updated, ThrottleJsonContext.Default.SpecialThrottle));
            return await WithCurrentAppNameAsync(scope.InstanceId, updated, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task DeleteAsync(ApigScope scope, string throttleId, string specialId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await ThrottleManager.RequireAsync(writer, scope, throttleId, cancellationToken).ConfigureAwait(false);
            await RequireAsync(scope.InstanceId, throttleId, specialId, cancellationToken).ConfigureAwait(false);
            transaction.Delete(ThrottleKeys.Special(scope.InstanceId, specialId));
            return true;
        }, cancellationToken);

    public async Task<SpecialThrottleList> ListAsync(ApigScope scope, string throttleId, SpecialThrottleFilter filter, CancellationToken cancellationToken)
    {
        var objectType = Check.OptionalOneOf(string.IsNullOrEmpty(filter.ObjectType) ? null : filter.ObjectType, "object_type", ThrottleRules.ObjectTypes);
        await ThrottleManager.RequireAsync(writer, scope, throttleId, cancellationToken).ConfigureAwait(false);
        var matching = new List<SpecialThrottle>();
        foreach (var stored in await ListOfPolicyAsync(scope.InstanceId, throttleId, cancellationToken).ConfigureAwait(false))
        {
            var special = await WithCurrentAppNameAsync(scope.InstanceId, stored, cancellationToken).ConfigureAwait(false);
            var isApp = special.ObjectType == ThrottleRules.ObjectApp;
            if ((objectType is null || special.ObjectType == objectType) &&
                (string.IsNullOrEmpty(filter.AppName) || (isApp && NameFilter.Matches(special.AppName, filter.AppName, precise: false))) &&
                (string.IsNullOrEmpty(filter.User) || (!isApp && NameFilter.Matches(special.ObjectName, filter.User, precise: false))))
            {
                matching.Add(special);
            }
        }

        var page = filter.Page.Apply(matching);
        return new SpecialThrottleList(page.Size, page.Total, page.Items);
    }

    private async Task<SpecialThrottle> RequireAsync(string instanceId, string throttleId, string specialId, CancellationToken cancellationToken)
    {
        var special = await writer.ReadAsync(ThrottleKeys.Special(instanceId, specialId), ThrottleJsonContext.Default.SpecialThrottle, cancellationToken).ConfigureAwait(false);
        return special is not null && special.ThrottleId == throttleId ? special : throw ThrottleErrors.SpecialNotFound(specialId);
    }

    /// <summary>The settings of one policy, oldest first.</summary>
    private async Task<List<SpecialThrottle>> ListOfPolicyAsync(string instanceId, string throttleId, CancellationToken cancellationToken)
    {
        var specials = await writer.ListAsync(ThrottleKeys.Specials(instanceId), ThrottleJsonContext.Default.SpecialThrottle, cancellationToken).ConfigureAwait(false);
        specials.RemoveAll(special => special.ThrottleId != throttleId);
        specials.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.ApplyTime, b.ApplyTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return specials;
    }

    /// <summary>APPs can be renamed: show the APP's current name while the APP exists.</summary>
    private async Task<SpecialThrottle> WithCurrentAppNameAsync(string instanceId, SpecialThrottle special, CancellationToken cancellationToken)
    {
        if (special.ObjectType != ThrottleRules.ObjectApp)
        {
            return special;
        }

        var app = await ReadAppAsync(instanceId, special.ObjectId, cancellationToken).ConfigureAwait(false);
        return app?.Name is { } name ? special with { AppName = name, ObjectName = name } : special;
    }

    private async Task<AppReference?> ReadAppAsync(string instanceId, string appId, CancellationToken cancellationToken)
    {
        var entry = await writer.Store.GetAsync(ThrottleKeys.App(instanceId, appId), cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(entry.Value.Span, AppReferenceJsonContext.Default.AppReference) ?? new AppReference();
        }
        catch (JsonException)
        {
            // The entry exists, so the APP exists; its name is just not readable in this shape.
            return new AppReference { Id = appId };
        }
    }
}
