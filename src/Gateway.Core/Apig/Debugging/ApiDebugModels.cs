using System.Text.Json.Serialization;

namespace Gateway.Apig.Debugging;

/// <summary>3.5.8 debug request body.</summary>
internal sealed record ApiDebugRequest
{
    public string? Mode { get; init; }
    public string? Scheme { get; init; }
    public string? Method { get; init; }
    public string? Path { get; init; }
    public Dictionary<string, List<string>>? Query { get; init; }
    public Dictionary<string, List<string>>? Header { get; init; }
    public string? Body { get; init; }
    public string? AppKey { get; init; }
    public string? AppSecret { get; init; }
    public string? Domain { get; init; }
    public string? Stage { get; init; }
}

/// <summary>3.5.8 response: the raw request and response as exchanged, the latency in ms, and a log.</summary>
internal sealed record ApiDebugResult(string Request, string Response, long Latency, string Log);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ApiDebugRequest))]
[JsonSerializable(typeof(ApiDebugResult))]
internal sealed partial class ApiDebugJsonContext : JsonSerializerContext;
