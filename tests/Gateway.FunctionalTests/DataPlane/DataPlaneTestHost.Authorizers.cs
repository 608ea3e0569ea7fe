using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>Helpers for custom authorizers, signature keys and their bindings.</summary>
internal sealed partial class DataPlaneTestHost
{
    /// <summary>Creates a FRONTEND authorizer called at <paramref name="uri"/> and returns its id.</summary>
    public async Task<string> CreateAuthorizerAsync(string name, string uri, string identitiesJson = "[]", int ttl = 0, string? userData = null, bool needBody = false)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["name"] = name,
            ["type"] = "FRONTEND",
            ["authorizer_type"] = "FUNC",
            ["authorizer_uri"] = uri,
            ["identities"] = JsonDocument.Parse(identitiesJson).RootElement,
            ["ttl"] = ttl,
            ["user_data"] = userData,
            ["need_body"] = needBody,
        });
        using var reply = await SendJsonAsync(HttpMethod.Post, $"{Instance}/authorizers", body, HttpStatusCode.Created);
        return reply.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Creates an API with auth_type AUTHORIZER from JSON fields and returns its id.</summary>
    public async Task<string> CreateAuthorizedApiAsync(string groupId, string authorizerId, string fields)
    {
        var body = $$"""{"group_id":"{{groupId}}","type":1,"req_protocol":"HTTP","auth_type":"AUTHORIZER","authorizer_id":"{{authorizerId}}",{{fields}}}""";
        using var api = await SendJsonAsync(HttpMethod.Post, $"{Instance}/apis", body, HttpStatusCode.Created);
        return api.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Creates a signature key from a JSON body and returns its id.</summary>
    public async Task<string> CreateSignatureKeyAsync(string body)
    {
        using var reply = await SendJsonAsync(HttpMethod.Post, $"{Instance}/signs", body, HttpStatusCode.Created);
        return reply.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Binds a key to a publication and waits for the data plane.</summary>
    public async Task BindSignatureKeyAsync(string signId, string publishId)
    {
        using (var _ = await SendJsonAsync(HttpMethod.Post, $"{Instance}/sign-bindings",
            $$"""{"sign_id":"{{signId}}","publish_ids":["{{publishId}}"]}""", HttpStatusCode.Created))
        {
        }

        await WaitForDataPlaneAsync();
    }
}

/// <summary>
/// A custom authorizer as a real Kestrel app on a loopback port. Routes: <c>/allow</c> (allow, with a context that
/// echoes the caller's <c>X-User-Token</c>), <c>/deny</c>, <c>/fail</c> (500), <c>/slow</c> (answers after 3 s),
/// <c>/garbage</c> (200 with a non-JSON body) and <c>/wrapped</c> (the FunctionGraph answer shape). Counts calls per
/// route and keeps the last event it was sent.
/// </summary>
internal sealed class AuthorizerServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    private AuthorizerServer(WebApplication app) => _app = app;

    /// <summary>http://127.0.0.1:port</summary>
    public string BaseUrl { get; private set; } = "";

    public string? LastEvent { get; private set; }

    public int Calls(string route) => _calls.GetValueOrDefault(route);

    public static async Task<AuthorizerServer> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new AuthorizerServer(app);
        app.MapPost("/{route}", async (HttpContext context, string route) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            server.LastEvent = body;
            server._calls.AddOrUpdate(route, 1, (_, count) => count + 1);
            using var json = JsonDocument.Parse(body);
            var token = json.RootElement.GetProperty("headers").TryGetProperty("x-user-token", out var header) ? header.GetString() : null;
            switch (route)
            {
                case "allow":
                    await context.Response.WriteAsJsonAsync(new
                    {
                        status = "allow",
                        context = new Dictionary<string, object?> { ["x"] = "from-authorizer", ["user"] = token, ["level"] = 3, ["admin"] = false },
                    });
                    break;
                case "deny":
                    await context.Response.WriteAsync("""{"status":"deny"}""");
                    break;
                case "fail":
                    context.Response.StatusCode = 500;
                    await context.Response.WriteAsync("""{"status":"allow"}""");
                    break;
                case "slow":
                    await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted);
                    await context.Response.WriteAsync("""{"status":"allow"}""");
                    break;
                case "garbage":
                    await context.Response.WriteAsync("<html>allow</html>");
                    break;
                case "wrapped":
                    await context.Response.WriteAsJsonAsync(new
                    {
                        statusCode = 200,
                        body = JsonSerializer.Serialize(new { status = "allow", context = new { x = "wrapped-" + token } }),
                    });
                    break;
                default:
                    context.Response.StatusCode = 404;
                    break;
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/');
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
