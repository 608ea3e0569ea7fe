using Gateway.Apig.Common;
using Gateway.Errors;
using Gateway.Store;

namespace Gateway.Apig.VpcChannels;

/// <summary>
/// Members (3.17.6–3.17.11). A member is identified within its channel by its address: the host of ip members, the
/// ecs_id of ecs members. Redefining an address updates that member and keeps its ID, creation time and observed health.
/// </summary>
internal sealed partial class VpcChannelManager
{
    /// <summary>3.17.6: adds members or updates those whose address exists; answers with all members of the channel.</summary>
    public Task<VpcMemberList> AddMembersAsync(ApigScope scope, string channelId, AddMembersRequest request, CancellationToken cancellationToken)
    {
        if (request.Members is not { Count: > 0 } inputs)
        {
            throw ApigErrors.Missing("members");
        }

        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var channel = await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
            var definitions = VpcChannelValidator.Members(inputs, "members", channel.MemberType);
            var groups = await LoadGroupsAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false);
            var existing = await LoadMembersAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false);
            var members = ApplyMembers(transaction, scope.InstanceId, channel, existing, static _ => false, definitions, groups, ApigClock.Timestamp(time));
            return MemberList(members, channel);
        }, cancellationToken);
    }

    /// <summary>
    /// 3.17.8: replaces all members with the given ones, or, when member_group_name is given, only the members of that
    /// group with the given members of that group (entries for other groups are ignored).
    /// </summary>
    public Task<VpcMemberList> UpdateMembersAsync(ApigScope scope, string channelId, UpdateMembersRequest request, CancellationToken cancellationToken)
    {
        // An absent list would silently remove every member, so it must be given (an empty list does that on purpose).
        var inputs = request.Members ?? throw ApigErrors.Missing("members");
        var groupName = string.IsNullOrEmpty(request.MemberGroupName)
            ? null
            : Check.Text(request.MemberGroupName, "member_group_name", 3, 64, VpcChannelPatterns.ChannelName());
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var channel = await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
            var groups = await LoadGroupsAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false);
            var existing = await LoadMembersAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false);
            Func<VpcMember, bool> replaces = static _ => true;
            var selected = inputs;
            if (groupName is not null)
            {
                var group = groups.Find(candidate => candidate.MemberGroupName == groupName)
                    ?? throw VpcChannelErrors.Invalid("member_group_name", $"The channel has no member group named {groupName}");
                replaces = member => member.MemberGroupId == group.MemberGroupId;

                // Entries of other groups are ignored; the kept ones are checked under their original index.
                selected = [.. inputs.Select(input => input is not null && input.MemberGroupName == groupName ? input : null)];
            }

            var definitions = new List<MemberDefinition>();
            for (var i = 0; i < selected.Count; i++)
            {
                if (groupName is not null && selected[i] is null)
                {
                    continue;
                }

                var definition = VpcChannelValidator.Member(selected[i], $"members[{i}]", channel.MemberType);
                if (!definitions.Exists(d => string.Equals(d.Address, definition.Address, StringComparison.OrdinalIgnoreCase)))
                {
                    definitions.Add(definition);
                }
            }

            var members = ApplyMembers(transaction, scope.InstanceId, channel, existing, replaces, definitions, groups, ApigClock.Timestamp(time));
            return MemberList(members, channel);
        }, cancellationToken);
    }

    /// <summary>3.17.7.</summary>
    public async Task<VpcMemberList> ListMembersAsync(ApigScope scope, string channelId, VpcMemberListFilter filter, CancellationToken cancellationToken)
    {
        Check.Id(filter.MemberGroupId, "member_group_id");
        var channel = await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
        var preciseName = NameFilter.IsPrecise(filter.PreciseSearch, "name");
        var preciseGroupName = NameFilter.IsPrecise(filter.PreciseSearch, "member_group_name");
        var matching = new List<VpcMember>();
        foreach (var member in await LoadMembersAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false))
        {
            if (NameFilter.Matches(member.EcsName, filter.Name, preciseName) &&
                NameFilter.Matches(member.MemberGroupName, filter.MemberGroupName, preciseGroupName) &&
                Matches(filter.MemberGroupId, member.MemberGroupId))
            {
                matching.Add(PresentMember(member, channel));
            }
        }

        var page = filter.Page.Apply(matching);
        return new VpcMemberList(page.Size, page.Total, page.Items);
    }

    /// <summary>3.17.9.</summary>
    public Task DeleteMemberAsync(ApigScope scope, string channelId, string memberId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
            await RequireMemberAsync(scope.InstanceId, channelId, memberId, cancellationToken).ConfigureAwait(false);
            transaction.Delete(VpcChannelStoreKeys.Member(scope.InstanceId, memberId));
            return true;
        }, cancellationToken);

    /// <summary>
    /// 3.17.10 / 3.17.11: sets the status of the named members to 1 (available) or 2 (unavailable). All or nothing: an
    /// unknown member fails the call. No IDs means no change.
    /// </summary>
    public Task SetMemberStatusAsync(ApigScope scope, string channelId, MemberIdsRequest request, int status, CancellationToken cancellationToken)
    {
        var memberIds = new List<string>();
        foreach (var id in request.MemberIds ?? [])
        {
            var memberId = Check.Required(id, "member_ids");
            Check.Id(memberId, "member_ids");
            if (!memberIds.Contains(memberId, StringComparer.Ordinal))
            {
                memberIds.Add(memberId);
            }
        }

        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
            foreach (var memberId in memberIds)
            {
                var member = await RequireMemberAsync(scope.InstanceId, channelId, memberId, cancellationToken).ConfigureAwait(false);
                if (member.Status != status)
                {
                    PutMember(transaction, scope.InstanceId, member with { Status = status });
                }
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>The members of one channel, oldest first.</summary>
    public async Task<List<VpcMember>> LoadMembersAsync(string instanceId, string channelId, CancellationToken cancellationToken)
    {
        var members = await writer.ListAsync(VpcChannelStoreKeys.Members(instanceId), VpcChannelJsonContext.Default.VpcMember, cancellationToken).ConfigureAwait(false);
        members = members.FindAll(member => member.VpcChannelId == channelId);
        members.Sort(static (a, b) => CompareByCreation(a.CreateTime, a.Id, b.CreateTime, b.Id));
        return members;
    }

    /// <summary>
    /// Writes member definitions into the channel: a definition whose address matches an existing member updates it,
    /// the others are added, and existing members selected by <paramref name="replaces"/> that are not redefined are
    /// deleted. Returns every member the channel has afterwards; more than the quota fails the whole call.
    /// </summary>
    private static List<VpcMember> ApplyMembers(
        StoreTransaction transaction,
        string instanceId,
        VpcChannel channel,
        List<VpcMember> existing,
        Func<VpcMember, bool> replaces,
        List<MemberDefinition> definitions,
        List<VpcMemberGroup> groups,
        string timestamp)
    {
        var result = new List<VpcMember>();
        var redefined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            VpcMemberGroup? group = null;
            if (definition.GroupName is not null)
            {
                group = groups.Find(candidate => candidate.MemberGroupName == definition.GroupName)
                    ?? throw VpcChannelErrors.Invalid($"{definition.At}.member_group_name", $"The channel has no member group named {definition.GroupName}");
            }

            var previous = existing.Find(member => string.Equals(Address(member, channel.MemberType), definition.Address, StringComparison.OrdinalIgnoreCase));
            var member = new VpcMember
            {
                Host = definition.Host,
                Weight = definition.Weight,
                IsBackup = definition.IsBackup,
                MemberGroupName = group?.MemberGroupName ?? "",
                Status = definition.Status,
                Port = definition.Port,
                EcsId = definition.EcsId,
                EcsName = definition.EcsName,
                Id = previous?.Id ?? ApigClock.NewId(),
                VpcChannelId = channel.Id,
                CreateTime = previous?.CreateTime ?? timestamp,
                MemberGroupId = group?.MemberGroupId ?? "",
                HealthStatus = previous?.HealthStatus,
            };
            if (previous is not null)
            {
                redefined.Add(previous.Id);
            }

            PutMember(transaction, instanceId, member);
            result.Add(member);
        }

        foreach (var member in existing)
        {
            if (redefined.Contains(member.Id))
            {
                continue;
            }

            if (replaces(member))
            {
                transaction.Delete(VpcChannelStoreKeys.Member(instanceId, member.Id));
            }
            else
            {
                result.Add(member);
            }
        }

        if (result.Count > VpcChannelValidator.MaxMembersPerChannel)
        {
            throw VpcChannelErrors.TooManyMembers(VpcChannelValidator.MaxMembersPerChannel);
        }

        result.Sort(static (a, b) => CompareByCreation(a.CreateTime, a.Id, b.CreateTime, b.Id));
        return result;
    }

    private async Task<VpcMember> RequireMemberAsync(string instanceId, string channelId, string memberId, CancellationToken cancellationToken)
    {
        var member = await writer.ReadAsync(VpcChannelStoreKeys.Member(instanceId, memberId), VpcChannelJsonContext.Default.VpcMember, cancellationToken).ConfigureAwait(false);
        return member is not null && member.VpcChannelId == channelId ? member : throw VpcChannelErrors.MemberNotFound(memberId);
    }

    private static string Address(VpcMember member, string memberType) => memberType == "ip" ? member.Host ?? member.EcsId : member.EcsId;

    private static void PutMember(StoreTransaction transaction, string instanceId, VpcMember member) =>
        transaction.Put(VpcChannelStoreKeys.Member(instanceId, member.Id), ResourceWriter.Serialize(member, VpcChannelJsonContext.Default.VpcMember));

    /// <summary>
    /// VpcMemberInfo with the effective port. The observed health is shown as the extra field <c>health_status</c>
    /// (1 healthy, 2 unhealthy; absent until the data plane recorded one): the documented shape has only the
    /// administrative <c>status</c>.
    /// </summary>
    private static VpcMember PresentMember(VpcMember member, VpcChannel channel) =>
        member with { Port = EffectivePort(member, channel) };

    private static VpcMemberList MemberList(List<VpcMember> members, VpcChannel channel) =>
        new(members.Count, members.Count, members.ConvertAll(member => PresentMember(member, channel)));
}
