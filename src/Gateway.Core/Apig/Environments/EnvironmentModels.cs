using System.Text.Json.Serialization;

namespace Gateway.Apig.Environments;

/// <summary>3.2.1 create / 3.2.2 update body.</summary>
internal sealed record EnvironmentRequest
{
    public string? Name { get; init; }
    public string? Remark { get; init; }
}

/// <summary>An environment (EnvInfo).</summary>
internal sealed record ApigEnvironment
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Remark { get; init; }
    public required string CreateTime { get; init; }
}

/// <summary>3.2.4 response.</summary>
internal sealed record EnvironmentList(int Size, long Total, IReadOnlyList<ApigEnvironment> Envs);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(EnvironmentRequest))]
[JsonSerializable(typeof(ApigEnvironment))]
[JsonSerializable(typeof(EnvironmentList))]
internal sealed partial class EnvironmentJsonContext : JsonSerializerContext;
