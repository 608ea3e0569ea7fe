using System.Text.Json.Serialization;
using Gateway.Apig.Common;

namespace Gateway.Apig.AppQuotas;

/// <summary>3.29.1 create / 3.29.4 update body.</summary>
internal sealed record AppQuotaRequest
{
    public string? Name { get; init; }
    public int? CallLimits { get; init; }
    public string? TimeUnit { get; init; }
    public int? TimeInterval { get; init; }
    public string? ResetTime { get; init; }
    public string? Remark { get; init; }
}

/// <summary>A credential quota (AppQuotaInfo): the stored record and the response shape.</summary>
internal sealed record AppQuota
{
    public required string AppQuotaId { get; init; }
    public required string Name { get; init; }
    public required int CallLimits { get; init; }
    public required string TimeUnit { get; init; }
    public required int TimeInterval { get; init; }
    public string? Remark { get; init; }

    /// <summary>The first reset, <c>YYYY-MM-DD HH:MM:SS</c>, kept as given.</summary>
    public string? ResetTime { get; init; }

    public required string CreateTime { get; init; }

    /// <summary>Read time: the number of bound APPs.</summary>
    public int? BoundAppNum { get; init; }
}

/// <summary>3.29.3 response.</summary>
internal sealed record AppQuotaList(int Size, long Total, IReadOnlyList<AppQuota> Quotas);

/// <summary>3.29.7 body.</summary>
internal sealed record AppQuotaBindRequest
{
    public List<string?>? AppIds { get; init; }
}

/// <summary>AppQuotaAppBinding: the stored binding of an APP to a quota (keyed by the APP) and a 3.29.7 response item.</summary>
internal sealed record AppQuotaBinding
{
    public required string AppQuotaId { get; init; }
    public required string AppId { get; init; }
    public required string BoundTime { get; init; }
}

/// <summary>3.29.7 response.</summary>
internal sealed record AppQuotaBindResult(List<AppQuotaBinding> Applies);

/// <summary>AppQuotaAppInfo: an APP as the bound (3.29.6) and bindable (3.29.9) lists show it.</summary>
internal sealed record AppQuotaAppInfo
{
    /// <summary>The bound time of an unbound APP in the documented bindable example: Go's zero time.</summary>
    public const string NeverBound = "0001-01-01T00:00:00Z";

    public required string AppId { get; init; }
    public required string Name { get; init; }
    public required int Status { get; init; }
    public required string AppKey { get; init; }
    public string? Remark { get; init; }
    public required string RegisterTime { get; init; }
    public required string UpdateTime { get; init; }
    public string? AppQuotaId { get; init; }
    public string? AppQuotaName { get; init; }
    public required string BoundTime { get; init; }
}

/// <summary>3.29.6 / 3.29.9 response.</summary>
internal sealed record AppQuotaAppList(int Size, long Total, IReadOnlyList<AppQuotaAppInfo> Apps);

/// <summary>3.29.3 query.</summary>
internal sealed record AppQuotaListFilter(ListQuery Page, string? Name);

/// <summary>3.29.6 / 3.29.9 query.</summary>
internal sealed record AppQuotaAppFilter(ListQuery Page, string? AppName);

/// <summary>The 3.28.13 answer for an APP bound to no quota: an empty object.</summary>
internal sealed record NoAppQuota;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(AppQuotaRequest))]
[JsonSerializable(typeof(AppQuota))]
[JsonSerializable(typeof(AppQuotaList))]
[JsonSerializable(typeof(AppQuotaBindRequest))]
[JsonSerializable(typeof(AppQuotaBinding))]
[JsonSerializable(typeof(AppQuotaBindResult))]
[JsonSerializable(typeof(AppQuotaAppList))]
[JsonSerializable(typeof(NoAppQuota))]
internal sealed partial class AppQuotaJsonContext : JsonSerializerContext;
