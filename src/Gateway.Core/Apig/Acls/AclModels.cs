using System.Text.Json.Serialization;

namespace Gateway.Apig.Acls;

/// <summary>3.13.1 create / 3.13.2 update body.</summary>
internal sealed record AclRequest
{
    public string? AclName { get; init; }
    public string? AclType { get; init; }
    public string? AclValue { get; init; }
    public string? EntityType { get; init; }
}

/// <summary>An ACL policy: the stored record and the 3.13 response. <see cref="BindNum"/> is filled in by the list only.</summary>
internal sealed record AclPolicy
{
    public required string Id { get; init; }
    public required string AclName { get; init; }
    public required string AclType { get; init; }
    public required string AclValue { get; init; }
    public required string EntityType { get; init; }
    public required string UpdateTime { get; init; }

    // Read time, list only (ApiAclInfoWithBindNum).
    public int? BindNum { get; init; }
}

/// <summary>3.13.6 response.</summary>
internal sealed record AclList(int Size, long Total, IReadOnlyList<AclPolicy> Acls);

/// <summary>3.13.6 query filters.</summary>
internal sealed record AclListFilter(Common.ListQuery Page, string? Id, string? Name, string? AclType, string? EntityType, string? PreciseSearch);

/// <summary>3.13.4 batch delete body.</summary>
internal sealed record AclBatchDeleteRequest
{
    public List<string?>? Acls { get; init; }
}

/// <summary>AclBatchResultFailureResp.</summary>
internal sealed record AclBatchFailure
{
    public string? AclId { get; init; }
    public string? AclName { get; init; }
    public required string ErrorCode { get; init; }
    public required string ErrorMsg { get; init; }
}

/// <summary>3.13.4 response.</summary>
internal sealed record AclBatchDeleteResult(int SuccessCount, IReadOnlyList<AclBatchFailure> Failure);

/// <summary>3.14.1 bind body.</summary>
internal sealed record AclBindRequest
{
    public string? AclId { get; init; }
    public List<string?>? PublishIds { get; init; }
}

/// <summary>An ACL bound to one API in one environment (stored; owned by both the API and the environment).</summary>
internal sealed record AclBinding
{
    public required string Id { get; init; }
    public required string AclId { get; init; }
    public required string ApiId { get; init; }
    public required string EnvId { get; init; }

    /// <summary>The publication the binding was made through; lists show the current one while the API is published.</summary>
    public required string PublishId { get; init; }
    public required string CreateTime { get; init; }
}

/// <summary>AclApiBindingInfo, the 3.14.1 response item.</summary>
internal sealed record AclApiBindingInfo(string Id, string ApiId, string EnvId, string AclId, string CreateTime);

/// <summary>3.14.1 response.</summary>
internal sealed record AclBindResult(IReadOnlyList<AclApiBindingInfo> AclBindings);

/// <summary>3.14.3 batch unbind body.</summary>
internal sealed record AclBatchUnbindRequest
{
    public List<string?>? AclBindings { get; init; }
}

/// <summary>AclBindingBatchFailure.</summary>
internal sealed record AclBindingFailure
{
    public string? BindId { get; init; }
    public required string ErrorCode { get; init; }
    public required string ErrorMsg { get; init; }
    public string? ApiId { get; init; }
    public string? ApiName { get; init; }
}

/// <summary>3.14.3 response.</summary>
internal sealed record AclBatchUnbindResult(int SuccessCount, IReadOnlyList<AclBindingFailure> Failure);

/// <summary>3.14.4 / 3.14.5 query filters.</summary>
internal sealed record AclApiFilter(Common.ListQuery Page, string? AclId, string? ApiId, string? ApiName, string? EnvId, string? GroupId);

/// <summary>AclBindApiInfo: an API bound to the ACL in one environment.</summary>
internal sealed record AclBindApiInfo
{
    public required string ApiId { get; init; }
    public required string ApiName { get; init; }
    public required long ApiType { get; init; }
    public string? ApiRemark { get; init; }
    public required string EnvId { get; init; }
    public string? EnvName { get; init; }
    public required string BindId { get; init; }
    public string? GroupName { get; init; }
    public required string BindTime { get; init; }
    public string? PublishId { get; init; }
    public required string ReqMethod { get; init; }
}

/// <summary>3.14.4 response.</summary>
internal sealed record AclBindApiList(int Size, long Total, IReadOnlyList<AclBindApiInfo> Apis);

/// <summary>UnbindApiForAcl: a published API not bound to the ACL, with the other ACL of the same type it has there (if any).</summary>
internal sealed record UnbindApiForAcl
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string GroupId { get; init; }
    public string? GroupName { get; init; }
    public required int Type { get; init; }
    public string? Remark { get; init; }
    public string? RunEnvName { get; init; }
    public required string RunEnvId { get; init; }
    public required string PublishId { get; init; }
    public string? AclName { get; init; }
    public required string ReqUri { get; init; }
    public required string AuthType { get; init; }
    public required string ReqMethod { get; init; }
}

/// <summary>3.14.5 response.</summary>
internal sealed record UnbindApiForAclList(int Size, long Total, IReadOnlyList<UnbindApiForAcl> Apis);

/// <summary>3.14.6 query filters.</summary>
internal sealed record BoundAclFilter(Common.ListQuery Page, string? ApiId, string? EnvId, string? EnvName, string? AclId, string? AclName);

/// <summary>ApiBindAclInfo: an ACL bound to the API in one environment.</summary>
internal sealed record ApiBindAclInfo
{
    public required string AclId { get; init; }
    public required string AclName { get; init; }
    public required string EntityType { get; init; }
    public required string AclType { get; init; }
    public required string AclValue { get; init; }
    public required string EnvId { get; init; }
    public string? EnvName { get; init; }
    public required string BindId { get; init; }
    public required string BindTime { get; init; }
}

/// <summary>3.14.6 response.</summary>
internal sealed record ApiBindAclList(int Size, long Total, IReadOnlyList<ApiBindAclInfo> Acls);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(AclRequest))]
[JsonSerializable(typeof(AclPolicy))]
[JsonSerializable(typeof(AclList))]
[JsonSerializable(typeof(AclBatchDeleteRequest))]
[JsonSerializable(typeof(AclBatchDeleteResult))]
[JsonSerializable(typeof(AclBindRequest))]
[JsonSerializable(typeof(AclBinding))]
[JsonSerializable(typeof(AclBindResult))]
[JsonSerializable(typeof(AclBatchUnbindRequest))]
[JsonSerializable(typeof(AclBatchUnbindResult))]
[JsonSerializable(typeof(AclBindApiList))]
[JsonSerializable(typeof(UnbindApiForAclList))]
[JsonSerializable(typeof(ApiBindAclList))]
internal sealed partial class AclJsonContext : JsonSerializerContext;
