using Gateway.Apig.Apis;
using Gateway.Apig.Common;
using Gateway.Apig.Instances;
using Gateway.Apig.Throttles;
using Gateway.Errors;

namespace Gateway.Apig.Acls;

/// <summary>
/// 3.14 ACL bindings. An ACL is bound to an API in an environment through the API's publication there. An API may have
/// only one ACL "of the same type" per environment (3.14.1); the type is the ACL's object type (entity_type), so an API
/// can have one IP, one account-name and one account-ID policy in each environment. Bindings go with their API and
/// their environment; a bound ACL cannot be deleted.
/// </summary>
internal sealed class AclBindingManager(ResourceWriter writer, TimeProvider time)
{
    private const string DeleteAction = "delete";

    /// <summary>3.14.1: binds the ACL to every named publication, or to none if any of them cannot be bound.</summary>
    public Task<AclBindResult> BindToApisAsync(ApigScope scope, AclBindRequest request, CancellationToken cancellationToken)
    {
        var aclId = RequiredQueryId(request.AclId, "acl_id");
        var publishIds = ThrottleBindingManager.RequiredIds(request.PublishIds, "publish_ids");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var acl = await AclManager.RequireAsync(writer, scope, aclId, cancellationToken).ConfigureAwait(false);
            var catalog = await PublishedApiCatalog.LoadAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false);
            var policies = await LoadPoliciesAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
            var bindings = await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
            var timestamp = ApigClock.Timestamp(time);
            var created = new List<AclApiBindingInfo>(publishIds.Count);
            foreach (var publishId in publishIds)
            {
                var publication = catalog.FindPublication(publishId) ?? throw AclErrors.PublicationNotFound(publishId);
                foreach (var existing in bindings)
                {
                    if (existing.ApiId == publication.ApiId && existing.EnvId == publication.EnvId &&
                        policies.TryGetValue(existing.AclId, out var other) && other.EntityType == acl.EntityType)
                    {
                        throw AclErrors.AlreadyBound(publication.ApiId, publication.EnvId, acl.EntityType, other.AclName);
                    }
                }

                var binding = new AclBinding
                {
                    Id = ApigClock.NewId(),
                    AclId = acl.Id,
                    ApiId = publication.ApiId,
                    EnvId = publication.EnvId,
                    PublishId = publication.PublishId,
                    CreateTime = timestamp,
                };
                bindings.Add(binding);
                transaction.Put(AclKeys.Binding(scope.InstanceId, binding.Id), ResourceWriter.Serialize(binding, AclJsonContext.Default.AclBinding));
                created.Add(new AclApiBindingInfo(binding.Id, binding.ApiId, binding.EnvId, binding.AclId, binding.CreateTime));
            }

            return new AclBindResult(created);
        }, cancellationToken);
    }

    public Task UnbindAsync(ApigScope scope, string bindingId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            _ = await writer.ReadAsync(AclKeys.Binding(scope.InstanceId, bindingId), AclJsonContext.Default.AclBinding, cancellationToken).ConfigureAwait(false)
                ?? throw AclErrors.BindingNotFound(bindingId);
            transaction.Delete(AclKeys.Binding(scope.InstanceId, bindingId));
            return true;
        }, cancellationToken);

    /// <summary>3.14.3: removes every named binding that exists; the others are reported one by one.</summary>
    public Task<AclBatchUnbindResult> BatchUnbindAsync(ApigScope scope, string? action, AclBatchUnbindRequest request, CancellationToken cancellationToken)
    {
        Check.OneOf(action, "action", [DeleteAction]);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            var failures = new List<AclBindingFailure>();
            var removed = new HashSet<string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var bindingId in request.AclBindings ?? [])
            {
                // Each id is handled once, however often it is named.
                if (!seen.Add(bindingId ?? string.Empty))
                {
                    continue;
                }

                if (string.IsNullOrEmpty(bindingId) || !ApigPatterns.ResourceId().IsMatch(bindingId))
                {
                    var invalid = ApigErrors.InvalidId("acl_bindings");
                    failures.Add(new AclBindingFailure { BindId = bindingId, ErrorCode = invalid.ErrorCode, ErrorMsg = invalid.Message });
                    continue;
                }

                var binding = await writer.ReadAsync(AclKeys.Binding(scope.InstanceId, bindingId), AclJsonContext.Default.AclBinding, cancellationToken).ConfigureAwait(false);
                if (binding is null)
                {
                    var missing = AclErrors.BindingNotFound(bindingId);
                    failures.Add(new AclBindingFailure { BindId = bindingId, ErrorCode = missing.ErrorCode, ErrorMsg = missing.Message });
                    continue;
                }

                transaction.Delete(AclKeys.Binding(scope.InstanceId, bindingId));
                removed.Add(bindingId);
            }

            return new AclBatchUnbindResult(removed.Count, failures);
        }, cancellationToken);
    }

    /// <summary>3.14.4: the APIs bound to the ACL, one item per (API, environment).</summary>
    public async Task<AclBindApiList> ListBoundApisAsync(ApigScope scope, AclApiFilter filter, CancellationToken cancellationToken)
    {
        var aclId = RequiredQueryId(filter.AclId, "acl_id");
        await AclManager.RequireAsync(writer, scope, aclId, cancellationToken).ConfigureAwait(false);
        var catalog = await PublishedApiCatalog.LoadAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var bound = new Dictionary<(string ApiId, string EnvId), AclBinding>();
        foreach (var binding in await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false))
        {
            if (binding.AclId == aclId)
            {
                bound.TryAdd((binding.ApiId, binding.EnvId), binding);
            }
        }

        var matching = new List<AclBindApiInfo>();
        foreach (var api in catalog.Apis)
        {
            foreach (var environment in catalog.Environments)
            {
                if (bound.TryGetValue((api.Id, environment.Id), out var binding) && MatchesApi(filter, api, environment.Id))
                {
                    matching.Add(new AclBindApiInfo
                    {
                        ApiId = api.Id,
                        ApiName = api.Name,
                        ApiType = api.Type,
                        ApiRemark = api.Remark,
                        EnvId = environment.Id,
                        EnvName = environment.Name,
                        BindId = binding.Id,
                        GroupName = catalog.FindGroup(api.GroupId)?.Name,
                        BindTime = binding.CreateTime,
                        PublishId = catalog.FindPublication(api.Id, environment.Id)?.PublishId ?? binding.PublishId,
                        ReqMethod = api.ReqMethod,
                    });
                }
            }
        }

        var page = filter.Page.Apply(matching);
        return new AclBindApiList(page.Size, page.Total, page.Items);
    }

    /// <summary>
    /// 3.14.5: the published APIs (one item per environment they are published in) not bound to the ACL, each with the
    /// name of the other ACL of the same type it has there, if any.
    /// </summary>
    public async Task<UnbindApiForAclList> ListUnboundApisAsync(ApigScope scope, AclApiFilter filter, CancellationToken cancellationToken)
    {
        var aclId = RequiredQueryId(filter.AclId, "acl_id");
        var acl = await AclManager.RequireAsync(writer, scope, aclId, cancellationToken).ConfigureAwait(false);
        var catalog = await PublishedApiCatalog.LoadAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var policies = await LoadPoliciesAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var boundHere = new HashSet<(string ApiId, string EnvId)>();
        var sameTypeElsewhere = new Dictionary<(string ApiId, string EnvId), string>();
        foreach (var binding in await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false))
        {
            if (binding.AclId == aclId)
            {
                boundHere.Add((binding.ApiId, binding.EnvId));
            }
            else if (policies.TryGetValue(binding.AclId, out var other) && other.EntityType == acl.EntityType)
            {
                sameTypeElsewhere.TryAdd((binding.ApiId, binding.EnvId), other.AclName);
            }
        }

        var matching = new List<UnbindApiForAcl>();
        foreach (var (api, environment, publication) in catalog.Published())
        {
            if (!boundHere.Contains((api.Id, environment.Id)) && MatchesApi(filter, api, environment.Id))
            {
                matching.Add(new UnbindApiForAcl
                {
                    Id = api.Id,
                    Name = api.Name,
                    GroupId = api.GroupId,
                    GroupName = catalog.FindGroup(api.GroupId)?.Name,
                    Type = api.Type,
                    Remark = api.Remark,
                    RunEnvName = environment.Name,
                    RunEnvId = environment.Id,
                    PublishId = publication.PublishId,
                    AclName = sameTypeElsewhere.GetValueOrDefault((api.Id, environment.Id)),
                    ReqUri = api.ReqUri,
                    AuthType = api.AuthType,
                    ReqMethod = api.ReqMethod,
                });
            }
        }

        var page = filter.Page.Apply(matching);
        return new UnbindApiForAclList(page.Size, page.Total, page.Items);
    }

    /// <summary>3.14.6: the ACLs bound to an API, in binding order.</summary>
    public async Task<ApiBindAclList> ListBoundAclsAsync(ApigScope scope, BoundAclFilter filter, CancellationToken cancellationToken)
    {
        var apiId = RequiredQueryId(filter.ApiId, "api_id");
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        _ = await writer.ReadAsync(ApigKeys.Api(scope.InstanceId, apiId), ApiJsonContext.Default.Api, cancellationToken).ConfigureAwait(false)
            ?? throw ApigErrors.ApiNotFound(apiId);
        var environments = await PublishedApiCatalog.LoadEnvironmentsAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var policies = await LoadPoliciesAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var matching = new List<ApiBindAclInfo>();
        foreach (var binding in await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false))
        {
            if (binding.ApiId != apiId || !policies.TryGetValue(binding.AclId, out var acl))
            {
                continue;
            }

            var envName = environments.Find(environment => environment.Id == binding.EnvId)?.Name;
            if ((string.IsNullOrEmpty(filter.EnvId) || binding.EnvId == filter.EnvId) &&
                NameFilter.Matches(envName, filter.EnvName, precise: false) &&
                (string.IsNullOrEmpty(filter.AclId) || acl.Id == filter.AclId) &&
                NameFilter.Matches(acl.AclName, filter.AclName, precise: false))
            {
                matching.Add(new ApiBindAclInfo
                {
                    AclId = acl.Id,
                    AclName = acl.AclName,
                    EntityType = acl.EntityType,
                    AclType = acl.AclType,
                    AclValue = acl.AclValue,
                    EnvId = binding.EnvId,
                    EnvName = envName,
                    BindId = binding.Id,
                    BindTime = binding.CreateTime,
                });
            }
        }

        // Bindings made by one call share their time: those follow the environment order.
        var environmentOrder = environments.ConvertAll(environment => environment.Id);
        var ordered = matching.OrderBy(item => item.BindTime, StringComparer.Ordinal).ThenBy(item => environmentOrder.IndexOf(item.EnvId)).ToList();
        var page = filter.Page.Apply(ordered);
        return new ApiBindAclList(page.Size, page.Total, page.Items);
    }

    /// <summary>All bindings of the instance, oldest first.</summary>
    private async Task<List<AclBinding>> ListAllAsync(string instanceId, CancellationToken cancellationToken)
    {
        var bindings = await writer.ListAsync(AclKeys.Bindings(instanceId), AclJsonContext.Default.AclBinding, cancellationToken).ConfigureAwait(false);
        bindings.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.CreateTime, b.CreateTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return bindings;
    }

    private async Task<Dictionary<string, AclPolicy>> LoadPoliciesAsync(string instanceId, CancellationToken cancellationToken)
    {
        var policies = await AclManager.ListAllAsync(writer, instanceId, cancellationToken).ConfigureAwait(false);
        return policies.ToDictionary(policy => policy.Id, StringComparer.Ordinal);
    }

    private static bool MatchesApi(AclApiFilter filter, Api api, string envId) =>
        (string.IsNullOrEmpty(filter.EnvId) || envId == filter.EnvId) &&
        (string.IsNullOrEmpty(filter.GroupId) || api.GroupId == filter.GroupId) &&
        (string.IsNullOrEmpty(filter.ApiId) || api.Id == filter.ApiId) &&
        NameFilter.Matches(api.Name, filter.ApiName, precise: false);

    private static string RequiredQueryId(string? value, string parameter)
    {
        var id = Check.Required(value, parameter);
        Check.Id(id, parameter);
        return id;
    }
}
