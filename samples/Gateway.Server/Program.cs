using System.Security.Cryptography;
using Gateway.Hosting.Authentication;
using Gateway.Server;

// The runnable gateway: the APIG V2 management API on loopback, with its settings from environment variables.

// Socket completions run on the socket engine's threads instead of hopping to the thread pool. A proxy does little
// work per receive, so on a few cores that hop (a context switch or two per request) is a large share of the cost:
// forwarding went from about 51 to 36 µs of CPU per request (bench/load/cpu-per-request.sh). The data plane never
// blocks those threads. A value set in the environment wins (0 turns it off); it must be set before any socket is used.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

var builder = WebApplication.CreateBuilder(args);
var settings = ServerSettings.FromEnvironment();
builder.WebHost.UseUrls(settings.ManagementUrl);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024);

var generatedToken = settings.AdminToken is null;
var adminToken = settings.AdminToken ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
builder.Services.AddEmbeddedStore(settings.DataDirectory);
builder.Services.AddGateway();
builder.Services.Configure<ManagementAuthenticationOptions>(auth =>
{
    auth.Tokens.Add(adminToken);
    if (settings.AdminAccessKey is { } ak && settings.AdminSecretKey is { } sk)
    {
        auth.AccessKeys[ak] = sk;
    }
});
builder.Services.AddSingleton(settings);
builder.Services.AddApigDefaultInstance(settings.ProjectId);
builder.Services.AddGatewayDataPlane(dataPlane =>
{
    dataPlane.ListenUrl = settings.DataUrl;
    dataPlane.ProjectId = settings.ProjectId;
    dataPlane.DefaultApiRequestsPerSecond = settings.DefaultApiRequestsPerSecond;
    dataPlane.TrustForwardedFor = settings.TrustForwardedFor;
    dataPlane.ForwardedForIndex = settings.ForwardedForIndex;
    dataPlane.AccessLogPath = settings.AccessLogPath;
});

var app = builder.Build();
app.MapApigV2();
app.Lifetime.ApplicationStarted.Register(() =>
{
    if (generatedToken)
    {
        // Shown once so a new user can call the API; set GATEWAY_ADMIN_TOKEN to choose it instead.
        Console.WriteLine($"Generated admin token (X-Auth-Token): {adminToken}");
    }
});
app.Run();
