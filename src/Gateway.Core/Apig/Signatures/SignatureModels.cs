using System.Text.Json.Serialization;
using Gateway.Apig.Common;

namespace Gateway.Apig.Signatures;

/// <summary>3.6.1 create / 3.6.2 update body (the same table).</summary>
internal sealed record SignatureKeyRequest
{
    public string? Name { get; init; }
    public string? SignType { get; init; }
    public string? SignKey { get; init; }
    public string? SignSecret { get; init; }
    public string? SignAlgorithm { get; init; }
}

/// <summary>
/// A signature key: the stored record and the create/update response. <see cref="BindNum"/> and
/// <see cref="LdapiBindNum"/> are filled in for list items only (SignatureWithBindNum) and never stored.
/// </summary>
internal sealed record SignatureKey
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string SignType { get; init; }
    public required string SignKey { get; init; }
    public required string SignSecret { get; init; }
    public string? SignAlgorithm { get; init; }
    public required string CreateTime { get; init; }
    public required string UpdateTime { get; init; }
    public int? BindNum { get; init; }
    public int? LdapiBindNum { get; init; }
}

/// <summary>3.6.4 response.</summary>
internal sealed record SignatureKeyList(int Size, long Total, IReadOnlyList<SignatureKey> Signs);

/// <summary>3.6.4 query filters.</summary>
internal sealed record SignatureKeyListFilter(ListQuery Page, string? Id, string? Name, string? PreciseSearch);

/// <summary>3.7.1 body.</summary>
internal sealed record BindSignRequest
{
    public string? SignId { get; init; }
    public List<string?>? PublishIds { get; init; }
}

/// <summary>
/// A stored binding of a key to one publication (an API in one environment). It is in force while that publication
/// lasts: taking the API offline ends the publication, and the binding with it.
/// </summary>
internal sealed record SignBinding
{
    public required string Id { get; init; }
    public required string PublishId { get; init; }
    public required string ApiId { get; init; }
    public required string EnvId { get; init; }
    public required string SignId { get; init; }
    public required string BindingTime { get; init; }
}

/// <summary>
/// SignApiBindingInfo (3.7.1, 3.7.3); without <see cref="SignKey"/>, <see cref="SignSecret"/> and <see cref="SignType"/>
/// it is SignApiBindingBase (3.7.5).
/// </summary>
internal sealed record SignBindingInfo
{
    public required string PublishId { get; init; }
    public required string ApiId { get; init; }
    public string? GroupName { get; init; }
    public required string BindingTime { get; init; }
    public required string EnvId { get; init; }
    public string? EnvName { get; init; }
    public int ApiType { get; init; }
    public string? ApiName { get; init; }
    public required string Id { get; init; }
    public string? ApiRemark { get; init; }
    public required string SignId { get; init; }
    public string? SignName { get; init; }
    public string? ReqMethod { get; init; }
    public string? SignKey { get; init; }
    public string? SignSecret { get; init; }
    public string? SignType { get; init; }
}

/// <summary>3.7.1 response.</summary>
internal sealed record SignBindResult(IReadOnlyList<SignBindingInfo> Bindings);

/// <summary>3.7.3 and 3.7.5 response.</summary>
internal sealed record SignBindingList(int Size, long Total, IReadOnlyList<SignBindingInfo> Bindings);

/// <summary>ApiForSign: a published API (in one environment) as the 3.7.4 list shows it.</summary>
internal sealed record ApiForSign
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public int Type { get; init; }
    public string? Remark { get; init; }
    public required string GroupId { get; init; }
    public string? GroupName { get; init; }
    public required string RunEnvId { get; init; }
    public string? RunEnvName { get; init; }
    public required string PublishId { get; init; }
    public required string ReqUri { get; init; }
    public required string ReqMethod { get; init; }
    public required string AuthType { get; init; }

    /// <summary>The key already bound to this API in this environment, if any.</summary>
    public string? SignatureName { get; init; }
}

/// <summary>3.7.4 response.</summary>
internal sealed record ApiForSignList(int Size, long Total, IReadOnlyList<ApiForSign> Apis);

/// <summary>3.7.3 query filters.</summary>
internal sealed record BoundSignFilter(ListQuery Page, string? ApiId, string? SignId, string? SignName, string? EnvId);

/// <summary>3.7.4 and 3.7.5 query filters.</summary>
internal sealed record SignApiFilter(ListQuery Page, string? SignId, string? EnvId, string? ApiId, string? ApiName, string? GroupId);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(SignatureKeyRequest))]
[JsonSerializable(typeof(SignatureKey))]
[JsonSerializable(typeof(SignatureKeyList))]
[JsonSerializable(typeof(BindSignRequest))]
[JsonSerializable(typeof(SignBinding))]
[JsonSerializable(typeof(SignBindResult))]
[JsonSerializable(typeof(SignBindingList))]
[JsonSerializable(typeof(ApiForSignList))]
internal sealed partial class SignatureJsonContext : JsonSerializerContext;
