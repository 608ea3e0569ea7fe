using System.Text;
using System.Text.Json.Serialization;
using Gateway.Apig.Common;

namespace Gateway.Apig.Apps;

/// <summary>3.28.1 create / 3.28.2 update body.</summary>
internal sealed record AppRequest
{
    public string? Name { get; init; }
    public string? Remark { get; init; }
    public string? AppKey { get; init; }
    public string? AppSecret { get; init; }

    // Records print every member; a secret must never reach a log through ToString.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", AppKey = ").Append(AppKey);
        return true;
    }
}

/// <summary>3.28.4 reset-secret body (optional).</summary>
internal sealed record ResetAppSecretRequest
{
    public string? AppSecret { get; init; }

    private bool PrintMembers(StringBuilder builder) => false;
}

/// <summary>
/// An APP: the stored record and the 3.28 response shape. Other families check that an APP exists by reading its key
/// (<see cref="AppKeys.App"/>) and rely on the top-level <c>id</c>, <c>name</c>, <c>app_key</c> and <c>app_secret</c>.
/// </summary>
internal sealed record App
{
    public const string UserCreator = "USER";
    public const string DefaultType = "apig";

    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Remark { get; init; }
    public string Creator { get; init; } = UserCreator;
    public required string UpdateTime { get; init; }
    public required string AppKey { get; init; }
    public required string AppSecret { get; init; }
    public required string RegisterTime { get; init; }
    public int Status { get; init; } = 1;
    public string AppType { get; init; } = DefaultType;
    public string? RomaAppType { get; init; }

    /// <summary>Read time, list items only (AppInfoWithBindNum): the number of API authorizations.</summary>
    public int? BindNum { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id).Append(", Name = ").Append(Name).Append(", AppKey = ").Append(AppKey);
        return true;
    }
}

/// <summary>3.28.5 response: what a non-owner may learn about an APP.</summary>
internal sealed record AppSummary(string Id, string Name, string? Remark);

/// <summary>3.28.7 response.</summary>
internal sealed record AppList(int Size, long Total, IReadOnlyList<App> Apps);

/// <summary>3.28.7 query filters.</summary>
internal sealed record AppListFilter
{
    public ListQuery Page { get; init; } = ListQuery.Create(null, null);
    public string? Id { get; init; }
    public string? Name { get; init; }
    public int? Status { get; init; }
    public string? AppKey { get; init; }
    public string? Creator { get; init; }
    public string? PreciseSearch { get; init; }
}

/// <summary>3.28.8 body.</summary>
internal sealed record AppCodeRequest
{
    public string? AppCode { get; init; }

    private bool PrintMembers(StringBuilder builder) => false;
}

/// <summary>An AppCode (AppCodeBaseInfo): stored record and response shape.</summary>
internal sealed record AppCodeInfo
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string AppCode { get; init; }
    public required string CreateTime { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id).Append(", AppId = ").Append(AppId);
        return true;
    }
}

/// <summary>3.28.12 response.</summary>
internal sealed record AppCodeList(int Size, long Total, IReadOnlyList<AppCodeInfo> AppCodes);

/// <summary>3.28.14 body.</summary>
internal sealed record AppAclRequest
{
    public string? AppAclType { get; init; }
    public List<string?>? AppAclValues { get; init; }
}

/// <summary>An APP's access control (3.28.14–16): stored record and response shape.</summary>
internal sealed record AppAcl
{
    public const string Permit = "PERMIT";
    public const string Deny = "DENY";

    public required string AppId { get; init; }

    /// <summary>PERMIT or DENY; absent when the APP has no access control.</summary>
    public string? AppAclType { get; init; }

    public required List<string> AppAclValues { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(AppRequest))]
[JsonSerializable(typeof(ResetAppSecretRequest))]
[JsonSerializable(typeof(App))]
[JsonSerializable(typeof(AppSummary))]
[JsonSerializable(typeof(AppList))]
[JsonSerializable(typeof(AppCodeRequest))]
[JsonSerializable(typeof(AppCodeInfo))]
[JsonSerializable(typeof(AppCodeList))]
[JsonSerializable(typeof(AppAclRequest))]
[JsonSerializable(typeof(AppAcl))]
internal sealed partial class AppJsonContext : JsonSerializerContext;
