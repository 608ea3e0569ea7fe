using Gateway.Net.Upstream;

namespace Gateway.Net.DataPlane;

/// <summary>What serves a compiled API.</summary>
internal enum BackendKind : byte
{
    Mock,
    Http,

    /// <summary>A backend kind this data plane cannot call (FunctionGraph, gRPC): answered as unavailable.</summary>
    Unsupported,
}

/// <summary>Where a request or backend parameter lives.</summary>
internal enum ParameterLocation : byte
{
    Path,
    Query,
    Header,
}

/// <summary>Where a backend parameter's value comes from.</summary>
internal enum BackendValueSource : byte
{
    /// <summary>A frontend request parameter (by index into <see cref="CompiledApi.RequestParameters"/>).</summary>
    Request,

    /// <summary>A constant.</summary>
    Constant,

    /// <summary>A gateway value (<c>$context.*</c>).</summary>
    System,
}

/// <summary>The <c>$context.*</c> values a backend parameter can carry.</summary>
internal enum SystemValue : byte
{
    SourceIp,
    Stage,
    ApiId,
    AppId,
    RequestId,
    ServerAddress,
    ServerName,
    HandleTime,
    ProviderAppId,
    Unknown,

    /// <summary><c>$context.authorizer.frontend.&lt;name&gt;</c>: a context value the frontend authorizer returned.</summary>
    AuthorizerContext,
}

/// <summary>A frontend request parameter and its checks (<c>req_params</c>).</summary>
internal sealed class RequestParameterRule
{
    public required byte[] Name { get; init; }
    public required ParameterLocation Location { get; init; }
    public bool Required { get; init; }
    public bool IsNumber { get; init; }
    public bool Validate { get; init; }
    public byte[]? DefaultValue { get; init; }
    public long? Min { get; init; }
    public long? Max { get; init; }
    public byte[][]? Enumerations { get; init; }

    /// <summary>For PATH parameters: the index of its capture in the frontend path template.</summary>
    public int PathCaptureIndex { get; init; } = -1;
}

/// <summary>A backend parameter (<c>backend_params</c>): a value placed into the backend request.</summary>
internal sealed class BackendParameterRule
{
    public required byte[] Name { get; init; }
    public required ParameterLocation Location { get; init; }
    public required BackendValueSource Source { get; init; }
    public int RequestParameterIndex { get; init; } = -1;
    public byte[]? Constant { get; init; }
    public SystemValue System { get; init; }

    /// <summary>For <see cref="SystemValue.AuthorizerContext"/>: the context key (UTF-8).</summary>
    public byte[]? AuthorizerContextName { get; init; }
}

/// <summary>
/// One part of a backend path: literal bytes, or a placeholder filled from a PATH backend parameter (by index) or,
/// failing that, from the frontend path parameter of the same name (by capture index).
/// </summary>
internal readonly record struct BackendPathPart(byte[]? Literal, int BackendParameterIndex, int CaptureIndex);

/// <summary>
/// An API effective in one environment, compiled for the request path: everything the data plane needs, pre-encoded
/// as bytes so serving a request only copies.
/// </summary>
internal sealed partial class CompiledApi
{
    public required string Id { get; init; }
    public required byte[] IdBytes { get; init; }
    public required string Name { get; init; }
    public required string GroupId { get; init; }
    public required byte[] EnvironmentName { get; init; }
    public required string AuthType { get; init; }
    public required BackendKind Backend { get; init; }
    public bool Cors { get; init; }

    /// <summary>SWA (prefix) APIs append the rest of the request path to the backend path.</summary>
    public bool PrefixMatch { get; init; }

    /// <summary>The frontend path template's parameter names, in capture order.</summary>
    public required string[] PathParameterNames { get; init; }

    public required RequestParameterRule[] RequestParameters { get; init; }

    public required BackendParameterRule[] BackendParameters { get; init; }

    // MOCK
    public byte[] MockBody { get; init; } = [];
    public byte[] MockContentType { get; init; } = "text/plain; charset=utf-8"u8.ToArray();

    // HTTP
    public UpstreamEndpoint? Endpoint { get; init; }

    /// <summary>The backend method, or null to use the client's (backend method ANY).</summary>
    public byte[]? BackendMethod { get; init; }

    public BackendPathPart[] BackendPath { get; init; } = [];

    public int TimeoutMilliseconds { get; init; } = 60_000;

    /// <summary>Retries after a failed attempt: documented <c>retry_count</c>, with -1 meaning one retry for idempotent methods.</summary>
    public int RetryCount { get; init; } = -1;

    /// <summary>The gateway responses this API answers failures with (its own <c>response_id</c> or its group's).</summary>
    public CompiledErrorResponses Responses { get; set; } = CompiledErrorResponses.Defaults;

    /// <summary>The throttling this API gets in its environment (set by the compiler after the API itself is compiled).</summary>
    public ThrottlePlan? Throttle { get; set; }

    /// <summary>Why the backend cannot be used (a variable without a value, an unsupported kind), or null.</summary>
    public string? ConfigurationError { get; init; }
}
