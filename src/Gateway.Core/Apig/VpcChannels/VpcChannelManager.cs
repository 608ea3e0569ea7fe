using Gateway.Apig.Apis;
using Gateway.Apig.Common;
using Gateway.Apig.Instances;
using Gateway.Errors;
using Gateway.Store;

namespace Gateway.Apig.VpcChannels;

/// <summary>
/// 3.17 VPC channels: named sets of backend members (with optional server groups and a health check) that API backends
/// reach through <c>backend_api.vpc_channel_info.vpc_channel_id</c>. At most <see cref="MaxChannels"/> per instance,
/// names unique per instance. A channel an API definition (or a version in force) uses cannot be deleted.
/// Members and groups are in VpcChannelManager.Members.cs and VpcChannelManager.MemberGroups.cs.
/// </summary>
internal sealed partial class VpcChannelManager(ResourceWriter writer, TimeProvider time)
{
    /// <summary>VPC_NUM_LIMIT: "each user may create at most 30 VPC channels".</summary>
    public const int MaxChannels = 30;

    public Task<VpcChannel> CreateAsync(ApigScope scope, VpcChannelRequest request, CancellationToken cancellationToken)
    {
        var definition = VpcChannelValidator.Channel(request);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            var channels = await ListAllChannelsAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
            if (channels.Count >= MaxChannels)
            {
                throw VpcChannelErrors.TooManyChannels(MaxChannels);
            }

            EnsureNameFree(channels, definition.Name, exceptId: null);
            var timestamp = ApigClock.Timestamp(time);
            var channelId = ApigClock.NewId();
            var channel = new VpcChannel
            {
                Id = channelId,
                Name = definition.Name,
                Port = definition.Port,
                BalanceStrategy = definition.BalanceStrategy,
                MemberType = definition.MemberType,
                Type = definition.Type,
                DictCode = definition.DictCode,
                CreateTime = timestamp,
                VpcHealthConfig = definition.Health?.ToConfig(ApigClock.NewId(), channelId, timestamp),
                MicroserviceInfo = Microservice(definition.Microservice, previous: null, scope.InstanceId, timestamp),
            };
            PutChannel(transaction, scope.InstanceId, channel);
            var groups = ApplyGroups(transaction, scope.InstanceId, channelId, [], definition.Groups ?? [], replaceAll: true, timestamp);
            ApplyMembers(transaction, scope.InstanceId, channel, [], static _ => false, definition.Members ?? [], groups, timestamp);
            return Present(channel, groups);
        }, cancellationToken);
    }

    /// <summary>
    /// 3.17.2. The channel's fields are replaced. A given member_groups or members list replaces all groups or members
    /// (an empty list removes them all; members and groups keep their IDs when their name or address stays); an omitted
    /// list leaves them as they are, except that members of removed groups go with them. An omitted
    /// vpc_health_config or microservice_info is kept.
    /// </summary>
    public Task<VpcChannel> UpdateAsync(ApigScope scope, string channelId, VpcChannelRequest request, CancellationToken cancellationToken)
    {
        var definition = VpcChannelValidator.Channel(request);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var channel = await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
            EnsureNameFree(await ListAllChannelsAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false), definition.Name, exceptId: channelId);
            var existingGroups = await LoadGroupsAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false);
            var existingMembers = await LoadMembersAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false);
            if (definition.MemberType != channel.MemberType && definition.Members is null && existingMembers.Count > 0)
            {
                // Members of the old type would not fit the new one.
                throw VpcChannelErrors.Invalid("members", "Changing member_type requires the new members");
            }

            var timestamp = ApigClock.Timestamp(time);
            var health = channel.VpcHealthConfig;
            var updated = channel with
            {
                Name = definition.Name,
                Port = definition.Port,
                BalanceStrategy = definition.BalanceStrategy,
                MemberType = definition.MemberType,
                Type = definition.Type,
                DictCode = definition.DictCode,
                VpcHealthConfig = definition.Health is null ? health : definition.Health.ToConfig(health?.Id ?? ApigClock.NewId(), channelId, health?.CreateTime ?? timestamp),
                MicroserviceInfo = definition.Microservice is null
                    ? channel.MicroserviceInfo
                    : Microservice(definition.Microservice, channel.MicroserviceInfo, scope.InstanceId, timestamp),
            };
            PutChannel(transaction, scope.InstanceId, updated);
            var groups = definition.Groups is null
                ? existingGroups
                : ApplyGroups(transaction, scope.InstanceId, channelId, existingGroups, definition.Groups, replaceAll: true, timestamp);
            if (definition.Members is not null)
            {
                ApplyMembers(transaction, scope.InstanceId, updated, existingMembers, static _ => true, definition.Members, groups, timestamp);
            }
            else
            {
                foreach (var member in existingMembers)
                {
                    if (member.MemberGroupId.Length > 0 && !groups.Exists(group => group.MemberGroupId == member.MemberGroupId))
                    {
                        transaction.Delete(VpcChannelStoreKeys.Member(scope.InstanceId, member.Id));
                    }
                }
            }

            return Present(updated, groups);
        }, cancellationToken);
    }

    /// <summary>3.17.3: deletes the channel with its members and groups, unless an API uses it (APIG.3414).</summary>
    public Task DeleteAsync(ApigScope scope, string channelId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
            await EnsureUnusedAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false);
            transaction.Delete(VpcChannelStoreKeys.Channel(scope.InstanceId, channelId));
            await DeleteOwnedAsync(transaction, VpcChannelStoreKeys.Members(scope.InstanceId), channelId, cancellationToken).ConfigureAwait(false);
            await DeleteOwnedAsync(transaction, VpcChannelStoreKeys.MemberGroups(scope.InstanceId), channelId, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>3.17.4: the channel with its groups, members and health check.</summary>
    public async Task<VpcChannel> GetAsync(ApigScope scope, string channelId, CancellationToken cancellationToken)
    {
        var channel = await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
        var groups = await LoadGroupsAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false);
        var members = await LoadMembersAsync(scope.InstanceId, channelId, cancellationToken).ConfigureAwait(false);
        return Present(channel, groups) with
        {
            Status = ObservedStatus(members),
            Members = members.ConvertAll(member => PresentMember(member, channel)),
            VpcHealthConfig = channel.VpcHealthConfig,
        };
    }

    /// <summary>3.17.5: channels oldest first. Member filters select channels that have a matching member or group.</summary>
    public async Task<VpcChannelList> ListAsync(ApigScope scope, VpcChannelListFilter filter, CancellationToken cancellationToken)
    {
        Check.Id(filter.Id, "id");
        Check.Id(filter.MemberGroupId, "member_group_id");
        if (filter.MemberPort is not null)
        {
            Check.Range(filter.MemberPort, "member_port", 0, 65535);
        }

        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var channels = await ListAllChannelsAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var allMembers = await writer.ListAsync(VpcChannelStoreKeys.Members(scope.InstanceId), VpcChannelJsonContext.Default.VpcMember, cancellationToken).ConfigureAwait(false);
        var allGroups = await LoadAllGroupsAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
        var preciseName = NameFilter.IsPrecise(filter.PreciseSearch, "name");
        var preciseGroupName = NameFilter.IsPrecise(filter.PreciseSearch, "member_group_name");
        var matching = new List<VpcChannel>();
        foreach (var channel in channels)
        {
            if (!Matches(filter.Id, channel.Id) ||
                !NameFilter.Matches(channel.Name, filter.Name, preciseName) ||
                !Matches(filter.DictCode, channel.DictCode))
            {
                continue;
            }

            var members = allMembers.FindAll(member => member.VpcChannelId == channel.Id);
            var groups = allGroups.FindAll(group => group.VpcChannelId == channel.Id);
            if ((!string.IsNullOrEmpty(filter.MemberHost) && !members.Exists(member => member.Host == filter.MemberHost)) ||
                (filter.MemberPort is { } port && !members.Exists(member => EffectivePort(member, channel) == port)) ||
                (!string.IsNullOrEmpty(filter.MemberGroupName) && !groups.Exists(group => NameFilter.Matches(group.MemberGroupName, filter.MemberGroupName, preciseGroupName))) ||
                (!string.IsNullOrEmpty(filter.MemberGroupId) && !groups.Exists(group => group.MemberGroupId == filter.MemberGroupId)))
            {
                continue;
            }

            matching.Add(Present(channel, groups) with { Status = ObservedStatus(members) });
        }

        var page = filter.Page.Apply(matching);
        return new VpcChannelList(page.Size, page.Total, page.Items);
    }

    /// <summary>3.17.12: sets (or replaces) the channel's health check; its ID and creation time stay.</summary>
    public Task<VpcHealthConfig> UpdateHealthConfigAsync(ApigScope scope, string channelId, HealthConfigInput request, CancellationToken cancellationToken)
    {
        var definition = VpcChannelValidator.Health(request, "");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var channel = await RequireChannelAsync(scope, channelId, cancellationToken).ConfigureAwait(false);
            var existing = channel.VpcHealthConfig;
            var health = definition.ToConfig(existing?.Id ?? ApigClock.NewId(), channelId, existing?.CreateTime ?? ApigClock.Timestamp(time));
            PutChannel(transaction, scope.InstanceId, channel with { VpcHealthConfig = health });
            return health;
        }, cancellationToken);
    }

    public async Task<VpcChannel> RequireChannelAsync(ApigScope scope, string channelId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(VpcChannelStoreKeys.Channel(scope.InstanceId, channelId), VpcChannelJsonContext.Default.VpcChannel, cancellationToken).ConfigureAwait(false)
            ?? throw VpcChannelErrors.ChannelNotFound(channelId);
    }

    public async Task<List<VpcChannel>> ListAllChannelsAsync(string instanceId, CancellationToken cancellationToken)
    {
        var channels = await writer.ListAsync(VpcChannelStoreKeys.Channels(instanceId), VpcChannelJsonContext.Default.VpcChannel, cancellationToken).ConfigureAwait(false);
        channels.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.CreateTime, b.CreateTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return channels;
    }

    /// <summary>A member's port as the data plane uses it: its own, or the channel's when it has none (0).</summary>
    public static int EffectivePort(VpcMember member, VpcChannel channel) => member.Port == 0 ? channel.Port : member.Port;

    /// <summary>Whether an API definition sends any of its traffic (default or policy backend) through the channel.</summary>
    public static bool UsesChannel(Api api, string channelId) =>
        api.BackendApi?.VpcChannelInfo?.VpcChannelId == channelId ||
        (api.PolicyHttps is { } policies && policies.Exists(policy => policy.VpcChannelInfo?.VpcChannelId == channelId));

    private async Task EnsureUnusedAsync(string instanceId, string channelId, CancellationToken cancellationToken)
    {
        foreach (var api in await writer.ListAsync(ApigKeys.Apis(instanceId), ApiJsonContext.Default.Api, cancellationToken).ConfigureAwait(false))
        {
            if (UsesChannel(api, channelId))
            {
                throw VpcChannelErrors.UsedByApi(api.Name);
            }
        }

        // A published version keeps running after its API's definition moved away from the channel.
        foreach (var publication in await writer.ListAsync(ApigKeys.Publications(instanceId), ApiJsonContext.Default.ApiPublication, cancellationToken).ConfigureAwait(false))
        {
            var version = await writer.ReadAsync(ApigKeys.ApiVersion(instanceId, publication.VersionId), ApiJsonContext.Default.ApiVersionRecord, cancellationToken).ConfigureAwait(false);
            if (version is not null && UsesChannel(version.Definition, channelId))
            {
                throw VpcChannelErrors.UsedByApi(version.Definition.Name);
            }
        }
    }

    private async Task DeleteOwnedAsync(StoreTransaction transaction, string collection, string channelId, CancellationToken cancellationToken)
    {
        foreach (var entry in await writer.Store.ListAsync(collection, cancellationToken).ConfigureAwait(false))
        {
            if (JsonProbe.ReadString(entry.Value.Span, "vpc_channel_id"u8) == channelId)
            {
                transaction.Delete(entry.Key);
            }
        }
    }

    private static MicroserviceInfo? Microservice(MicroserviceDefinition? definition, MicroserviceInfo? previous, string instanceId, string timestamp) =>
        definition is null
            ? null
            : new MicroserviceInfo
            {
                Id = previous?.Id ?? ApigClock.NewId(),
                InstanceId = instanceId,
                ServiceType = definition.ServiceType,
                CseInfo = definition.Cse,
                CceInfo = definition.Cce,
                CceServiceInfo = definition.CceService,
                CreateTime = previous?.CreateTime ?? timestamp,
                UpdateTime = timestamp,
            };

    private static void EnsureNameFree(List<VpcChannel> channels, string name, string? exceptId)
    {
        foreach (var channel in channels)
        {
            if (channel.Id != exceptId && string.Equals(channel.Name, name, StringComparison.Ordinal))
            {
                throw VpcChannelErrors.NameExists(name);
            }
        }
    }

    private static void PutChannel(StoreTransaction transaction, string instanceId, VpcChannel channel) =>
        transaction.Put(VpcChannelStoreKeys.Channel(instanceId, channel.Id), ResourceWriter.Serialize(channel, VpcChannelJsonContext.Default.VpcChannel));

    /// <summary>VpcChannelInfo as create, update and list show it: with its groups, without members and health check.</summary>
    /// <summary>
    /// The channel's status as observed (1 normal, 2 abnormal): abnormal when it has enabled members and the data
    /// plane's health checks found every one of them unhealthy, so requests through it can only fail open.
    /// </summary>
    internal static int ObservedStatus(List<VpcMember> members)
    {
        var enabled = 0;
        foreach (var member in members)
        {
            if (member.Status != 1)
            {
                continue;
            }

            enabled++;
            if (member.HealthStatus != 2)
            {
                return 1;
            }
        }

        return enabled == 0 ? 1 : 2;
    }

    private static VpcChannel Present(VpcChannel channel, List<VpcMemberGroup> groups) =>
        channel with { MemberGroups = groups.ConvertAll(PresentGroup), Members = null, VpcHealthConfig = null };

    private static bool Matches(string? filter, string actual) => string.IsNullOrEmpty(filter) || filter == actual;

    private static int CompareByCreation(string aTime, string aId, string bTime, string bId)
    {
        var byTime = string.CompareOrdinal(aTime, bTime);
        return byTime != 0 ? byTime : string.CompareOrdinal(aId, bId);
    }
}
