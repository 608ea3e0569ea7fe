using Gateway.Apig.Common;
using Gateway.Store;

namespace Gateway.Apig.VpcChannels;

/// <summary>
/// Member groups (3.17.13–3.17.17). Group names are unique within their channel. Deleting a group deletes its members;
/// renaming it renames it on its members.
/// </summary>
internal sealed partial class VpcChannelManager
{
    /// <summary>3.17.13: adds groups or updates those whose name exists; answers with all groups of the channel.</summary>
    public Task<VpcMemberGroupList> AddMemberGroupsAsync(ApigScope scope, string channelId, AddMemberGroupsRequest request, CancellationToken cancellationToken)
    {
        var definitions = request.MemberGroups is null ? [] : VpcChannelValidator.Groups(request.MemberGroups, "member_groups");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
            var existing = await LoadGroupsAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false);
            var groups = ApplyGroups(transaction, scope.InstanceId, channelId, existing, definitions, replaceAll: false, ApigClock.Timestamp(time));
            return new VpcMemberGroupList(groups.Count, groups.Count, groups.ConvertAll(PresentGroup));
        }, cancellationToken);
    }

    /// <summary>3.17.14.</summary>
    public async Task<VpcMemberGroupList> ListMemberGroupsAsync(ApigScope scope, string channelId, VpcMemberGroupListFilter filter, CancellationToken cancellationToken)
    {
        await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
        var precise = NameFilter.IsPrecise(filter.PreciseSearch, "member_group_name");
        var matching = new List<VpcMemberGroup>();
        foreach (var group in await LoadGroupsAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false))
        {
            if (Matches(filter.DictCode, group.DictCode ?? "") && NameFilter.Matches(group.MemberGroupName, filter.MemberGroupName, precise))
            {
                matching.Add(PresentGroup(group));
            }
        }

        var page = filter.Page.Apply(matching);
        return new VpcMemberGroupList(page.Size, page.Total, page.Items);
    }

    /// <summary>3.17.15.</summary>
    public async Task<VpcMemberGroup> GetMemberGroupAsync(ApigScope scope, string channelId, string groupId, CancellationToken cancellationToken)
    {
        await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
        return PresentGroup(await RequireGroupAsync(scope.InstanceId, channelId, groupId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>3.17.16: deletes the group and its members.</summary>
    public Task DeleteMemberGroupAsync(ApigScope scope, string channelId, string groupId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
            await RequireGroupAsync(scope.InstanceId, channelId, groupId, cancellationToken).ConfigureAwait(false);
            transaction.Delete(VpcChannelStoreKeys.MemberGroup(scope.InstanceId, groupId));
            foreach (var member in await LoadMembersAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false))
            {
                if (member.MemberGroupId == groupId)
                {
                    transaction.Delete(VpcChannelStoreKeys.Member(scope.InstanceId, member.Id));
                }
            }

            return true;
        }, cancellationToken);

    /// <summary>3.17.17: replaces the group's definition (the name may change, to one no other group of the channel has).</summary>
    public Task<VpcMemberGroup> UpdateMemberGroupAsync(ApigScope scope, string channelId, string groupId, MemberGroupInput request, CancellationToken cancellationToken)
    {
        var definition = VpcChannelValidator.Group(request, "");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
            var group = await RequireGroupAsync(scope.InstanceId, channelId, groupId, cancellationToken).ConfigureAwait(false);
            var groups = await LoadGroupsAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false);
            if (groups.Exists(other => other.MemberGroupId != groupId && other.MemberGroupName == definition.Name))
            {
                throw VpcChannelErrors.Invalid("member_group_name", $"The channel already has a member group named {definition.Name}");
            }

            var updated = Define(group, definition, ApigClock.Timestamp(time));
            PutGroup(transaction, scope.InstanceId, updated);
            if (updated.MemberGroupName != group.MemberGroupName)
            {
                foreach (var member in await LoadMembersAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false))
                {
                    if (member.MemberGroupId == groupId)
                    {
                        PutMember(transaction, scope.InstanceId, member with { MemberGroupName = updated.MemberGroupName });
                    }
                }
            }

            return PresentGroup(updated);
        }, cancellationToken);
    }

    /// <summary>The groups of one channel, oldest first.</summary>
    public async Task<List<VpcMemberGroup>> LoadGroupsAsync(string instanceId, string channelId, CancellationToken cancellationToken) =>
        (await LoadAllGroupsAsync(instanceId, cancellationToken).ConfigureAwait(false)).FindAll(group => group.VpcChannelId == channelId);

    private async Task<List<VpcMemberGroup>> LoadAllGroupsAsync(string instanceId, CancellationToken cancellationToken)
    {
        var groups = await writer.ListAsync(VpcChannelStoreKeys.MemberGroups(instanceId), VpcChannelJsonContext.Default.VpcMemberGroup, cancellationToken).ConfigureAwait(false);
        groups.Sort(static (a, b) => CompareByCreation(a.CreateTime, a.MemberGroupId, b.CreateTime, b.MemberGroupId));
        return groups;
    }

    /// <summary>
    /// Writes group definitions into the channel: a definition whose name matches an existing group updates it (keeping
    /// its ID), the others are added; with <paramref name="replaceAll"/>, groups not redefined are deleted (the caller
    /// deals with their members). Returns every group the channel has afterwards.
    /// </summary>
    private static List<VpcMemberGroup> ApplyGroups(
        StoreTransaction transaction,
        string instanceId,
        string channelId,
        List<VpcMemberGroup> existing,
        List<MemberGroupDefinition> definitions,
        bool replaceAll,
        string timestamp)
    {
        var result = new List<VpcMemberGroup>();
        foreach (var definition in definitions)
        {
            var previous = existing.Find(group => group.MemberGroupName == definition.Name);
            var group = Define(previous ?? new VpcMemberGroup
            {
                MemberGroupName = definition.Name,
                MemberGroupId = ApigClock.NewId(),
                CreateTime = timestamp,
                UpdateTime = timestamp,
                VpcChannelId = channelId,
            }, definition, timestamp);
            PutGroup(transaction, instanceId, group);
            result.Add(group);
        }

        foreach (var group in existing)
        {
            if (result.Exists(kept => kept.MemberGroupId == group.MemberGroupId))
            {
                continue;
            }

            if (replaceAll)
            {
                transaction.Delete(VpcChannelStoreKeys.MemberGroup(instanceId, group.MemberGroupId));
            }
            else
            {
                result.Add(group);
            }
        }

        result.Sort(static (a, b) => CompareByCreation(a.CreateTime, a.MemberGroupId, b.CreateTime, b.MemberGroupId));
        return result;
    }

    private static VpcMemberGroup Define(VpcMemberGroup group, MemberGroupDefinition definition, string timestamp) => group with
    {
        MemberGroupName = definition.Name,
        MemberGroupRemark = definition.Remark,
        MemberGroupWeight = definition.Weight,
        DictCode = definition.DictCode,
        MicroserviceVersion = definition.MicroserviceVersion,
        MicroservicePort = definition.MicroservicePort,
        MicroserviceLabels = definition.Labels,
        UpdateTime = timestamp,
    };

    private async Task<VpcMemberGroup> RequireGroupAsync(string instanceId, string channelId, string groupId, CancellationToken cancellationToken)
    {
        var group = await writer.ReadAsync(VpcChannelStoreKeys.MemberGroup(instanceId, groupId), VpcChannelJsonContext.Default.VpcMemberGroup, cancellationToken).ConfigureAwait(false);
        return group is not null && group.VpcChannelId == channelId ? group : throw VpcChannelErrors.MemberGroupNotFound(groupId);
    }

    private static void PutGroup(StoreTransaction transaction, string instanceId, VpcMemberGroup group) =>
        transaction.Put(VpcChannelStoreKeys.MemberGroup(instanceId, group.MemberGroupId), ResourceWriter.Serialize(group, VpcChannelJsonContext.Default.VpcMemberGroup));

    /// <summary>MemberGroupInfo: the owning channel is implied by the path and not shown.</summary>
    private static VpcMemberGroup PresentGroup(VpcMemberGroup group) => group with { VpcChannelId = null };
}
