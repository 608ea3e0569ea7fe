using Gateway.Apig.Common;
using Gateway.Apig.Instances;
using Gateway.Errors;

namespace Gateway.Apig.Groups;

/// <summary>3.1 API groups: names unique per instance, a debug sub-domain per group, the DEFAULT group undeletable.</summary>
internal sealed class ApiGroupManager(ResourceWriter writer, TimeProvider time, ApigOptions options)
{
    private static readonly string[] Versions = ["V1", "V2"];

    public static ApiGroup NewGroup(ApigOptions options, string id, string name, string? remark, bool isDefault, string timestamp)
    {
        var domain = $"{id}.{options.SubdomainSuffix}";
        return new ApiGroup
        {
            Id = id,
            Name = name,
            Remark = remark,
            SlDomain = domain,
            SlDomains = [domain],
            RegisterTime = timestamp,
            UpdateTime = timestamp,
            IsDefault = isDefault ? 1 : 2,
        };
    }

    public Task<ApiGroup> CreateAsync(ApigScope scope, ApiGroupRequest request, CancellationToken cancellationToken)
    {
        var name = Check.Text(request.Name, "name", 3, 255, ApigPatterns.GroupOrApiName());
        Check.MaxLength(request.Remark, "remark", 1000);
        var version = Check.OptionalOneOf(request.Version, "version", Versions) ?? "V1";
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            var groups = await ListAllAsync(scope, cancellationToken).ConfigureAwait(false);
            EnsureNameFree(groups, name, exceptId: null);
            var group = NewGroup(options, ApigClock.NewId(), name, request.Remark, isDefault: false, ApigClock.Timestamp(time)) with
            {
                Version = version,
                RomaAppId = request.RomaAppId,
            };
            transaction.Put(ApigKeys.Group(scope.InstanceId, group.Id), ResourceWriter.Serialize(group, GroupJsonContext.Default.ApiGroup));
            return group;
        }, cancellationToken);
    }

    public Task<ApiGroup> UpdateAsync(ApigScope scope, string groupId, ApiGroupRequest request, CancellationToken cancellationToken)
    {
        var name = Check.Text(request.Name, "name", 3, 255, ApigPatterns.GroupOrApiName());
        Check.MaxLength(request.Remark, "remark", 1000);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var group = await GetAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
            var groups = await ListAllAsync(scope, cancellationToken).ConfigureAwait(false);
            EnsureNameFree(groups, name, exceptId: groupId);
            var updated = group with { Name = name, Remark = request.Remark, UpdateTime = ApigClock.Timestamp(time) };
            transaction.Put(ApigKeys.Group(scope.InstanceId, groupId), ResourceWriter.Serialize(updated, GroupJsonContext.Default.ApiGroup));
            return updated;
        }, cancellationToken);
    }

    public Task DeleteAsync(ApigScope scope, string groupId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var group = await GetAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
            if (group.IsDefault == 1)
            {
                throw ApigErrors.Forbidden("APIG.1101", $"The DEFAULT API group {groupId} cannot be deleted");
            }

            var apis = await writer.Store.ListAsync(ApigKeys.Apis(scope.InstanceId), cancellationToken).ConfigureAwait(false);
            foreach (var entry in apis)
            {
                if (JsonProbe.ReadString(entry.Value.Span, "group_id"u8) == groupId)
                {
                    throw new ApiErrorException(412, "APIG.3415", "The API group cannot be deleted because it contains APIs");
                }
            }

            transaction.Delete(ApigKeys.Group(scope.InstanceId, groupId));

            // Variables are defined per group and environment: they go with the group.
            foreach (var entry in await writer.Store.ListAsync(ApigKeys.Variables(scope.InstanceId), cancellationToken).ConfigureAwait(false))
            {
                if (JsonProbe.ReadString(entry.Value.Span, "group_id"u8) == groupId)
                {
                    transaction.Delete(entry.Key);
                }
            }

            await writer.DeleteOwnedAsync(transaction, scope.InstanceId, ApigOwner.Group, groupId, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public async Task<ApiGroup> GetAsync(ApigScope scope, string groupId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(ApigKeys.Group(scope.InstanceId, groupId), GroupJsonContext.Default.ApiGroup, cancellationToken).ConfigureAwait(false)
            ?? throw ApigErrors.GroupNotFound(groupId);
    }

    public async Task<ApiGroupList> ListAsync(ApigScope scope, ApiGroupListFilter filter, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var groups = await ListAllAsync(scope, cancellationToken).ConfigureAwait(false);
        var precise = NameFilter.IsPrecise(filter.PreciseSearch, "name");
        var matching = new List<ApiGroup>();
        foreach (var group in groups)
        {
            if ((filter.Id is null || group.Id == filter.Id) && NameFilter.Matches(group.Name, filter.Name, precise))
            {
                matching.Add(group);
            }
        }

        var page = filter.Page.Apply(matching);
        return new ApiGroupList(page.Size, page.Total, page.Items);
    }

    public async Task CheckNameAsync(ApigScope scope, GroupNameCheckRequest request, CancellationToken cancellationToken)
    {
        var name = Check.Text(request.GroupName, "group_name", 3, 255, ApigPatterns.GroupOrApiName());
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        EnsureNameFree(await ListAllAsync(scope, cancellationToken).ConfigureAwait(false), name, exceptId: null);
    }

    /// <summary>All groups of the instance, oldest first (the order lists are shown in).</summary>
    public async Task<List<ApiGroup>> ListAllAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        var groups = await writer.ListAsync(ApigKeys.Groups(scope.InstanceId), GroupJsonContext.Default.ApiGroup, cancellationToken).ConfigureAwait(false);
        groups.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.RegisterTime, b.RegisterTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return groups;
    }

    private static void EnsureNameFree(List<ApiGroup> groups, string name, string? exceptId)
    {
        foreach (var group in groups)
        {
            if (group.Id != exceptId && string.Equals(group.Name, name, StringComparison.Ordinal))
            {
                throw ApigErrors.Conflict("APIG.3201", $"The API group name already exists,name:{name}");
            }
        }
    }
}
