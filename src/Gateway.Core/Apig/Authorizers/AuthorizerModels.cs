using System.Text.Json.Serialization;
using Gateway.Apig.Common;

namespace Gateway.Apig.Authorizers;

/// <summary>3.15.1 create / 3.15.2 update body (the two are identical; the mandatory fields are mandatory on update too).</summary>
internal sealed record AuthorizerRequest
{
    public string? Name { get; init; }
    public string? Type { get; init; }
    public string? AuthorizerType { get; init; }
    public string? AuthorizerUri { get; init; }
    public string? NetworkType { get; init; }
    public string? AuthorizerVersion { get; init; }
    public string? AuthorizerAliasUri { get; init; }
    public List<AuthorizerIdentityInput?>? Identities { get; init; }
    public int? Ttl { get; init; }
    public string? UserData { get; init; }
    public string? LdApiId { get; init; }
    public bool? NeedBody { get; init; }
}

/// <summary>Identity as sent: an identity source the gateway checks before calling the authorizer.</summary>
internal sealed record AuthorizerIdentityInput
{
    public string? Name { get; init; }
    public string? Location { get; init; }
    public string? Validation { get; init; }
}

/// <summary>Identity: a header or query parameter that must be present (and match <see cref="Validation"/> when set).</summary>
internal sealed record AuthorizerIdentity
{
    public required string Name { get; init; }
    public required string Location { get; init; }
    public string? Validation { get; init; }
}

/// <summary>A custom authorizer: the stored record and the AuthorizerResp shape of create, update, show and list.</summary>
internal sealed record Authorizer
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required string AuthorizerType { get; init; }
    public required string AuthorizerUri { get; init; }
    public required string NetworkType { get; init; }
    public string? AuthorizerVersion { get; init; }
    public string? AuthorizerAliasUri { get; init; }
    public List<AuthorizerIdentity> Identities { get; init; } = [];
    public int Ttl { get; init; }
    public string? UserData { get; init; }
    public string? LdApiId { get; init; }
    public bool NeedBody { get; init; }
    public required string Id { get; init; }
    public required string CreateTime { get; init; }
    public string? RomaAppId { get; init; }
    public string? RomaAppName { get; init; }
}

/// <summary>3.15.5 response.</summary>
internal sealed record AuthorizerListResponse(int Size, long Total, IReadOnlyList<Authorizer> AuthorizerList);

/// <summary>3.15.5 query filters.</summary>
internal sealed record AuthorizerListFilter(ListQuery Page, string? Id, string? Name, string? Type);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(AuthorizerRequest))]
[JsonSerializable(typeof(Authorizer))]
[JsonSerializable(typeof(AuthorizerListResponse))]
internal sealed partial class AuthorizerJsonContext : JsonSerializerContext;
