using Gateway.Apig.Apis;
using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.Instances;
using Gateway.Errors;

namespace Gateway.Apig.Throttles;

/// <summary>
/// 3.8 throttle bindings. A policy is bound to an API in an environment through the API's publication there; an API
/// has at most one policy per environment (3.8.1). Bindings go with their policy, their API and their environment.
/// </summary>
internal sealed class ThrottleBindingManager(ResourceWriter writer, TimeProvider time)
{
    private const string DeleteAction = "delete";

    /// <summary>3.8.1: binds the policy to every named publication, or to none if any of them cannot be bound.</summary>
    public Task<ThrottleBindResult> BindToApisAsync(ApigScope scope, ThrottleBindRequest request, CancellationToken cancellationToken)
    {
        var throttleId = Check.Text(request.StrategyId, "strategy_id", 1, 65);
        Check.Id(throttleId, "strategy_id");
        var publishIds = RequiredIds(request.PublishIds, "publish_ids");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var policy = await ThrottleManager.RequireAsync(writer, scope, throttleId, cancellationToken).ConfigureAwait(false);
            var catalog = await PublishedApiCatalog.LoadAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false);
            var bindings = await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
            var policies = await LoadPoliciesAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
            var timestamp = ApigClock.Timestamp(time);
            var created = new List<ThrottleApiBinding>(publishIds.Count);
            foreach (var publishId in publishIds)
            {
                var publication = catalog.FindPublication(publishId) ?? throw ThrottleErrors.PublicationNotFound(publishId);
                var current = bindings.Find(binding => binding.ApiId == publication.ApiId && binding.EnvId == publication.EnvId);
                if (current is not null)
                {
                    var boundName = policies.TryGetValue(current.ThrottleId, out var bound) ? bound.Name : current.ThrottleId;
                    throw ThrottleErrors.AlreadyBound(publication.ApiId, publication.EnvId, boundName);
                }

                var binding = new ThrottleBinding
                {
                    Id = ApigClock.NewId(),
                    ThrottleId = policy.Id,
                    ApiId = publication.ApiId,
                    EnvId = publication.EnvId,
                    PublishId = publication.PublishId,
                    ApplyTime = timestamp,
                };
                bindings.Add(binding);
                transaction.Put(ThrottleKeys.Binding(scope.InstanceId, binding.Id), ResourceWriter.Serialize(binding, ThrottleJsonContext.Default.ThrottleBinding));
                created.Add(new ThrottleApiBinding(binding.Id, binding.PublishId, binding.Scope, binding.ThrottleId, binding.ApplyTime));
            }

            return new ThrottleBindResult(created);
        }, cancellationToken);
    }

    public Task UnbindAsync(ApigScope scope, string bindingId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            _ = await writer.ReadAsync(ThrottleKeys.Binding(scope.InstanceId, bindingId), ThrottleJsonContext.Default.ThrottleBinding, cancellationToken).ConfigureAwait(false)
                ?? throw ThrottleErrors.BindingNotFound(bindingId);
            transaction.Delete(ThrottleKeys.Binding(scope.InstanceId, bindingId));
            return true;
        }, cancellationToken);

    /// <summary>3.8.6: removes every named binding that exists; the others are reported one by one.</summary>
    public Task<ThrottleBatchUnbindResult> BatchUnbindAsync(ApigScope scope, string? action, ThrottleBatchUnbindRequest request, CancellationToken cancellationToken)
    {
        Check.OneOf(action, "action", [DeleteAction]);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            var failures = new List<ThrottleBindingFailure>();
            var removed = new HashSet<string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var bindingId in request.ThrottleBindings ?? [])
            {
                // Each id is handled once, however often it is named.
                if (!seen.Add(bindingId ?? string.Empty))
                {
                    continue;
                }

                if (string.IsNullOrEmpty(bindingId) || !ApigPatterns.ResourceId().IsMatch(bindingId))
                {
                    var invalid = ApigErrors.InvalidId("throttle_bindings");
                    failures.Add(new ThrottleBindingFailure { BindId = bindingId, ErrorCode = invalid.ErrorCode, ErrorMsg = invalid.Message });
                    continue;
                }

                var binding = await writer.ReadAsync(ThrottleKeys.Binding(scope.InstanceId, bindingId), ThrottleJsonContext.Default.ThrottleBinding, cancellationToken).ConfigureAwait(false);
                if (binding is null)
                {
                    var missing = ThrottleErrors.BindingNotFound(bindingId);
                    failures.Add(new ThrottleBindingFailure { BindId = bindingId, ErrorCode = missing.ErrorCode, ErrorMsg = missing.Message });
                    continue;
                }

                transaction.Delete(ThrottleKeys.Binding(scope.InstanceId, bindingId));
                removed.Add(bindingId);
            }

            return new ThrottleBatchUnbindResult(removed.Count, failures);
        }, cancellationToken);
    }

    /// <summary>3.8.3: the APIs bound to the policy, one item per (API, environment).</summary>
    public async Task<ApiForThrottleList> ListBoundApisAsync(ApigScope scope, ThrottleApiFilter filter, CancellationToken cancellationToken)
    {
        var throttleId = RequiredQueryId(filter.ThrottleId, "throttle_id");
        var policy = await ThrottleManager.RequireAsync(writer, scope, throttleId, cancellationToken).ConfigureAwait(false);
        var catalog = await PublishedApiCatalog.LoadAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var bound = ByApiAndEnvironment(await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false), throttleId);
        var matching = new List<ApiForThrottle>();
        foreach (var api in catalog.Apis)
        {
            foreach (var environment in catalog.Environments)
            {
                if (bound.TryGetValue((api.Id, environment.Id), out var binding) && MatchesApi(filter, api, environment.Id))
                {
                    var publishId = catalog.FindPublication(api.Id, environment.Id)?.PublishId ?? binding.PublishId;
                    matching.Add(Describe(catalog, api, environment, publishId, binding, policy.Name));
                }
            }
        }

        var page = filter.Page.Apply(matching);
        return new ApiForThrottleList(page.Size, page.Total, page.Items);
    }

    /// <summary>
    /// 3.8.4: the published APIs (one item per environment they are published in) not bound to the policy. An API bound
    /// to another policy in that environment shows that policy and binding.
    /// </summary>
    public async Task<ApiForThrottleList> ListUnboundApisAsync(ApigScope scope, ThrottleApiFilter filter, CancellationToken cancellationToken)
    {
        var throttleId = RequiredQueryId(filter.ThrottleId, "throttle_id");
        await ThrottleManager.RequireAsync(writer, scope, throttleId, cancellationToken).ConfigureAwait(false);
        var catalog = await PublishedApiCatalog.LoadAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var bindings = ByApiAndEnvironment(await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false), throttleId: null);
        var policies = await LoadPoliciesAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var matching = new List<ApiForThrottle>();
        foreach (var (api, environment, publication) in catalog.Published())
        {
            var binding = bindings.GetValueOrDefault((api.Id, environment.Id));
            if (binding?.ThrottleId != throttleId && MatchesApi(filter, api, environment.Id))
            {
                var other = binding is not null && policies.TryGetValue(binding.ThrottleId, out var policy) ? policy.Name : null;
                matching.Add(Describe(catalog, api, environment, publication.PublishId, binding, other));
            }
        }

        var page = filter.Page.Apply(matching);
        return new ApiForThrottleList(page.Size, page.Total, page.Items);
    }

    /// <summary>3.8.5: the policies bound to an API, at most one per environment.</summary>
    public async Task<ThrottleForApiList> ListBoundThrottlesAsync(ApigScope scope, BoundThrottleFilter filter, CancellationToken cancellationToken)
    {
        var apiId = RequiredQueryId(filter.ApiId, "api_id");
        Check.Id(string.IsNullOrEmpty(filter.ThrottleId) ? null : filter.ThrottleId, "throttle_id");
        Check.Id(string.IsNullOrEmpty(filter.EnvId) ? null : filter.EnvId, "env_id");
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        _ = await writer.ReadAsync(ApigKeys.Api(scope.InstanceId, apiId), ApiJsonContext.Default.Api, cancellationToken).ConfigureAwait(false)
            ?? throw ApigErrors.ApiNotFound(apiId);
        var environments = await PublishedApiCatalog.LoadEnvironmentsAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var policies = await LoadPoliciesAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var usage = await PolicyUsage.LoadAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var matching = new List<ThrottleForApi>();
        var bindingEnvironments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var binding in await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false))
        {
            if (binding.ApiId != apiId ||
                !policies.TryGetValue(binding.ThrottleId, out var policy) ||
                (!string.IsNullOrEmpty(filter.ThrottleId) && policy.Id != filter.ThrottleId) ||
                (!string.IsNullOrEmpty(filter.EnvId) && binding.EnvId != filter.EnvId) ||
                !NameFilter.Matches(policy.Name, filter.ThrottleName, precise: false))
            {
                continue;
            }

            bindingEnvironments[binding.Id] = binding.EnvId;
            matching.Add(new ThrottleForApi
            {
                Id = policy.Id,
                Name = policy.Name,
                ApiCallLimits = policy.ApiCallLimits,
                UserCallLimits = policy.UserCallLimits,
                AppCallLimits = policy.AppCallLimits,
                IpCallLimits = policy.IpCallLimits,
                TimeInterval = policy.TimeInterval,
                TimeUnit = policy.TimeUnit,
                Remark = policy.Remark,
                Type = policy.Type,
                EnableAdaptiveControl = policy.EnableAdaptiveControl,
                CreateTime = policy.CreateTime,
                BindNum = usage.BindNum(policy.Id),
                IsIncluSpecialThrottle = usage.IsIncluSpecialThrottle(policy.Id),
                EnvName = environments.Find(environment => environment.Id == binding.EnvId)?.Name,
                BindId = binding.Id,
                BindTime = binding.ApplyTime,
            });
        }

        // Bindings made by one call share their time: those follow the environment order.
        var environmentOrder = environments.ConvertAll(environment => environment.Id);
        var ordered = matching.OrderBy(item => item.BindTime, StringComparer.Ordinal)
            .ThenBy(item => environmentOrder.IndexOf(bindingEnvironments[item.BindId]))
            .ToList();
        var page = filter.Page.Apply(ordered);
        return new ThrottleForApiList(page.Size, page.Total, page.Items);
    }

    /// <summary>All bindings of the instance, oldest first.</summary>
    private async Task<List<ThrottleBinding>> ListAllAsync(string instanceId, CancellationToken cancellationToken)
    {
        var bindings = await writer.ListAsync(ThrottleKeys.Bindings(instanceId), ThrottleJsonContext.Default.ThrottleBinding, cancellationToken).ConfigureAwait(false);
        bindings.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.ApplyTime, b.ApplyTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return bindings;
    }

    /// <summary>The bindings (of one policy, or of all) by the API and environment they bind.</summary>
    private static Dictionary<(string ApiId, string EnvId), ThrottleBinding> ByApiAndEnvironment(List<ThrottleBinding> bindings, string? throttleId)
    {
        var index = new Dictionary<(string, string), ThrottleBinding>(bindings.Count);
        foreach (var binding in bindings)
        {
            if (throttleId is null || binding.ThrottleId == throttleId)
            {
                index.TryAdd((binding.ApiId, binding.EnvId), binding);
            }
        }

        return index;
    }

    private async Task<Dictionary<string, ThrottlePolicy>> LoadPoliciesAsync(string instanceId, CancellationToken cancellationToken)
    {
        var policies = await ThrottleManager.ListAllAsync(writer, instanceId, cancellationToken).ConfigureAwait(false);
        return policies.ToDictionary(policy => policy.Id, StringComparer.Ordinal);
    }

    private static bool MatchesApi(ThrottleApiFilter filter, Api api, string envId) =>
        (string.IsNullOrEmpty(filter.EnvId) || envId == filter.EnvId) &&
        (string.IsNullOrEmpty(filter.GroupId) || api.GroupId == filter.GroupId) &&
        (string.IsNullOrEmpty(filter.ApiId) || api.Id == filter.ApiId) &&
        NameFilter.Matches(api.Name, filter.ApiName, precise: false);

    private static ApiForThrottle Describe(PublishedApiCatalog catalog, Api api, ApigEnvironment environment, string publishId, ThrottleBinding? binding, string? throttleName) => new()
    {
        Id = api.Id,
        Name = api.Name,
        Type = api.Type,
        Remark = api.Remark,
        ReqUri = api.ReqUri,
        ReqMethod = api.ReqMethod,
        AuthType = api.AuthType,
        GroupId = api.GroupId,
        GroupName = catalog.FindGroup(api.GroupId)?.Name,
        PublishId = publishId,
        RunEnvId = environment.Id,
        RunEnvName = environment.Name,
        ThrottleApplyId = binding?.Id,
        ApplyTime = binding?.ApplyTime,
        ThrottleName = throttleName,
    };

    private static string RequiredQueryId(string? value, string parameter)
    {
        var id = Check.Required(value, parameter);
        Check.Id(id, parameter);
        return id;
    }

    /// <summary>A mandatory, non-empty list of IDs, duplicates dropped (order kept).</summary>
    internal static List<string> RequiredIds(List<string?>? values, string parameter)
    {
        if (values is not { Count: > 0 })
        {
            throw ApigErrors.Missing(parameter);
        }

        var ids = new List<string>(values.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value) || !ApigPatterns.ResourceId().IsMatch(value))
            {
                throw ApigErrors.InvalidId(parameter);
            }

            if (seen.Add(value))
            {
                ids.Add(value);
            }
        }

        return ids;
    }
}
