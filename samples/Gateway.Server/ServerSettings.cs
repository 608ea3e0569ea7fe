namespace Gateway.Server;

/// <summary>The sample server's settings, read from environment variables (see README).</summary>
internal sealed record ServerSettings(
    string ManagementUrl,
    string DataUrl,
    string ProjectId,
    string DataDirectory,
    string? AdminToken,
    string? AdminAccessKey,
    string? AdminSecretKey)
{
    /// <summary>
    /// The instance default throttle for APIs without a bound policy (APIG's <c>ratelimit.api_limits</c>, 200/s unless
    /// <c>GATEWAY_DEFAULT_API_RPS</c> sets 1 to 1,000,000).
    /// </summary>
    public int DefaultApiRequestsPerSecond { get; init; } = 200;

    /// <summary>Whether ACLs and throttling take the caller's address from X-Forwarded-For (<c>GATEWAY_TRUST_XFF</c>=1; last entry, or <c>GATEWAY_XFF_INDEX</c>).</summary>
    public bool TrustForwardedFor { get; init; }

    /// <summary>The data plane's access log file (<c>GATEWAY_ACCESS_LOG</c>; <c>-</c> = standard output), or null for none.</summary>
    public string? AccessLogPath { get; init; }

    /// <summary>The X-Forwarded-For entry used when trusted: 0 first, -1 last.</summary>
    public int ForwardedForIndex { get; init; } = -1;

    public const string DefaultProjectId = "0123456789abcdef0123456789abcdef";

    public static ServerSettings FromEnvironment() => new(
        Read("GATEWAY_MANAGEMENT_URL") ?? "http://127.0.0.1:9080",
        Read("GATEWAY_DATA_URL") ?? "http://127.0.0.1:9000",
        Read("GATEWAY_PROJECT_ID") ?? DefaultProjectId,
        Read("GATEWAY_DATA_DIR") ?? Path.Combine(Environment.CurrentDirectory, "gateway-data"),
        Read("GATEWAY_ADMIN_TOKEN"),
        Read("GATEWAY_ADMIN_AK"),
        Read("GATEWAY_ADMIN_SK"))
    {
        DefaultApiRequestsPerSecond = ReadInt("GATEWAY_DEFAULT_API_RPS", 200, 1, 1_000_000),
        TrustForwardedFor = Read("GATEWAY_TRUST_XFF") is "1" or "true",
        AccessLogPath = Read("GATEWAY_ACCESS_LOG"),
        ForwardedForIndex = ReadInt("GATEWAY_XFF_INDEX", -1, int.MinValue, int.MaxValue),
    };

    private static int ReadInt(string name, int fallback, int min, int max)
    {
        if (Read(name) is not { } text)
        {
            return fallback;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new InvalidOperationException($"{name} must be a whole number from {min} to {max}; got '{text}'.");
        }

        return value;
    }

    private static string? Read(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
