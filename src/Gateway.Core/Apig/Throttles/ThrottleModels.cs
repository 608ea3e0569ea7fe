using System.Text.Json.Serialization;

namespace Gateway.Apig.Throttles;

/// <summary>3.4.1 create / 3.4.2 update body. Limits are read as 64-bit so that values above 2147483647 get APIG.2003.</summary>
internal sealed record ThrottleRequest
{
    public string? Name { get; init; }
    public long? ApiCallLimits { get; init; }
    public long? UserCallLimits { get; init; }
    public long? AppCallLimits { get; init; }

    /// <summary>The name the request tables print for <c>app_call_limits</c>; accepted on input, never written.</summary>
    public long? AppCalls { get; init; }
    public long? IpCallLimits { get; init; }
    public long? TimeInterval { get; init; }
    public string? TimeUnit { get; init; }
    public string? Remark { get; init; }
    public int? Type { get; init; }
    public string? EnableAdaptiveControl { get; init; }
}

/// <summary>
/// A throttling policy: the stored record and the ThrottlesInfo response. <see cref="BindNum"/> and
/// <see cref="IsIncluSpecialThrottle"/> are filled in at read time and never stored.
/// </summary>
internal sealed record ThrottlePolicy
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required int ApiCallLimits { get; init; }
    public int? UserCallLimits { get; init; }
    public int? AppCallLimits { get; init; }
    public int? IpCallLimits { get; init; }
    public required int TimeInterval { get; init; }
    public required string TimeUnit { get; init; }
    public string? Remark { get; init; }
    public required int Type { get; init; }
    public required string EnableAdaptiveControl { get; init; }
    public required string CreateTime { get; init; }

    // Read time.
    public int? BindNum { get; init; }
    public int? IsIncluSpecialThrottle { get; init; }
}

/// <summary>3.4.4 response.</summary>
internal sealed record ThrottleList(int Size, long Total, IReadOnlyList<ThrottlePolicy> Throttles);

/// <summary>3.4.4 query filters.</summary>
internal sealed record ThrottleListFilter(Common.ListQuery Page, string? Id, string? Name, string? PreciseSearch);

/// <summary>3.8.1 bind body.</summary>
internal sealed record ThrottleBindRequest
{
    public string? StrategyId { get; init; }
    public List<string?>? PublishIds { get; init; }
}

/// <summary>A policy bound to one API in one environment (stored; owned by both the API and the environment).</summary>
internal sealed record ThrottleBinding
{
    public required string Id { get; init; }
    public required string ThrottleId { get; init; }
    public required string ApiId { get; init; }
    public required string EnvId { get; init; }

    /// <summary>The publication the binding was made through; lists show the current one while the API is published.</summary>
    public required string PublishId { get; init; }

    /// <summary>1 = the whole API, the only scope supported.</summary>
    public int Scope { get; init; } = 1;
    public required string ApplyTime { get; init; }
}

/// <summary>ThrottleApiBinding, the 3.8.1 response item.</summary>
internal sealed record ThrottleApiBinding(string Id, string PublishId, int Scope, string StrategyId, string ApplyTime);

/// <summary>3.8.1 response; the key is the documented <c>throttle_applys</c>.</summary>
internal sealed record ThrottleBindResult(IReadOnlyList<ThrottleApiBinding> ThrottleApplys);

/// <summary>3.8.6 batch unbind body.</summary>
internal sealed record ThrottleBatchUnbindRequest
{
    public List<string?>? ThrottleBindings { get; init; }
}

/// <summary>ThrottleBindingBatchFailure.</summary>
internal sealed record ThrottleBindingFailure
{
    public string? BindId { get; init; }
    public required string ErrorCode { get; init; }
    public required string ErrorMsg { get; init; }
    public string? ApiId { get; init; }
    public string? ApiName { get; init; }
}

/// <summary>3.8.6 response.</summary>
internal sealed record ThrottleBatchUnbindResult(int SuccessCount, IReadOnlyList<ThrottleBindingFailure> Failure);

/// <summary>ApiForThrottle: an API published in an environment, with the throttle binding it has there (if any).</summary>
internal sealed record ApiForThrottle
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required int Type { get; init; }
    public string? Remark { get; init; }
    public required string ReqUri { get; init; }
    public required string ReqMethod { get; init; }
    public required string AuthType { get; init; }
    public required string GroupId { get; init; }
    public string? GroupName { get; init; }
    public string? PublishId { get; init; }
    public required string RunEnvId { get; init; }
    public string? RunEnvName { get; init; }
    public string? ThrottleApplyId { get; init; }
    public string? ApplyTime { get; init; }
    public string? ThrottleName { get; init; }
}

/// <summary>3.8.3 / 3.8.4 response.</summary>
internal sealed record ApiForThrottleList(int Size, long Total, IReadOnlyList<ApiForThrottle> Apis);

/// <summary>3.8.3 / 3.8.4 query filters.</summary>
internal sealed record ThrottleApiFilter(Common.ListQuery Page, string? ThrottleId, string? EnvId, string? GroupId, string? ApiId, string? ApiName);

/// <summary>ThrottleForApi: a policy bound to the API, with the environment and binding it is bound through.</summary>
internal sealed record ThrottleForApi
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required int ApiCallLimits { get; init; }
    public int? UserCallLimits { get; init; }
    public int? AppCallLimits { get; init; }
    public int? IpCallLimits { get; init; }
    public required int TimeInterval { get; init; }
    public required string TimeUnit { get; init; }
    public string? Remark { get; init; }
    public required int Type { get; init; }
    public required string EnableAdaptiveControl { get; init; }
    public required string CreateTime { get; init; }
    public required int BindNum { get; init; }
    public required int IsIncluSpecialThrottle { get; init; }
    public string? EnvName { get; init; }
    public required string BindId { get; init; }
    public required string BindTime { get; init; }
}

/// <summary>3.8.5 response.</summary>
internal sealed record ThrottleForApiList(int Size, long Total, IReadOnlyList<ThrottleForApi> Throttles);

/// <summary>3.8.5 query filters.</summary>
internal sealed record BoundThrottleFilter(Common.ListQuery Page, string? ApiId, string? ThrottleId, string? ThrottleName, string? EnvId);

/// <summary>3.9.1 create body.</summary>
internal sealed record SpecialThrottleRequest
{
    public long? CallLimits { get; init; }
    public string? ObjectId { get; init; }
    public string? ObjectType { get; init; }
}

/// <summary>3.9.2 update body.</summary>
internal sealed record SpecialThrottleUpdateRequest
{
    public long? CallLimits { get; init; }
}

/// <summary>A special (excluded) setting of one policy for one APP or tenant: the stored record and ThrottleSpecialInfo.</summary>
internal sealed record SpecialThrottle
{
    public required string Id { get; init; }
    public required string ThrottleId { get; init; }
    public required string ObjectType { get; init; }
    public required string ObjectId { get; init; }
    public string? ObjectName { get; init; }
    public string? AppId { get; init; }
    public string? AppName { get; init; }
    public required int CallLimits { get; init; }
    public required string ApplyTime { get; init; }
}

/// <summary>3.9.4 response.</summary>
internal sealed record SpecialThrottleList(int Size, long Total, IReadOnlyList<SpecialThrottle> ThrottleSpecials);

/// <summary>3.9.4 query filters.</summary>
internal sealed record SpecialThrottleFilter(Common.ListQuery Page, string? ObjectType, string? AppName, string? User);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ThrottleRequest))]
[JsonSerializable(typeof(ThrottlePolicy))]
[JsonSerializable(typeof(ThrottleList))]
[JsonSerializable(typeof(ThrottleBindRequest))]
[JsonSerializable(typeof(ThrottleBinding))]
[JsonSerializable(typeof(ThrottleBindResult))]
[JsonSerializable(typeof(ThrottleBatchUnbindRequest))]
[JsonSerializable(typeof(ThrottleBatchUnbindResult))]
[JsonSerializable(typeof(ApiForThrottleList))]
[JsonSerializable(typeof(ThrottleForApiList))]
[JsonSerializable(typeof(SpecialThrottleRequest))]
[JsonSerializable(typeof(SpecialThrottleUpdateRequest))]
[JsonSerializable(typeof(SpecialThrottle))]
[JsonSerializable(typeof(SpecialThrottleList))]
internal sealed partial class ThrottleJsonContext : JsonSerializerContext;

/// <summary>Reads the two members of an APP record this family needs, without depending on the credentials family's types.</summary>
internal sealed record AppReference
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AppReference))]
internal sealed partial class AppReferenceJsonContext : JsonSerializerContext;
