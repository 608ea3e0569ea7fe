using System.Text.Json.Serialization;
using Gateway.Apig.Common;
using Gateway.Apig.Groups;

namespace Gateway.Apig.Apis;

// ---------------------------------------------------------------------------------------------------------------
// Request bodies (3.5.1 / 3.5.2). Every member is nullable so that validation, not deserialization, reports what is
// missing, naming the field.
// ---------------------------------------------------------------------------------------------------------------

/// <summary>3.5.1 create / 3.5.2 update body (full replacement).</summary>
internal sealed record ApiRequest
{
    public string? Name { get; init; }
    public int? Type { get; init; }
    public string? Version { get; init; }
    public string? ReqProtocol { get; init; }
    public string? ReqMethod { get; init; }
    public string? ReqUri { get; init; }
    public string? AuthType { get; init; }
    public AuthOpt? AuthOpt { get; init; }
    public bool? Cors { get; init; }
    public string? MatchMode { get; init; }
    public string? BackendType { get; init; }
    public string? Remark { get; init; }
    public string? GroupId { get; init; }
    public string? BodyRemark { get; init; }
    public string? ResultNormalSample { get; init; }
    public string? ResultFailureSample { get; init; }
    public string? AuthorizerId { get; init; }
    public List<string?>? Tags { get; init; }
    public string? ResponseId { get; init; }
    public string? RomaAppId { get; init; }
    public string? DomainName { get; init; }
    public string? Tag { get; init; }
    public string? ContentType { get; init; }
    public MockInfoInput? MockInfo { get; init; }
    public FuncInfoInput? FuncInfo { get; init; }
    public List<ReqParamInput?>? ReqParams { get; init; }
    public List<BackendParamInput?>? BackendParams { get; init; }
    public List<PolicyMockInput?>? PolicyMocks { get; init; }
    public List<PolicyFunctionInput?>? PolicyFunctions { get; init; }
    public BackendApiInput? BackendApi { get; init; }
    public List<PolicyHttpInput?>? PolicyHttps { get; init; }
}

/// <summary>AuthOpt, in requests and responses.</summary>
internal sealed record AuthOpt
{
    public string? AppCodeAuthType { get; init; }
}

/// <summary>ApiMockCreate.</summary>
internal sealed record MockInfoInput
{
    public string? Remark { get; init; }
    public string? ResultContent { get; init; }
    public string? Version { get; init; }
    public string? AuthorizerId { get; init; }
}

/// <summary>ApiFuncCreate.</summary>
internal sealed record FuncInfoInput
{
    public string? FunctionUrn { get; init; }
    public string? Remark { get; init; }
    public string? InvocationType { get; init; }
    public string? NetworkType { get; init; }
    public string? Version { get; init; }
    public string? AliasUrn { get; init; }
    public int? Timeout { get; init; }
    public string? AuthorizerId { get; init; }
    public string? ReqProtocol { get; init; }
}

/// <summary>BackendApiCreate: the web (HTTP or GRPC) backend.</summary>
internal sealed record BackendApiInput
{
    public string? AuthorizerId { get; init; }
    public string? UrlDomain { get; init; }
    public string? ReqProtocol { get; init; }
    public string? Remark { get; init; }
    public string? ReqMethod { get; init; }
    public string? Version { get; init; }
    public string? ReqUri { get; init; }
    public int? Timeout { get; init; }
    public bool? EnableClientSsl { get; init; }
    public string? RetryCount { get; init; }
    public VpcChannelInput? VpcChannelInfo { get; init; }
    public int? VpcChannelStatus { get; init; }
}

/// <summary>ApiBackendVpcReq.</summary>
internal sealed record VpcChannelInput
{
    public string? VpcChannelId { get; init; }
    public string? VpcChannelProxyHost { get; init; }
}

/// <summary>ReqParamBase: a frontend request parameter.</summary>
internal sealed record ReqParamInput
{
    public string? Name { get; init; }
    public string? Type { get; init; }
    public string? Location { get; init; }
    public string? DefaultValue { get; init; }
    public string? SampleValue { get; init; }
    public int? Required { get; init; }
    public int? ValidEnable { get; init; }
    public string? Remark { get; init; }
    public string? Enumerations { get; init; }
    public int? MinNum { get; init; }
    public int? MaxNum { get; init; }
    public int? MinSize { get; init; }
    public int? MaxSize { get; init; }
    public string? Regular { get; init; }
    public string? JsonSchema { get; init; }
    public int? PassThrough { get; init; }
}

/// <summary>BackendParamBase: how one backend parameter is filled.</summary>
internal sealed record BackendParamInput
{
    public string? Origin { get; init; }
    public string? Name { get; init; }
    public string? Remark { get; init; }
    public string? Location { get; init; }
    public string? Value { get; init; }
}

/// <summary>ApiConditionBase: one condition of a policy backend.</summary>
internal sealed record ConditionInput
{
    public string? ConditionOrigin { get; init; }
    public string? ConditionType { get; init; }
    public string? ConditionValue { get; init; }
    public string? ReqParamName { get; init; }
    public string? SysParamName { get; init; }
    public string? CookieParamName { get; init; }
    public string? FrontendAuthorizerParamName { get; init; }
}

/// <summary>The members every policy backend has.</summary>
internal abstract record PolicyBackendInput
{
    public string? Name { get; init; }
    public string? EffectMode { get; init; }
    public List<ConditionInput?>? Conditions { get; init; }
    public List<BackendParamInput?>? BackendParams { get; init; }
    public string? AuthorizerId { get; init; }
}

/// <summary>ApiPolicyHttpCreate.</summary>
internal sealed record PolicyHttpInput : PolicyBackendInput
{
    public string? UrlDomain { get; init; }
    public string? ReqProtocol { get; init; }
    public string? ReqMethod { get; init; }
    public string? ReqUri { get; init; }
    public int? Timeout { get; init; }
    public string? RetryCount { get; init; }
    public VpcChannelInput? VpcChannelInfo { get; init; }
    public int? VpcChannelStatus { get; init; }
}

/// <summary>ApiPolicyFunctionCreate.</summary>
internal sealed record PolicyFunctionInput : PolicyBackendInput
{
    public string? FunctionUrn { get; init; }
    public string? InvocationType { get; init; }
    public string? NetworkType { get; init; }
    public string? Version { get; init; }
    public string? AliasUrn { get; init; }
    public int? Timeout { get; init; }
    public string? ReqProtocol { get; init; }
}

/// <summary>ApiPolicyMockCreate.</summary>
internal sealed record PolicyMockInput : PolicyBackendInput
{
    public string? ResultContent { get; init; }
}

// ---------------------------------------------------------------------------------------------------------------
// The validated API: the stored record and the response shape of create, update, show and version detail.
// ---------------------------------------------------------------------------------------------------------------

/// <summary>
/// An API (the 3.5.1 "API object"). The stored record carries the definition only; the members marked "read time"
/// are filled in when the API is shown (they depend on the group and the publications) and are never stored.
/// </summary>
internal sealed record Api
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required int Type { get; init; }
    public string? Version { get; init; }
    public required string ReqProtocol { get; init; }
    public required string ReqMethod { get; init; }
    public required string ReqUri { get; init; }
    public required string AuthType { get; init; }
    public required AuthOpt AuthOpt { get; init; }
    public bool Cors { get; init; }
    public required string MatchMode { get; init; }
    public required string BackendType { get; init; }
    public string? Remark { get; init; }
    public required string GroupId { get; init; }
    public string? BodyRemark { get; init; }
    public string? ResultNormalSample { get; init; }
    public string? ResultFailureSample { get; init; }
    public string? AuthorizerId { get; init; }
    public List<string> Tags { get; init; } = [];
    public string? ResponseId { get; init; }
    public string? RomaAppId { get; init; }
    public string? DomainName { get; init; }
    public string? Tag { get; init; }
    public string? ContentType { get; init; }
    public int Status { get; init; } = 1;
    public int ArrangeNecessary { get; init; } = 2;
    public required string RegisterTime { get; init; }
    public required string UpdateTime { get; init; }

    // Read time: the group and the environments the API is published in ("|"-joined, one entry per environment).
    public string? GroupName { get; init; }
    public string? GroupVersion { get; init; }
    public string? RunEnvId { get; init; }
    public string? RunEnvName { get; init; }
    public string? PublishId { get; init; }
    public string? PublishTime { get; init; }
    public string? RomaAppName { get; init; }
    public string? LdApiId { get; init; }

    // Read time, version detail (3.5.13) only.
    public string? SlDomain { get; init; }
    public List<string>? SlDomains { get; init; }
    public string? VersionId { get; init; }

    // Read time, list with return_data_mode include_group / include_group_backend only.
    public ApiGroupCommonInfo? ApiGroupInfo { get; init; }

    public BackendApi? BackendApi { get; init; }
    public FuncInfo? FuncInfo { get; init; }
    public MockInfo? MockInfo { get; init; }

    // Always present in the stored record (possibly empty); null only in shapes that leave them out (3.5.6).
    public List<ReqParam>? ReqParams { get; init; }
    public List<BackendParam>? BackendParams { get; init; }
    public List<PolicyFunction>? PolicyFunctions { get; init; }
    public List<PolicyMock>? PolicyMocks { get; init; }
    public List<PolicyHttp>? PolicyHttps { get; init; }
}

/// <summary>BackendApi: the web backend with its identity.</summary>
internal sealed record BackendApi
{
    public string? AuthorizerId { get; init; }
    public string? UrlDomain { get; init; }
    public required string ReqProtocol { get; init; }
    public string? Remark { get; init; }
    public required string ReqMethod { get; init; }
    public string? Version { get; init; }
    public required string ReqUri { get; init; }
    public required int Timeout { get; init; }
    public bool EnableClientSsl { get; init; }
    public string RetryCount { get; init; } = "-1";
    public VpcInfo? VpcChannelInfo { get; init; }
    public int VpcChannelStatus { get; init; } = 2;
    public required string Id { get; init; }
    public int Status { get; init; } = 1;
    public required string RegisterTime { get; init; }
    public required string UpdateTime { get; init; }
}

/// <summary>VpcInfo: the VPC channel a web backend goes through.</summary>
internal sealed record VpcInfo
{
    public required string VpcChannelId { get; init; }
    public string? VpcChannelProxyHost { get; init; }
}

/// <summary>ApiFunc: the FunctionGraph backend with its identity.</summary>
internal sealed record FuncInfo
{
    public required string FunctionUrn { get; init; }
    public string? Remark { get; init; }
    public required string InvocationType { get; init; }
    public required string NetworkType { get; init; }
    public string? Version { get; init; }
    public string? AliasUrn { get; init; }
    public required int Timeout { get; init; }
    public string? AuthorizerId { get; init; }
    public string ReqProtocol { get; init; } = "HTTPS";
    public required string Id { get; init; }
    public int Status { get; init; } = 1;
    public required string RegisterTime { get; init; }
    public required string UpdateTime { get; init; }
}

/// <summary>ApiMock: the mock backend with its identity.</summary>
internal sealed record MockInfo
{
    public string? Remark { get; init; }
    public string? ResultContent { get; init; }
    public string? Version { get; init; }
    public string? AuthorizerId { get; init; }
    public required string Id { get; init; }
    public int Status { get; init; } = 1;
    public required string RegisterTime { get; init; }
    public required string UpdateTime { get; init; }
}

/// <summary>ReqParam: a frontend request parameter with its defaults applied.</summary>
internal sealed record ReqParam
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required string Location { get; init; }
    public string? DefaultValue { get; init; }
    public string? SampleValue { get; init; }
    public required int Required { get; init; }
    public required int ValidEnable { get; init; }
    public string? Remark { get; init; }
    public string? Enumerations { get; init; }
    public int? MinNum { get; init; }
    public int? MaxNum { get; init; }
    public int? MinSize { get; init; }
    public int? MaxSize { get; init; }
    public string? Regular { get; init; }
    public string? JsonSchema { get; init; }
    public required int PassThrough { get; init; }
}

/// <summary>BackendParam: a backend parameter; REQUEST ones link the request parameter they copy.</summary>
internal sealed record BackendParam
{
    public required string Id { get; init; }
    public required string Origin { get; init; }
    public required string Name { get; init; }
    public string? Remark { get; init; }
    public required string Location { get; init; }
    public required string Value { get; init; }
    public string? ReqParamId { get; init; }
}

/// <summary>ConditionResp: a policy condition; <c>param</c> ones link the request parameter they test.</summary>
internal sealed record PolicyCondition
{
    public required string Id { get; init; }
    public required string ConditionOrigin { get; init; }
    public string? ConditionType { get; init; }
    public required string ConditionValue { get; init; }
    public string? ReqParamName { get; init; }
    public string? SysParamName { get; init; }
    public string? CookieParamName { get; init; }
    public string? FrontendAuthorizerParamName { get; init; }
    public string? ReqParamId { get; init; }
    public string? ReqParamLocation { get; init; }
}

/// <summary>The members every stored policy backend has.</summary>
internal abstract record PolicyBackend
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string EffectMode { get; init; }
    public required List<PolicyCondition> Conditions { get; init; }
    public List<BackendParam> BackendParams { get; init; } = [];
    public string? AuthorizerId { get; init; }
}

/// <summary>A web policy backend. A null <see cref="Timeout"/> means the default backend's timeout applies.</summary>
internal sealed record PolicyHttp : PolicyBackend
{
    public string? UrlDomain { get; init; }
    public required string ReqProtocol { get; init; }
    public required string ReqMethod { get; init; }
    public required string ReqUri { get; init; }
    public int? Timeout { get; init; }
    public string RetryCount { get; init; } = "-1";
    public VpcInfo? VpcChannelInfo { get; init; }
    public int VpcChannelStatus { get; init; } = 2;
}

/// <summary>A FunctionGraph policy backend. A null <see cref="Timeout"/> means the default backend's timeout applies.</summary>
internal sealed record PolicyFunction : PolicyBackend
{
    public required string FunctionUrn { get; init; }
    public required string InvocationType { get; init; }
    public required string NetworkType { get; init; }
    public string? Version { get; init; }
    public string? AliasUrn { get; init; }
    public int? Timeout { get; init; }
    public string ReqProtocol { get; init; } = "HTTPS";
}

/// <summary>A mock policy backend.</summary>
internal sealed record PolicyMock : PolicyBackend
{
    public string? ResultContent { get; init; }
}

/// <summary>ApiGroupCommonInfo: the group summary added to list items on request.</summary>
internal sealed record ApiGroupCommonInfo
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public int Status { get; init; }
    public required string SlDomain { get; init; }
    public required string RegisterTime { get; init; }
    public required string UpdateTime { get; init; }
    public int OnSellStatus { get; init; }
    public List<UrlDomain> UrlDomains { get; init; } = [];
    public bool SlDomainAccessEnabled { get; init; }

    public static ApiGroupCommonInfo From(ApiGroup group) => new()
    {
        Id = group.Id,
        Name = group.Name,
        Status = group.Status,
        SlDomain = group.SlDomain,
        RegisterTime = group.RegisterTime,
        UpdateTime = group.UpdateTime,
        OnSellStatus = group.OnSellStatus,
        UrlDomains = group.UrlDomains,
        SlDomainAccessEnabled = group.SlDomainAccessEnabled,
    };
}

// ---------------------------------------------------------------------------------------------------------------
// List and check (3.5.6, 3.5.7).
// ---------------------------------------------------------------------------------------------------------------

/// <summary>3.5.6 response.</summary>
internal sealed record ApiList(int Size, long Total, IReadOnlyList<Api> Apis);

/// <summary>3.5.6 query filters.</summary>
internal sealed record ApiListFilter
{
    public ListQuery Page { get; init; } = ListQuery.Create(null, null);
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? GroupId { get; init; }
    public string? ReqProtocol { get; init; }
    public string? ReqMethod { get; init; }
    public string? ReqUri { get; init; }
    public string? AuthType { get; init; }
    public string? EnvId { get; init; }
    public int? Type { get; init; }
    public string? PreciseSearch { get; init; }
    public string? VpcChannelName { get; init; }
    public string? ReturnDataMode { get; init; }
}

/// <summary>3.5.7 body.</summary>
internal sealed record ApiCheckRequest
{
    public string? Type { get; init; }
    public string? Name { get; init; }
    public string? ReqMethod { get; init; }
    public string? ReqUri { get; init; }
    public string? MatchMode { get; init; }
    public string? GroupId { get; init; }
    public string? ApiId { get; init; }
    public string? RomaAppId { get; init; }
}

// ---------------------------------------------------------------------------------------------------------------
// Publishing (3.5.4, 3.5.9–3.5.14).
// ---------------------------------------------------------------------------------------------------------------

/// <summary>3.5.4 body.</summary>
internal sealed record PublishRequest
{
    public string? Action { get; init; }
    public string? EnvId { get; init; }
    public string? ApiId { get; init; }
    public string? Remark { get; init; }
}

/// <summary>PublishResp: the outcome of publishing, taking offline or switching one API in one environment.</summary>
internal sealed record PublishResult
{
    public required string PublishId { get; init; }
    public required string ApiId { get; init; }
    public required string ApiName { get; init; }
    public required string EnvId { get; init; }
    public string? Remark { get; init; }
    public required string PublishTime { get; init; }
    public required string VersionId { get; init; }
}

/// <summary>3.5.9 body.</summary>
internal sealed record BatchPublishRequest
{
    public List<string?>? Apis { get; init; }
    public string? EnvId { get; init; }
    public string? GroupId { get; init; }
    public string? Remark { get; init; }
}

/// <summary>3.5.9 response.</summary>
internal sealed record BatchPublishResult(List<PublishResult> Success, List<BatchPublishFailure> Failure);

/// <summary>One API a batch could not publish or take offline.</summary>
internal sealed record BatchPublishFailure
{
    public required string ApiId { get; init; }
    public string? ApiName { get; init; }
    public required string ErrorCode { get; init; }
    public required string ErrorMsg { get; init; }
}

/// <summary>
/// The effective publication of one API in one environment (store key <c>{api_id}:{env_id}</c>). The publish ID stays
/// the same while the API remains published there (republishing and switching keep it); taking the API offline ends it.
/// </summary>
internal sealed record ApiPublication
{
    public required string PublishId { get; init; }
    public required string ApiId { get; init; }
    public required string EnvId { get; init; }
    public required string VersionId { get; init; }
    public required string PublishTime { get; init; }
    public string? Remark { get; init; }
}

/// <summary>
/// A published version: the complete API definition as of publication (<see cref="Definition"/>, read-time members
/// unset) and where and when it was published. <see cref="Sequence"/> orders the versions of one API.
/// </summary>
internal sealed record ApiVersionRecord
{
    public required string VersionId { get; init; }
    public required string VersionNo { get; init; }
    public required long Sequence { get; init; }
    public required string ApiId { get; init; }
    public required string EnvId { get; init; }
    public required string GroupId { get; init; }
    public required string PublishTime { get; init; }
    public string? Remark { get; init; }
    public required Api Definition { get; init; }
}

/// <summary>ApiVersionResp: a 3.5.10 list item.</summary>
internal sealed record ApiVersionSummary
{
    public required string VersionId { get; init; }
    public required string VersionNo { get; init; }
    public required string ApiId { get; init; }
    public required string EnvId { get; init; }
    public string? EnvName { get; init; }
    public string? Remark { get; init; }
    public required string PublishTime { get; init; }
    public required int Status { get; init; }
}

/// <summary>3.5.10 response.</summary>
internal sealed record ApiVersionList(int Size, long Total, IReadOnlyList<ApiVersionSummary> ApiVersions);

/// <summary>3.5.10 query filters.</summary>
internal sealed record ApiVersionFilter(ListQuery Page, string? EnvId, string? EnvName);

/// <summary>3.5.11 body.</summary>
internal sealed record SwitchVersionRequest
{
    public string? VersionId { get; init; }
}

/// <summary>3.5.12 response: the frontend of the definition that runs in an environment.</summary>
internal sealed record ApiRuntimeDefinition
{
    public required string Name { get; init; }
    public required int Type { get; init; }
    public string? Version { get; init; }
    public required string ReqProtocol { get; init; }
    public required string ReqMethod { get; init; }
    public required string ReqUri { get; init; }
    public required string AuthType { get; init; }
    public required AuthOpt AuthOpt { get; init; }
    public bool Cors { get; init; }
    public required string MatchMode { get; init; }
    public required string BackendType { get; init; }
    public string? Remark { get; init; }
    public required string GroupId { get; init; }
    public string? BodyRemark { get; init; }
    public string? ResultNormalSample { get; init; }
    public string? ResultFailureSample { get; init; }
    public string? AuthorizerId { get; init; }
    public List<string> Tags { get; init; } = [];
    public string? ResponseId { get; init; }
    public string? RomaAppId { get; init; }
    public string? DomainName { get; init; }
    public string? Tag { get; init; }
    public string? ContentType { get; init; }
    public required string Id { get; init; }
    public string? GroupName { get; init; }
    public required string RunEnvName { get; init; }
    public required string RunEnvId { get; init; }
    public required string PublishId { get; init; }
    public string? SlDomain { get; init; }
    public List<string>? SlDomains { get; init; }
    public List<ReqParam> ReqParams { get; init; } = [];
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ApiRequest))]
[JsonSerializable(typeof(Api))]
[JsonSerializable(typeof(ApiList))]
[JsonSerializable(typeof(ApiCheckRequest))]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(PublishResult))]
[JsonSerializable(typeof(BatchPublishRequest))]
[JsonSerializable(typeof(BatchPublishResult))]
[JsonSerializable(typeof(ApiPublication))]
[JsonSerializable(typeof(ApiVersionRecord))]
[JsonSerializable(typeof(ApiVersionList))]
[JsonSerializable(typeof(SwitchVersionRequest))]
[JsonSerializable(typeof(ApiRuntimeDefinition))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
