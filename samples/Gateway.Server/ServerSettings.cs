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
    public const string DefaultProjectId = "0123456789abcdef0123456789abcdef";

    public static ServerSettings FromEnvironment() => new(
        Read("GATEWAY_MANAGEMENT_URL") ?? "http://127.0.0.1:9080",
        Read("GATEWAY_DATA_URL") ?? "http://127.0.0.1:9000",
        Read("GATEWAY_PROJECT_ID") ?? DefaultProjectId,
        Read("GATEWAY_DATA_DIR") ?? Path.Combine(Environment.CurrentDirectory, "gateway-data"),
        Read("GATEWAY_ADMIN_TOKEN"),
        Read("GATEWAY_ADMIN_AK"),
        Read("GATEWAY_ADMIN_SK"));

    private static string? Read(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
