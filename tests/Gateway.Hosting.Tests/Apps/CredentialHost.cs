using System.Net;
using System.Text.Json;
using Gateway.Hosting.Tests.Apig;
using Gateway.Hosting.Tests.Apis;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Hosting.Tests.Apps;

/// <summary>
/// The in-process management API (<see cref="ApigTestHost"/>) with a manual clock, and the steps the credential tests
/// share. Paths are relative to the instance.
/// </summary>
internal sealed class CredentialHost : IAsyncDisposable
{
    public const string Release = "DEFAULT_ENVIRONMENT_RELEASE_ID";

    private CredentialHost(ApigTestHost host, ManualTimeProvider clock)
    {
        Host = host;
        Clock = clock;
    }

    public ApigTestHost Host { get; }

    public ManualTimeProvider Clock { get; }

    public string DefaultGroupId { get; private set; } = "";

    public static async Task<CredentialHost> StartAsync()
    {
        var clock = new ManualTimeProvider();
        var host = await ApigTestHost.StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        var credentials = new CredentialHost(host, clock);
        using var groups = await credentials.GetAsync("/api-groups");
        credentials.DefaultGroupId = groups.Json.GetProperty("groups")[0].GetProperty("id").GetString()!;
        return credentials;
    }

    public Task<Reply> GetAsync(string path) => Host.GetAsync(Host.Instance + path);

    public Task<Reply> DeleteAsync(string path) => Host.DeleteAsync(Host.Instance + path);

    public Task<Reply> PostAsync(string path, string body) => Host.PostAsync(Host.Instance + path, body);

    public Task<Reply> PutAsync(string path, string? body) => Host.SendAsync(HttpMethod.Put, Host.Instance + path, body);

    /// <summary>Creates an APP a second after the previous step (so creation order is list order) and returns its id.</summary>
    public async Task<string> CreateAppAsync(string name, string extra = "")
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        using var created = await PostAsync("/apps", $$"""{"name":"{{name}}"{{extra}}}""");
        created.ShouldBe(HttpStatusCode.Created);
        return created.Json.GetProperty("id").GetString()!;
    }

    /// <summary>Creates a mock API (DEFAULT group unless given) and returns its id.</summary>
    public async Task<string> CreateApiAsync(string name, string? groupId = null, string authType = "APP")
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        var body = $$"""
            {"name":"{{name}}","type":1,"req_protocol":"HTTPS","req_method":"GET","req_uri":"/{{name.ToLowerInvariant()}}",
             "auth_type":"{{authType}}","backend_type":"MOCK","group_id":"{{groupId ?? DefaultGroupId}}","remark":"remark of {{name}}",
             "mock_info":{"result_content":"ok"} }
            """;
        using var created = await PostAsync("/apis", body);
        created.ShouldBe(HttpStatusCode.Created);
        return created.Json.GetProperty("id").GetString()!;
    }

    /// <summary>Publishes (or takes offline) an API in an environment and returns the publish id.</summary>
    public async Task<string?> PublishAsync(string apiId, string envId = Release, string action = "online")
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        using var published = await PostAsync("/apis/action", $$"""{"action":"{{action}}","api_id":"{{apiId}}","env_id":"{{envId}}"}""");
        published.ShouldBe(HttpStatusCode.Created);
        return published.Json.TryGetProperty("publish_id", out var id) ? id.GetString() : null;
    }

    public async Task<string> CreateEnvironmentAsync(string name)
    {
        using var created = await PostAsync("/envs", $$"""{"name":"{{name}}"}""");
        created.ShouldBe(HttpStatusCode.Created);
        return created.Json.GetProperty("id").GetString()!;
    }

    public async Task<string> CreateGroupAsync(string name)
    {
        using var created = await PostAsync("/api-groups", $$"""{"name":"{{name}}"}""");
        created.ShouldBe(HttpStatusCode.Created);
        return created.Json.GetProperty("id").GetString()!;
    }

    /// <summary>Authorizes APIs to APPs in an environment and returns the response's auths.</summary>
    public async Task<JsonElement> AuthorizeAsync(string envId, string[] appIds, string[] apiIds)
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        using var reply = await PostAsync("/app-auths", AuthorizationBody(envId, appIds, apiIds));
        reply.ShouldBe(HttpStatusCode.Created);
        return reply.Json.GetProperty("auths").Clone();
    }

    public static string AuthorizationBody(string envId, string[] appIds, string[] apiIds) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["env_id"] = envId, ["app_ids"] = appIds, ["api_ids"] = apiIds });

    /// <summary>The top-level property names of a JSON object, sorted.</summary>
    public static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal)];

    public static string[] Strings(JsonElement array, string property) => [.. array.EnumerateArray().Select(item => item.GetProperty(property).GetString()!)];

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
