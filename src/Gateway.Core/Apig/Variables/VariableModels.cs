using System.Text.Json.Serialization;

namespace Gateway.Apig.Variables;

/// <summary>3.3.1 create body.</summary>
internal sealed record CreateVariableRequest
{
    public string? VariableName { get; init; }
    public string? VariableValue { get; init; }
    public string? EnvId { get; init; }
    public string? GroupId { get; init; }
}

/// <summary>3.3.5 update body.</summary>
internal sealed record UpdateVariableRequest
{
    public string? VariableValue { get; init; }
}

/// <summary>An environment variable (EnvVariableInfo).</summary>
internal sealed record EnvironmentVariable
{
    public required string Id { get; init; }
    public required string VariableName { get; init; }
    public required string VariableValue { get; init; }
    public required string EnvId { get; init; }
    public required string GroupId { get; init; }
}

/// <summary>3.3.4 response.</summary>
internal sealed record EnvironmentVariableList(int Size, long Total, IReadOnlyList<EnvironmentVariable> Variables);

/// <summary>3.3.4 query filters.</summary>
internal sealed record VariableListFilter(Common.ListQuery Page, string? GroupId, string? EnvId, string? VariableName, string? PreciseSearch);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(CreateVariableRequest))]
[JsonSerializable(typeof(UpdateVariableRequest))]
[JsonSerializable(typeof(EnvironmentVariable))]
[JsonSerializable(typeof(EnvironmentVariableList))]
internal sealed partial class VariableJsonContext : JsonSerializerContext;
