using System.Text.Json.Serialization;
using Gateway.Apig.Common;

namespace Gateway.Apig.VpcChannels;

// ---------------------------------------------------------------------------------------------------------------
// Request bodies. Every member is nullable so that validation, not deserialization, reports what is missing.
// ---------------------------------------------------------------------------------------------------------------

/// <summary>3.17.1 create / 3.17.2 update body (update is a full overwrite).</summary>
internal sealed record VpcChannelRequest
{
    public string? Name { get; init; }
    public int? Port { get; init; }
    public int? BalanceStrategy { get; init; }
    public string? MemberType { get; init; }
    public int? Type { get; init; }
    public string? DictCode { get; init; }
    public List<MemberGroupInput?>? MemberGroups { get; init; }
    public List<MemberInput?>? Members { get; init; }
    public HealthConfigInput? VpcHealthConfig { get; init; }
    public MicroserviceInput? MicroserviceInfo { get; init; }
}

/// <summary>MemberInfo: a backend instance.</summary>
internal sealed record MemberInput
{
    public string? Host { get; init; }
    public int? Weight { get; init; }
    public bool? IsBackup { get; init; }
    public string? MemberGroupName { get; init; }
    public int? Status { get; init; }
    public int? Port { get; init; }
    public string? EcsId { get; init; }
    public string? EcsName { get; init; }
}

/// <summary>MemberGroupCreate: a backend server group.</summary>
internal sealed record MemberGroupInput
{
    public string? MemberGroupName { get; init; }
    public string? MemberGroupRemark { get; init; }
    public int? MemberGroupWeight { get; init; }
    public string? DictCode { get; init; }
    public string? MicroserviceVersion { get; init; }
    public int? MicroservicePort { get; init; }
    public List<MicroserviceLabel?>? MicroserviceLabels { get; init; }
}

/// <summary>MicroserviceLabel, in requests and responses.</summary>
internal sealed record MicroserviceLabel
{
    public string? LabelName { get; init; }
    public string? LabelValue { get; init; }
}

/// <summary>VpcHealthConfig: the channel's health check.</summary>
internal sealed record HealthConfigInput
{
    public string? Protocol { get; init; }
    public string? Path { get; init; }
    public string? Method { get; init; }
    public int? Port { get; init; }
    public int? ThresholdNormal { get; init; }
    public int? ThresholdAbnormal { get; init; }
    public int? TimeInterval { get; init; }
    public string? HttpCode { get; init; }
    public bool? EnableClientSsl { get; init; }
    public int? Status { get; init; }
    public int? Timeout { get; init; }
}

/// <summary>MicroServiceCreate.</summary>
internal sealed record MicroserviceInput
{
    public string? ServiceType { get; init; }
    public CseInput? CseInfo { get; init; }
    public CceInput? CceInfo { get; init; }
    public CceServiceInput? CceServiceInfo { get; init; }
}

/// <summary>MicroServiceInfoCSEBase.</summary>
internal sealed record CseInput
{
    public string? EngineId { get; init; }
    public string? ServiceId { get; init; }
}

/// <summary>MicroServiceInfoCCEBase.</summary>
internal sealed record CceInput
{
    public string? ClusterId { get; init; }
    public string? Namespace { get; init; }
    public string? WorkloadType { get; init; }
    public string? AppName { get; init; }
    public string? LabelKey { get; init; }
    public string? LabelValue { get; init; }
}

/// <summary>MicroServiceInfoCCEServiceBase.</summary>
internal sealed record CceServiceInput
{
    public string? ClusterId { get; init; }
    public string? Namespace { get; init; }
    public string? ServiceName { get; init; }
}

/// <summary>3.17.6 add-or-update body.</summary>
internal sealed record AddMembersRequest
{
    public List<MemberInput?>? Members { get; init; }
}

/// <summary>3.17.8 update body: replaces all members, or only those of <see cref="MemberGroupName"/>.</summary>
internal sealed record UpdateMembersRequest
{
    public List<MemberInput?>? Members { get; init; }
    public string? MemberGroupName { get; init; }
}

/// <summary>3.17.10 / 3.17.11 body.</summary>
internal sealed record MemberIdsRequest
{
    public List<string?>? MemberIds { get; init; }
}

/// <summary>3.17.13 add-or-update body.</summary>
internal sealed record AddMemberGroupsRequest
{
    public List<MemberGroupInput?>? MemberGroups { get; init; }
}

// ---------------------------------------------------------------------------------------------------------------
// Stored records and response shapes. The data plane reads the same records: one per channel (with its health
// check), one per member and one per member group (each with a top-level vpc_channel_id).
// ---------------------------------------------------------------------------------------------------------------

/// <summary>
/// A VPC channel (VpcChannelInfo). The stored record carries the channel and its health check; members and member
/// groups are records of their own. <see cref="MemberGroups"/> and <see cref="Members"/> are read-time only, and the
/// health check is shown by the detail view (3.17.4) only.
/// </summary>
internal sealed record VpcChannel
{
    public required string Name { get; init; }
    public required int Port { get; init; }
    public required int BalanceStrategy { get; init; }
    public required string MemberType { get; init; }
    public required int Type { get; init; }
    public string DictCode { get; init; } = "";
    public required string CreateTime { get; init; }
    public required string Id { get; init; }

    /// <summary>1 normal, 2 abnormal.</summary>
    public int Status { get; init; } = 1;

    public List<VpcMemberGroup>? MemberGroups { get; init; }
    public MicroserviceInfo? MicroserviceInfo { get; init; }
    public List<VpcMember>? Members { get; init; }
    public VpcHealthConfig? VpcHealthConfig { get; init; }
}

/// <summary>
/// A backend instance (VpcMemberInfo). <see cref="Status"/> is the documented administrative state (1 available,
/// 2 unavailable; set on input and by batch enable/disable). <see cref="HealthStatus"/> is where the health checker
/// records what it observed (1 healthy, 2 unhealthy); it stays unset until the data plane recorded a state, and responses
/// show it as the extra field <c>health_status</c> (the documented shape has only <c>status</c>).
/// </summary>
internal sealed record VpcMember
{
    public string? Host { get; init; }
    public required int Weight { get; init; }
    public bool IsBackup { get; init; }
    public string MemberGroupName { get; init; } = "";
    public int Status { get; init; } = 1;
    public required int Port { get; init; }
    public required string EcsId { get; init; }
    public required string EcsName { get; init; }
    public required string Id { get; init; }

    /// <summary>Always set in the store; the owner of the record.</summary>
    public required string VpcChannelId { get; init; }

    public required string CreateTime { get; init; }
    public string MemberGroupId { get; init; } = "";
    public int? HealthStatus { get; init; }
}

/// <summary>A backend server group (MemberGroupInfo). <see cref="VpcChannelId"/> is stored but not shown.</summary>
internal sealed record VpcMemberGroup
{
    public required string MemberGroupName { get; init; }
    public string? MemberGroupRemark { get; init; }
    public int? MemberGroupWeight { get; init; }
    public string? DictCode { get; init; }
    public string? MicroserviceVersion { get; init; }
    public int? MicroservicePort { get; init; }
    public List<MicroserviceLabel> MicroserviceLabels { get; init; } = [];
    public required string MemberGroupId { get; init; }
    public required string CreateTime { get; init; }
    public required string UpdateTime { get; init; }
    public string? VpcChannelId { get; init; }
}

/// <summary>VpcHealthConfigInfo: the health check with its identity.</summary>
internal sealed record VpcHealthConfig
{
    public required string Protocol { get; init; }
    public string? Path { get; init; }
    public string Method { get; init; } = "GET";
    public int Port { get; init; }
    public required int ThresholdNormal { get; init; }
    public required int ThresholdAbnormal { get; init; }
    public required int TimeInterval { get; init; }
    public string? HttpCode { get; init; }
    public bool EnableClientSsl { get; init; }

    /// <summary>1 enabled, 2 disabled.</summary>
    public int Status { get; init; } = 1;

    public required int Timeout { get; init; }
    public required string VpcChannelId { get; init; }
    public required string Id { get; init; }
    public required string CreateTime { get; init; }
}

/// <summary>MicroServiceInfo: the registry or container workload a microservice channel follows.</summary>
internal sealed record MicroserviceInfo
{
    public required string Id { get; init; }
    public required string InstanceId { get; init; }
    public string? ServiceType { get; init; }
    public CseInfo? CseInfo { get; init; }
    public CceInfo? CceInfo { get; init; }
    public CceServiceInfo? CceServiceInfo { get; init; }
    public required string CreateTime { get; init; }
    public required string UpdateTime { get; init; }
}

/// <summary>MicroServiceInfoCSE. The registry-side names are not known here and stay unset.</summary>
internal sealed record CseInfo
{
    public required string EngineId { get; init; }
    public required string ServiceId { get; init; }
    public string? EngineName { get; init; }
    public string? ServiceName { get; init; }
    public string? RegisterAddress { get; init; }
    public string? CseAppId { get; init; }
    public string? Version { get; init; }
}

/// <summary>MicroServiceInfoCCE.</summary>
internal sealed record CceInfo
{
    public required string ClusterId { get; init; }
    public required string Namespace { get; init; }
    public required string WorkloadType { get; init; }
    public string? AppName { get; init; }
    public string? LabelKey { get; init; }
    public string? LabelValue { get; init; }
    public string? ClusterName { get; init; }
}

/// <summary>MicroServiceInfoCCEService.</summary>
internal sealed record CceServiceInfo
{
    public required string ClusterId { get; init; }
    public required string Namespace { get; init; }
    public required string ServiceName { get; init; }
    public string? ClusterName { get; init; }
}

/// <summary>3.17.5 response.</summary>
internal sealed record VpcChannelList(int Size, long Total, IReadOnlyList<VpcChannel> VpcChannels);

/// <summary>3.17.5 query filters.</summary>
internal sealed record VpcChannelListFilter
{
    public ListQuery Page { get; init; } = ListQuery.Create(null, null);
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? DictCode { get; init; }
    public string? PreciseSearch { get; init; }
    public string? MemberHost { get; init; }
    public int? MemberPort { get; init; }
    public string? MemberGroupName { get; init; }
    public string? MemberGroupId { get; init; }
}

/// <summary>3.17.6 / 3.17.7 / 3.17.8 response.</summary>
internal sealed record VpcMemberList(int Size, long Total, IReadOnlyList<VpcMember> Members);

/// <summary>3.17.7 query filters.</summary>
internal sealed record VpcMemberListFilter(ListQuery Page, string? Name, string? MemberGroupName, string? MemberGroupId, string? PreciseSearch);

/// <summary>3.17.13 / 3.17.14 response.</summary>
internal sealed record VpcMemberGroupList(int Size, long Total, IReadOnlyList<VpcMemberGroup> MemberGroups);

/// <summary>3.17.14 query filters.</summary>
internal sealed record VpcMemberGroupListFilter(ListQuery Page, string? DictCode, string? MemberGroupName, string? PreciseSearch);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(VpcChannelRequest))]
[JsonSerializable(typeof(AddMembersRequest))]
[JsonSerializable(typeof(UpdateMembersRequest))]
[JsonSerializable(typeof(MemberIdsRequest))]
[JsonSerializable(typeof(AddMemberGroupsRequest))]
[JsonSerializable(typeof(HealthConfigInput))]
[JsonSerializable(typeof(MemberGroupInput))]
[JsonSerializable(typeof(VpcChannel))]
[JsonSerializable(typeof(VpcMember))]
[JsonSerializable(typeof(VpcMemberGroup))]
[JsonSerializable(typeof(VpcHealthConfig))]
[JsonSerializable(typeof(VpcChannelList))]
[JsonSerializable(typeof(VpcMemberList))]
[JsonSerializable(typeof(VpcMemberGroupList))]
internal sealed partial class VpcChannelJsonContext : JsonSerializerContext;
