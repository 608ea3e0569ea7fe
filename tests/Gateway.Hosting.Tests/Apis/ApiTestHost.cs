using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Hosting.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Hosting.Tests.Apis;

/// <summary>
/// An in-process server with the APIG V2 surface and a default instance (DEFAULT group, RELEASE environment), a manual
/// clock and a client that authenticates with a configured token.
/// </summary>
internal sealed partial class ApiTestHost : IAsyncDisposable
{
    public const string ProjectId = "0123456789abcdef0123456789abcdef";
    public const string Release = "DEFAULT_ENVIRONMENT_RELEASE_ID";
    private const string Token = "test-token";

    private readonly WebApplication _app;

    private ApiTestHost(WebApplication app, ManualTimeProvider clock)
    {
        _app = app;
        Clock = clock;
        Client = app.GetTestClient();
        Client.DefaultRequestHeaders.Add("X-Auth-Token", Token);
    }

    public HttpClient Client { get; }

    public ManualTimeProvider Clock { get; }

    public string InstanceId { get; private set; } = "";

    public string DefaultGroupId { get; private set; } = "";

    /// <summary>The instance-scoped path prefix.</summary>
    public string Instance => $"/v2/{ProjectId}/apigw/instances/{InstanceId}";

    public static async Task<ApiTestHost> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var clock = new ManualTimeProvider();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddGateway();
        builder.Services.AddApigDefaultInstance(ProjectId);
        builder.Services.Configure<ManagementAuthenticationOptions>(options => options.Tokens.Add(Token));
        var app = builder.Build();
        app.MapApigV2();
        await app.StartAsync();

        var host = new ApiTestHost(app, clock);
        var instances = await host.SendAsync(HttpMethod.Get, $"/v2/{ProjectId}/apigw/instances");
        host.InstanceId = instances.Body!["instances"]![0]!["id"]!.GetValue<string>();
        var groups = await host.SendAsync(HttpMethod.Get, $"{host.Instance}/api-groups");
        host.DefaultGroupId = groups.Body!["groups"]![0]!["id"]!.GetValue<string>();
        return host;
    }

    /// <summary>Sends a request; the path is relative to the instance unless it starts with "/v2/".</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path.StartsWith("/v2/", StringComparison.Ordinal) ? path : Instance + path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType?.MediaType);
    }

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<ApiResponse> PostAsync(string path, string body) => SendAsync(HttpMethod.Post, path, body);

    public Task<ApiResponse> PutAsync(string path, string body) => SendAsync(HttpMethod.Put, path, body);

    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    /// <summary>A sample body in the DEFAULT group with a JSON merge patch applied (see <see cref="With"/>).</summary>
    public string Body(string sample, string patch = "{}") => With(With(sample, $$"""{"group_id": "{{DefaultGroupId}}"}"""), patch);

    /// <summary>Creates an API a second after the previous step (so creation order is list order) and returns its id.</summary>
    public async Task<string> CreateApiAsync(string sample = ApiSamples.Http, string patch = "{}")
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        var created = await PostAsync("/apis", Body(sample, patch));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.String("id");
    }

    public async Task<JsonNode> PublishAsync(string apiId, string envId = Release, string action = "online")
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        var published = await PostAsync("/apis/action", $$"""{"action": "{{action}}", "api_id": "{{apiId}}", "env_id": "{{envId}}"}""");
        Assert.Equal(HttpStatusCode.Created, published.Status);
        return published.Body!;
    }

    public async Task<string> CreateEnvironmentAsync(string name)
    {
        var created = await PostAsync("/envs", $$"""{"name": "{{name}}"}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.String("id");
    }

    public async Task<string> CreateGroupAsync(string name)
    {
        var created = await PostAsync("/api-groups", $$"""{"name": "{{name}}"}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.String("id");
    }

    /// <summary>
    /// Applies a JSON merge patch (objects merge recursively, null removes, anything else replaces). In the patch,
    /// <c>@c123</c> stands for the character c repeated 123 times.
    /// </summary>
    public static string With(string json, string patch)
    {
        var target = JsonNode.Parse(json)!.AsObject();
        Merge(target, JsonNode.Parse(Repeat().Replace(patch, match =>
            new string(match.Groups[1].Value[0], int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))))!.AsObject());
        return target.ToJsonString();
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                Merge(targetObject, patchObject);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    [GeneratedRegex(@"@(.)(\d+)")]
    private static partial Regex Repeat();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A response: status, parsed JSON body (null when empty) and media type.</summary>
internal sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, string? MediaType)
{
    public string String(string property) => Body![property]!.GetValue<string>();

    /// <summary>Asserts a documented error response.</summary>
    public void AssertError(HttpStatusCode status, string code)
    {
        Assert.True(Status == status, $"expected {(int)status} {code}, got {(int)Status}: {Body?.ToJsonString()}");
        Assert.Equal(code, String("error_code"));
        Assert.False(string.IsNullOrEmpty(String("error_msg")));
        Assert.Equal(2, Body!.AsObject().Count);
    }
}
