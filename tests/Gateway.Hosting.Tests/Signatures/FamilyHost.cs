using System.Net;
using System.Text.Json;
using Gateway.Hosting.Tests.Apig;
using Gateway.Hosting.Tests.Apis;
using Gateway.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Hosting.Tests.Signatures;

/// <summary>
/// The management API over TestServer with a manual clock, plus the API and publication steps that signature-key
/// bindings and VPC channel tests build on. Paths are relative to the instance.
/// </summary>
internal sealed class FamilyHost : IAsyncDisposable
{
    public const string Release = "DEFAULT_ENVIRONMENT_RELEASE_ID";
    public const string Unknown = "ffffffffffffffffffffffffffffffff";

    private FamilyHost(ApigTestHost host, ManualTimeProvider clock)
    {
        Host = host;
        Clock = clock;
    }

    public ApigTestHost Host { get; }

    public ManualTimeProvider Clock { get; }

    public string InstanceId => Host.InstanceId;

    public string DefaultGroupId { get; private set; } = "";

    public IResourceStore Store => Host.Services.GetRequiredService<IResourceStore>();

    public static async Task<FamilyHost> StartAsync()
    {
        var clock = new ManualTimeProvider();
        var host = await ApigTestHost.StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        var family = new FamilyHost(host, clock);
        using var groups = await family.GetAsync("/api-groups");
        family.DefaultGroupId = groups.Json.GetProperty("groups")[0].GetProperty("id").GetString()!;
        return family;
    }

    public Task<Reply> GetAsync(string path) => Host.GetAsync(Host.Instance + path);

    public Task<Reply> DeleteAsync(string path) => Host.DeleteAsync(Host.Instance + path);

    public Task<Reply> PostAsync(string path, string body) => Host.PostAsync(Host.Instance + path, body);

    public Task<Reply> PutAsync(string path, string body) => Host.PutAsync(Host.Instance + path, body);

    /// <summary>Creates a web API (the sample with a patch applied) a second after the previous step and returns its id.</summary>
    public async Task<string> CreateApiAsync(string name, string patch = "{}", string? groupId = null)
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        var body = ApiTestHost.With(ApiSamples.Http, $$"""{"name": "{{name}}", "req_uri": "/{{name}}/{userId}", "group_id": "{{groupId ?? DefaultGroupId}}"}""");
        using var created = await PostAsync("/apis", ApiTestHost.With(body, patch));
        created.ShouldBe(HttpStatusCode.Created);
        return created.Json.GetProperty("id").GetString()!;
    }

    /// <summary>Publishes (or takes offline) an API and returns the publish_id.</summary>
    public async Task<string> PublishAsync(string apiId, string envId = Release, string action = "online")
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        using var published = await PostAsync("/apis/action", $$"""{"action": "{{action}}", "api_id": "{{apiId}}", "env_id": "{{envId}}"}""");
        published.ShouldBe(HttpStatusCode.Created);
        return published.Json.GetProperty("publish_id").GetString()!;
    }

    public async Task<string> CreateEnvironmentAsync(string name)
    {
        using var created = await PostAsync("/envs", $$"""{"name": "{{name}}"}""");
        created.ShouldBe(HttpStatusCode.Created);
        return created.Json.GetProperty("id").GetString()!;
    }

    public async Task<string> CreateGroupAsync(string name)
    {
        using var created = await PostAsync("/api-groups", $$"""{"name": "{{name}}"}""");
        created.ShouldBe(HttpStatusCode.Created);
        return created.Json.GetProperty("id").GetString()!;
    }

    /// <summary>The ids in a list response's array.</summary>
    public static List<string> Ids(Reply reply, string array, string idProperty = "id") =>
        [.. reply.Json.GetProperty(array).EnumerateArray().Select(item => item.GetProperty(idProperty).GetString()!)];

    public static string Text(JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public async Task<int> CountStoredAsync(string collection) => (await Store.ListAsync(collection)).Count;

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
