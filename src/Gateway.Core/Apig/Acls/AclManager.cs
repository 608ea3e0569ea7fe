using System.Text.Json;
using Gateway.Apig.Common;
using Gateway.Apig.Instances;
using Gateway.Errors;

namespace Gateway.Apig.Acls;

/// <summary>
/// 3.13 ACL policies: names unique per instance; the object type is fixed at creation; a policy bound to APIs cannot
/// be deleted (3.13.3, APIG.3447).
/// </summary>
internal sealed class AclManager(ResourceWriter writer, TimeProvider time)
{
    public const string Permit = "PERMIT";
    public const string Deny = "DENY";
    private const string DeleteAction = "delete";

    public static readonly string[] AclTypes = [Permit, Deny];
    public static readonly string[] EntityTypes = [AclValueRules.Ip, AclValueRules.Domain, AclValueRules.DomainId];

    public Task<AclPolicy> CreateAsync(ApigScope scope, AclRequest request, CancellationToken cancellationToken)
    {
        var (name, aclType, value, entityType) = Validate(request);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            EnsureNameFree(await ListAllAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false), name, exceptId: null);
            var policy = new AclPolicy
            {
                Id = ApigClock.NewId(),
                AclName = name,
                AclType = aclType,
                AclValue = value,
                EntityType = entityType,
                UpdateTime = ApigClock.Timestamp(time),
            };
            transaction.Put(AclKeys.Policy(scope.InstanceId, policy.Id), ResourceWriter.Serialize(policy, AclJsonContext.Default.AclPolicy));
            return policy;
        }, cancellationToken);
    }

    /// <summary>Changes the name, type and value; entity_type must be sent and must be the one the policy has.</summary>
    public Task<AclPolicy> UpdateAsync(ApigScope scope, string aclId, AclRequest request, CancellationToken cancellationToken)
    {
        var (name, aclType, value, entityType) = Validate(request);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var existing = await RequireAsync(writer, scope, aclId, cancellationToken).ConfigureAwait(false);
            if (existing.EntityType != entityType)
            {
                throw AclErrors.EntityTypeNotChangeable();
            }

            EnsureNameFree(await ListAllAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false), name, exceptId: aclId);
            var updated = existing with { AclName = name, AclType = aclType, AclValue = value, UpdateTime = ApigClock.Timestamp(time) };
            transaction.Put(AclKeys.Policy(scope.InstanceId, aclId), ResourceWriter.Serialize(updated, AclJsonContext.Default.AclPolicy));
            return updated;
        }, cancellationToken);
    }

    public Task DeleteAsync(ApigScope scope, string aclId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await RequireAsync(writer, scope, aclId, cancellationToken).ConfigureAwait(false);
            if ((await CountBoundApisAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false)).ContainsKey(aclId))
            {
                throw AclErrors.Bound(aclId);
            }

            transaction.Delete(AclKeys.Policy(scope.InstanceId, aclId));
            return true;
        }, cancellationToken);

    /// <summary>3.13.4: deletes every named policy that exists and is unbound; the others are reported one by one.</summary>
    public Task<AclBatchDeleteResult> BatchDeleteAsync(ApigScope scope, string? action, AclBatchDeleteRequest request, CancellationToken cancellationToken)
    {
        Check.OneOf(action, "action", [DeleteAction]);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            var bound = await CountBoundApisAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
            var failures = new List<AclBatchFailure>();
            var deleted = new HashSet<string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var aclId in request.Acls ?? [])
            {
                // Each id is handled once, however often it is named.
                if (!seen.Add(aclId ?? string.Empty))
                {
                    continue;
                }

                if (string.IsNullOrEmpty(aclId) || !ApigPatterns.ResourceId().IsMatch(aclId))
                {
                    failures.Add(Failure(aclId, null, ApigErrors.InvalidId("acls")));
                    continue;
                }

                var policy = await writer.ReadAsync(AclKeys.Policy(scope.InstanceId, aclId), AclJsonContext.Default.AclPolicy, cancellationToken).ConfigureAwait(false);
                if (policy is null)
                {
                    failures.Add(Failure(aclId, null, AclErrors.PolicyNotFound(aclId)));
                    continue;
                }

                if (bound.ContainsKey(aclId))
                {
                    failures.Add(Failure(aclId, policy.AclName, AclErrors.Bound(aclId)));
                    continue;
                }

                transaction.Delete(AclKeys.Policy(scope.InstanceId, aclId));
                deleted.Add(aclId);
            }

            return new AclBatchDeleteResult(deleted.Count, failures);
        }, cancellationToken);
    }

    public Task<AclPolicy> GetAsync(ApigScope scope, string aclId, CancellationToken cancellationToken) =>
        RequireAsync(writer, scope, aclId, cancellationToken);

    public async Task<AclList> ListAsync(ApigScope scope, AclListFilter filter, CancellationToken cancellationToken)
    {
        var aclType = Check.OptionalOneOf(string.IsNullOrEmpty(filter.AclType) ? null : filter.AclType, "acl_type", AclTypes);
        var entityType = Check.OptionalOneOf(string.IsNullOrEmpty(filter.EntityType) ? null : filter.EntityType, "entity_type", EntityTypes);
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var precise = NameFilter.IsPrecise(filter.PreciseSearch, "name");
        var matching = new List<AclPolicy>();
        foreach (var policy in await ListAllAsync(writer, scope.InstanceId, cancellationToken).ConfigureAwait(false))
        {
            if ((string.IsNullOrEmpty(filter.Id) || policy.Id == filter.Id) &&
                NameFilter.Matches(policy.AclName, filter.Name, precise) &&
                (aclType is null || policy.AclType == aclType) &&
                (entityType is null || policy.EntityType == entityType))
            {
                matching.Add(policy);
            }
        }

        var page = filter.Page.Apply(matching);
        var bound = await CountBoundApisAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var items = new List<AclPolicy>(page.Items.Count);
        foreach (var policy in page.Items)
        {
            items.Add(policy with { BindNum = bound.GetValueOrDefault(policy.Id) });
        }

        return new AclList(page.Size, page.Total, items);
    }

    /// <summary>Reads a policy of the instance, or fails with 404 (APIG.3030 for the instance, APIG.3006 for the policy).</summary>
    public static async Task<AclPolicy> RequireAsync(ResourceWriter writer, ApigScope scope, string aclId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(AclKeys.Policy(scope.InstanceId, aclId), AclJsonContext.Default.AclPolicy, cancellationToken).ConfigureAwait(false)
            ?? throw AclErrors.PolicyNotFound(aclId);
    }

    /// <summary>All policies of the instance, oldest first: the record has no creation time, so the store's create revision orders them.</summary>
    public static async Task<List<AclPolicy>> ListAllAsync(ResourceWriter writer, string instanceId, CancellationToken cancellationToken)
    {
        var entries = await writer.Store.ListAsync(AclKeys.Policies(instanceId), cancellationToken).ConfigureAwait(false);
        var ordered = new List<(long Created, AclPolicy Policy)>(entries.Count);
        foreach (var entry in entries)
        {
            ordered.Add((entry.CreateRevision, JsonSerializer.Deserialize(entry.Value.Span, AclJsonContext.Default.AclPolicy)!));
        }

        ordered.Sort(static (a, b) => a.Created.CompareTo(b.Created));
        return ordered.ConvertAll(item => item.Policy);
    }

    private static (string Name, string AclType, string Value, string EntityType) Validate(AclRequest request)
    {
        var name = Check.Text(request.AclName, "acl_name", 3, 64, ApigPatterns.PolicyName());
        var aclType = Check.OneOf(request.AclType, "acl_type", AclTypes);
        var entityType = Check.OneOf(request.EntityType, "entity_type", EntityTypes);
        var value = AclValueRules.Validate(entityType, request.AclValue);
        return (name, aclType, value, entityType);
    }

    /// <summary>The number of distinct APIs each bound policy is bound to.</summary>
    private async Task<Dictionary<string, int>> CountBoundApisAsync(string instanceId, CancellationToken cancellationToken)
    {
        var apisByAcl = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var entry in await writer.Store.ListAsync(AclKeys.Bindings(instanceId), cancellationToken).ConfigureAwait(false))
        {
            var aclId = JsonProbe.ReadString(entry.Value.Span, "acl_id"u8);
            var apiId = JsonProbe.ReadString(entry.Value.Span, "api_id"u8);
            if (aclId is not null && apiId is not null)
            {
                if (!apisByAcl.TryGetValue(aclId, out var apis))
                {
                    apisByAcl[aclId] = apis = new HashSet<string>(StringComparer.Ordinal);
                }

                apis.Add(apiId);
            }
        }

        var counts = new Dictionary<string, int>(apisByAcl.Count, StringComparer.Ordinal);
        foreach (var (aclId, apis) in apisByAcl)
        {
            counts[aclId] = apis.Count;
        }

        return counts;
    }

    private static AclBatchFailure Failure(string? aclId, string? aclName, ApiErrorException error) =>
        new() { AclId = aclId, AclName = aclName, ErrorCode = error.ErrorCode, ErrorMsg = error.Message };

    private static void EnsureNameFree(List<AclPolicy> policies, string name, string? exceptId)
    {
        foreach (var policy in policies)
        {
            if (policy.Id != exceptId && string.Equals(policy.AclName, name, StringComparison.Ordinal))
            {
                throw AclErrors.NameExists(name);
            }
        }
    }
}
