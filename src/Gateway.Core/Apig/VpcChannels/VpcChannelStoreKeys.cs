namespace Gateway.Apig.VpcChannels;

/// <summary>
/// Store key layout of VPC channels: one record per channel (with its health check), one per member and one per
/// member group. Members and groups carry a top-level <c>vpc_channel_id</c> and are deleted with their channel.
/// </summary>
internal static class VpcChannelStoreKeys
{
    public static string Channels(string instanceId) => $"apig/inst/{instanceId}/vpc-channels/";

    public static string Channel(string instanceId, string channelId) => Channels(instanceId) + channelId;

    public static string Members(string instanceId) => $"apig/inst/{instanceId}/vpc-members/";

    public static string Member(string instanceId, string memberId) => Members(instanceId) + memberId;

    public static string MemberGroups(string instanceId) => $"apig/inst/{instanceId}/vpc-member-groups/";

    public static string MemberGroup(string instanceId, string memberGroupId) => MemberGroups(instanceId) + memberGroupId;
}
