using System.Text.Json.Serialization;

namespace Gateway.Apig.Groups;

/// <summary>3.1.1 create / 3.1.2 update body.</summary>
internal sealed record ApiGroupRequest
{
    public string? Name { get; init; }
    public string? Remark { get; init; }
    public string? RomaAppId { get; init; }
    public string? Version { get; init; }
}

/// <summary>3.1.6 check-name body.</summary>
internal sealed record GroupNameCheckRequest
{
    public string? GroupName { get; init; }
    public string? RomaAppId { get; init; }
}

/// <summary>A custom domain bound to a group (UrlDomain).</summary>
internal sealed record UrlDomain
{
    public required string Id { get; init; }
    public required string Domain { get; init; }
    public int CnameStatus { get; init; } = 3;
    public string? SslId { get; init; }
    public string? SslName { get; init; }
    public string MinSslVersion { get; init; } = "TLSv1.1";
    public bool VerifiedClientCertificateEnabled { get; init; }
    public bool IsHasTrustedRootCa { get; init; }
}

/// <summary>The API group: stored form and the 3.1 response shape (ApiGroupInfo).</summary>
internal sealed record ApiGroup
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public int Status { get; init; } = 1;
    public required string SlDomain { get; init; }
    public required List<string> SlDomains { get; init; }
    public required string RegisterTime { get; init; }
    public required string UpdateTime { get; init; }
    public int OnSellStatus { get; init; } = 2;
    public List<UrlDomain> UrlDomains { get; init; } = [];
    public bool SlDomainAccessEnabled { get; init; } = true;
    public string? Remark { get; init; }
    public int IsDefault { get; init; } = 2;
    public string Version { get; init; } = "V1";
    public string? RomaAppId { get; init; }
    public string? RomaAppName { get; init; }
}

/// <summary>3.1.5 response.</summary>
internal sealed record ApiGroupList(int Size, long Total, IReadOnlyList<ApiGroup> Groups);

/// <summary>3.1.5 query filters.</summary>
internal sealed record ApiGroupListFilter(Common.ListQuery Page, string? Id, string? Name, string? PreciseSearch);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ApiGroupRequest))]
[JsonSerializable(typeof(GroupNameCheckRequest))]
[JsonSerializable(typeof(ApiGroup))]
[JsonSerializable(typeof(ApiGroupList))]
internal sealed partial class GroupJsonContext : JsonSerializerContext;
