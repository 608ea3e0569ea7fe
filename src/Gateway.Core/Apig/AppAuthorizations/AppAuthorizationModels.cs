using System.Text.Json.Serialization;
using Gateway.Apig.Common;

namespace Gateway.Apig.AppAuthorizations;

/// <summary>3.10.1 body.</summary>
internal sealed record AppAuthorizationRequest
{
    public string? EnvId { get; init; }
    public List<string?>? AppIds { get; init; }
    public List<string?>? ApiIds { get; init; }
}

/// <summary>The stored authorization of one API to one APP in one environment.</summary>
internal sealed record AppAuthorization
{
    public const string ProviderRole = "PROVIDER";
    public const string NormalTunnel = "NORMAL";

    public required string Id { get; init; }
    public required string ApiId { get; init; }
    public required string EnvId { get; init; }
    public required string AppId { get; init; }
    public required string AuthTime { get; init; }
    public string AuthRole { get; init; } = ProviderRole;
    public string AuthTunnel { get; init; } = NormalTunnel;
}

/// <summary>AuthResult: the outcome of one (API, APP) pair of a 3.10.1 call.</summary>
internal sealed record AuthResult
{
    public const string Success = "SUCCESS";
    public const string Skipped = "SKIPPED";

    public required string Status { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMsg { get; init; }
    public string? ApiName { get; init; }
    public string? AppName { get; init; }
}

/// <summary>ApiAuthRelations: one item of the 3.10.1 response.</summary>
internal sealed record ApiAuthRelation
{
    public required string Id { get; init; }
    public required string ApiId { get; init; }
    public required string AppId { get; init; }
    public required string AuthTime { get; init; }
    public required string AuthRole { get; init; }
    public required string AuthTunnel { get; init; }
    public List<string>? AuthWhitelist { get; init; }
    public List<string>? AuthBlacklist { get; init; }
    public string? VisitParams { get; init; }
    public required AuthResult AuthResult { get; init; }
}

/// <summary>3.10.1 response.</summary>
internal sealed record AppAuthorizationResult(List<ApiAuthRelation> Auths);

/// <summary>ApiAuthInfo: an authorization with its API, environment and APP, the items of 3.10.3 and 3.10.5.</summary>
internal sealed record ApiAuthInfo
{
    public required string Id { get; init; }
    public required string ApiId { get; init; }
    public string? ApiName { get; init; }
    public string? GroupId { get; init; }
    public string? GroupName { get; init; }
    public int? ApiType { get; init; }
    public string? ApiRemark { get; init; }
    public required string EnvId { get; init; }
    public string? EnvName { get; init; }
    public required string AuthRole { get; init; }
    public required string AuthTime { get; init; }
    public required string AppId { get; init; }
    public string? AppName { get; init; }
    public string? AppRemark { get; init; }
    public string? AppType { get; init; }
    public string? AppCreator { get; init; }
    public string? PublishId { get; init; }
    public required string AuthTunnel { get; init; }
    public List<string>? AuthWhitelist { get; init; }
    public List<string>? AuthBlacklist { get; init; }
    public string? VisitParam { get; init; }
    public string? RomaAppType { get; init; }
}

/// <summary>3.10.3 and 3.10.5 response.</summary>
internal sealed record ApiAuthInfoList(int Size, long Total, IReadOnlyList<ApiAuthInfo> Auths);

/// <summary>ApiOutline: an API an APP is not authorized for (3.10.4), shown with its publication in the environment asked about.</summary>
internal sealed record ApiOutline
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Remark { get; init; }
    public required string ReqUri { get; init; }
    public required string AuthType { get; init; }
    public required string GroupId { get; init; }
    public string? GroupName { get; init; }
    public string? PublishId { get; init; }
    public string? RunEnvId { get; init; }
    public string? RunEnvName { get; init; }
}

/// <summary>3.10.4 response.</summary>
internal sealed record ApiOutlineList(int Size, long Total, IReadOnlyList<ApiOutline> Apis);

/// <summary>3.10.3 query: app_id is mandatory.</summary>
internal sealed record AuthorizedApiFilter
{
    public ListQuery Page { get; init; } = ListQuery.Create(null, null);
    public string? AppId { get; init; }
    public string? ApiId { get; init; }
    public string? ApiName { get; init; }
    public string? GroupId { get; init; }
    public string? GroupName { get; init; }
    public string? EnvId { get; init; }
}

/// <summary>3.10.4 query: app_id and env_id are mandatory.</summary>
internal sealed record UnauthorizedApiFilter
{
    public ListQuery Page { get; init; } = ListQuery.Create(null, null);
    public string? AppId { get; init; }
    public string? EnvId { get; init; }
    public string? GroupId { get; init; }
    public string? ApiId { get; init; }
    public string? ApiName { get; init; }
}

/// <summary>3.10.5 query: every filter is optional.</summary>
internal sealed record AuthorizedAppFilter
{
    public ListQuery Page { get; init; } = ListQuery.Create(null, null);
    public string? ApiId { get; init; }
    public string? AppName { get; init; }
    public string? AppId { get; init; }
    public string? EnvId { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(AppAuthorizationRequest))]
[JsonSerializable(typeof(AppAuthorization))]
[JsonSerializable(typeof(AppAuthorizationResult))]
[JsonSerializable(typeof(ApiAuthInfoList))]
[JsonSerializable(typeof(ApiOutlineList))]
internal sealed partial class AppAuthorizationJsonContext : JsonSerializerContext;
