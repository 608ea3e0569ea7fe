using System.Text.Json.Serialization;

namespace Gateway.Apig.Instances;

/// <summary>3.23.1 create-instance body.</summary>
internal sealed record CreateInstanceRequest
{
    public string? InstanceName { get; init; }
    public string? SpecId { get; init; }
    public string? VpcId { get; init; }
    public string? SubnetId { get; init; }
    public string? SecurityGroupId { get; init; }
    public List<string>? AvailableZoneIds { get; init; }
    public string? Description { get; init; }
    public string? MaintainBegin { get; init; }
    public string? MaintainEnd { get; init; }
    public string? InstanceId { get; init; }
    public string? EipId { get; init; }
    public string? EnterpriseProjectId { get; init; }
    public int? BandwidthSize { get; init; }
    public string? BandwidthChargingMode { get; init; }
    public string? LoadbalancerProvider { get; init; }
    public List<InstanceTag>? Tags { get; init; }
    public string? VpcepServiceName { get; init; }
    public int? IngressBandwidthSize { get; init; }
    public string? IngressBandwidthChargingMode { get; init; }
}

/// <summary>A TMS key/value tag.</summary>
internal sealed record InstanceTag
{
    public string? Key { get; init; }
    public string? Value { get; init; }
}

/// <summary>3.23.1 response (202).</summary>
internal sealed record CreateInstanceResponse(string InstanceId, string Message, string JobId);

/// <summary>The stored instance and the 3.23.2 detail shape.</summary>
internal sealed record Instance
{
    public required string Id { get; init; }
    public required string ProjectId { get; init; }
    public required string InstanceName { get; init; }
    public string Status { get; init; } = "Running";
    public int InstanceStatus { get; init; } = 6;
    public string Type { get; init; } = "apig";
    public required string Spec { get; init; }
    public long CreateTime { get; init; }
    public string? EnterpriseProjectId { get; init; }
    public string? EipAddress { get; init; }
    public int ChargingMode { get; init; }
    public string LoadbalancerProvider { get; init; } = "lvs";
    public string? Description { get; init; }
    public string? VpcId { get; init; }
    public string? SubnetId { get; init; }
    public string? SecurityGroupId { get; init; }
    public string? MaintainBegin { get; init; }
    public string? MaintainEnd { get; init; }
    public string? IngressIp { get; init; }
    public string? UserId { get; init; }
    public string? NatEipAddress { get; init; }
    public int BandwidthSize { get; init; }
    public string? BandwidthChargingMode { get; init; }
    public string? AvailableZoneIds { get; init; }
    public string? InstanceVersion { get; init; }
    public List<string> SupportedFeatures { get; init; } = [];
    public List<EndpointService> EndpointServices { get; init; } = [];
    public bool IsReleasable { get; init; } = true;
    public string? IngressBandwidthChargingMode { get; init; }
    public List<InstanceTag>? Tags { get; init; }
}

/// <summary>An endpoint service of the instance.</summary>
internal sealed record EndpointService(string ServiceName, long CreatedAt);

/// <summary>3.23.14 list item (RespInstanceBase).</summary>
internal sealed record InstanceSummary
{
    public required string Id { get; init; }
    public required string ProjectId { get; init; }
    public required string InstanceName { get; init; }
    public required string Status { get; init; }
    public int InstanceStatus { get; init; }
    public required string Type { get; init; }
    public required string Spec { get; init; }
    public long CreateTime { get; init; }
    public string? EnterpriseProjectId { get; init; }
    public string? EipAddress { get; init; }
    public int ChargingMode { get; init; }
    public string? LoadbalancerProvider { get; init; }

    public static InstanceSummary From(Instance instance) => new()
    {
        Id = instance.Id,
        ProjectId = instance.ProjectId,
        InstanceName = instance.InstanceName,
        Status = instance.Status,
        InstanceStatus = instance.InstanceStatus,
        Type = instance.Type,
        Spec = instance.Spec,
        CreateTime = instance.CreateTime,
        EnterpriseProjectId = instance.EnterpriseProjectId,
        EipAddress = instance.EipAddress,
        ChargingMode = instance.ChargingMode,
        LoadbalancerProvider = instance.LoadbalancerProvider,
    };
}

/// <summary>3.23.14 response.</summary>
internal sealed record InstanceList(int Size, long Total, IReadOnlyList<InstanceSummary> Instances);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(CreateInstanceRequest))]
[JsonSerializable(typeof(CreateInstanceResponse))]
[JsonSerializable(typeof(Instance))]
[JsonSerializable(typeof(InstanceList))]
internal sealed partial class InstanceJsonContext : JsonSerializerContext;
