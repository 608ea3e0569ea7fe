using System.Net;
using System.Text;
using Gateway.Hosting.Tests.Apig;
using Gateway.Hosting.Tests.Apis;
using Gateway.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Hosting.Tests.Throttles;

/// <summary>
/// The management API with a default instance and a manual clock, plus the set-up throttle and ACL tests need: APIs,
/// environments, publications, and APP records seeded straight into the store (APPs are managed by another family).
/// </summary>
internal sealed class PolicyTestHost : IAsyncDisposable
{
    public const string Release = "DEFAULT_ENVIRONMENT_RELEASE_ID";

    private PolicyTestHost(ApigTestHost host, ManualTimeProvider clock)
    {
        Host = host;
        Clock = clock;
    }

    public ApigTestHost Host { get; }

    public ManualTimeProvider Clock { get; }

    public string Instance => Host.Instance;

    public string DefaultGroupId { get; private set; } = "";

    public static async Task<PolicyTestHost> StartAsync()
    {
        var clock = new ManualTimeProvider();
        var host = await ApigTestHost.StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        var policyHost = new PolicyTestHost(host, clock);
        using var groups = await host.GetAsync($"{host.Instance}/api-groups");
        policyHost.DefaultGroupId = groups.Json.GetProperty("groups")[0].GetProperty("id").GetString()!;
        return policyHost;
    }

    /// <summary>Sends a request a second after the previous one (so creation order is list order); the path is relative to the instance.</summary>
    public Task<Reply> SendAsync(HttpMethod method, string path, string? body = null)
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        return Host.SendAsync(method, path.StartsWith("/v2/", StringComparison.Ordinal) ? path : Instance + path, body);
    }

    public Task<Reply> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<Reply> PostAsync(string path, string body) => SendAsync(HttpMethod.Post, path, body);

    public Task<Reply> PutAsync(string path, string body) => SendAsync(HttpMethod.Put, path, body);

    public Task<Reply> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    /// <summary>Creates a mock-backed API and returns its id.</summary>
    public async Task<string> CreateApiAsync(string name, string? groupId = null, string method = "GET", string? uri = null)
    {
        var body = $$"""
            {
              "name": "{{name}}", "type": 1, "req_protocol": "HTTPS", "req_method": "{{method}}", "req_uri": "{{uri ?? "/" + name}}",
              "auth_type": "NONE", "backend_type": "MOCK", "remark": "{{name}} remark",
              "mock_info": { "result_content": "ok" }, "group_id": "{{groupId ?? DefaultGroupId}}"
            }
            """;
        using var reply = await PostAsync("/apis", body);
        reply.ShouldBe(HttpStatusCode.Created);
        return reply.Json.GetProperty("id").GetString()!;
    }

    /// <summary>Publishes (or takes offline) an API in an environment and returns the publish id.</summary>
    public async Task<string> PublishAsync(string apiId, string envId = Release, string action = "online")
    {
        using var reply = await PostAsync("/apis/action", $$"""{"action": "{{action}}", "api_id": "{{apiId}}", "env_id": "{{envId}}"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        return reply.Json.GetProperty("publish_id").GetString()!;
    }

    public async Task<string> CreateEnvironmentAsync(string name)
    {
        using var reply = await PostAsync("/envs", $$"""{"name": "{{name}}"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        return reply.Json.GetProperty("id").GetString()!;
    }

    public async Task<string> CreateGroupAsync(string name)
    {
        using var reply = await PostAsync("/api-groups", $$"""{"name": "{{name}}"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        return reply.Json.GetProperty("id").GetString()!;
    }

    /// <summary>Creates a throttling policy (api 800, user 500, app 300, ip 600 per second unless given) and returns its id.</summary>
    public async Task<string> CreateThrottleAsync(string name, string limits = """ "api_call_limits": 800, "user_call_limits": 500, "app_call_limits": 300, "ip_call_limits": 600 """)
    {
        using var reply = await PostAsync("/throttles", $$"""{"name": "{{name}}", {{limits}}, "time_interval": 1, "time_unit": "SECOND"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        return reply.Json.GetProperty("id").GetString()!;
    }

    /// <summary>Binds a policy to publications and returns the binding ids.</summary>
    public async Task<List<string>> BindThrottleAsync(string throttleId, params string[] publishIds)
    {
        using var reply = await PostAsync("/throttle-bindings", $$"""{"strategy_id": "{{throttleId}}", "publish_ids": [{{Quoted(publishIds)}}]}""");
        reply.ShouldBe(HttpStatusCode.Created);
        return [.. reply.Json.GetProperty("throttle_applys").EnumerateArray().Select(item => item.GetProperty("id").GetString()!)];
    }

    public async Task<string> CreateAclAsync(string name, string entityType = "IP", string value = "192.168.1.5,192.168.10.1", string aclType = "PERMIT")
    {
        using var reply = await PostAsync("/acls", $$"""{"acl_name": "{{name}}", "acl_type": "{{aclType}}", "acl_value": "{{value}}", "entity_type": "{{entityType}}"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        return reply.Json.GetProperty("id").GetString()!;
    }

    public async Task<List<string>> BindAclAsync(string aclId, params string[] publishIds)
    {
        using var reply = await PostAsync("/acl-bindings", $$"""{"acl_id": "{{aclId}}", "publish_ids": [{{Quoted(publishIds)}}]}""");
        reply.ShouldBe(HttpStatusCode.Created);
        return [.. reply.Json.GetProperty("acl_bindings").EnumerateArray().Select(item => item.GetProperty("id").GetString()!)];
    }

    /// <summary>Stores an APP record where the credentials family keeps them (<c>apig/inst/{instance}/apps/{id}</c>).</summary>
    public async Task SeedAppAsync(string appId, string name)
    {
        var store = Host.Services.GetRequiredService<IResourceStore>();
        var json = Encoding.UTF8.GetBytes($$"""{"id":"{{appId}}","name":"{{name}}","status":1}""");
        var commit = await store.CommitAsync(new StoreTransaction().Put($"apig/inst/{Host.InstanceId}/apps/{appId}", json));
        Assert.True(commit.Succeeded);
    }

    /// <summary>The keys of one of the instance's collections, straight from the store.</summary>
    public async Task<List<string>> StoredKeysAsync(string collection)
    {
        var store = Host.Services.GetRequiredService<IResourceStore>();
        var entries = await store.ListAsync($"apig/inst/{Host.InstanceId}/{collection}/");
        return [.. entries.Select(entry => entry.Key)];
    }

    public static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(value => $"\"{value}\""));

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
