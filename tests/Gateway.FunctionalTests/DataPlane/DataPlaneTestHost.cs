using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Hosting.Authentication;
using Gateway.Hosting.DataPlane;
using Gateway.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>
/// A gateway with its management API in-process and its data plane on a real loopback socket (port 0), plus helpers to
/// create and publish APIs and to wait until the data plane has compiled the latest change.
/// </summary>
internal sealed partial class DataPlaneTestHost : IAsyncDisposable
{
    public const string ProjectId = "0123456789abcdef0123456789abcdef";
    private const string Token = "dp-token";

    private readonly WebApplication _app;
    private readonly HttpClient _management;

    private DataPlaneTestHost(WebApplication app)
    {
        _app = app;
        _management = app.GetTestClient();
        _management.DefaultRequestHeaders.Add("X-Auth-Token", Token);
    }

    public string InstanceId { get; private set; } = "";

    public string DefaultGroupId { get; private set; } = "";

    public Uri DataPlane { get; private set; } = null!;

    public string Instance => $"/v2/{ProjectId}/apigw/instances/{InstanceId}";

    /// <param name="configure">Data-plane settings.</param>
    /// <param name="services">Further services or options, applied after the defaults.</param>
    public static async Task<DataPlaneTestHost> StartAsync(Action<GatewayDataPlaneOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddGateway();
        builder.Services.AddApigDefaultInstance(ProjectId);
        builder.Services.AddGatewayDataPlane(options =>
        {
            options.ListenUrl = "http://127.0.0.1:0";
            options.ProjectId = ProjectId;
            configure?.Invoke(options);
        });
        builder.Services.Configure<ManagementAuthenticationOptions>(options => options.Tokens.Add(Token));
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapApigV2();
        await app.StartAsync();
        var host = new DataPlaneTestHost(app);
        var dataPlane = app.Services.GetRequiredService<DataPlaneHostedService>();
        host.DataPlane = new Uri($"http://{dataPlane.LocalEndPoint}");
        using var instances = await host.GetJsonAsync($"/v2/{ProjectId}/apigw/instances");
        host.InstanceId = instances.RootElement.GetProperty("instances")[0].GetProperty("id").GetString()!;
        using var groups = await host.GetJsonAsync($"{host.Instance}/api-groups");
        host.DefaultGroupId = groups.RootElement.GetProperty("groups")[0].GetProperty("id").GetString()!;
        return host;
    }

    public async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await _management.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }

    public async Task<JsonDocument> SendJsonAsync(HttpMethod method, string path, string body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _management.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(string.IsNullOrEmpty(text) ? "{}" : text);
    }

    public async Task<string> CreateGroupAsync(string name)
    {
        using var group = await SendJsonAsync(HttpMethod.Post, $"{Instance}/api-groups", $$"""{"name":"{{name}}"}""", HttpStatusCode.Created);
        return group.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Creates an API from a JSON body (group_id and common fields filled in) and returns its id.</summary>
    public async Task<string> CreateApiAsync(string groupId, string fields)
    {
        var body = $$"""{"group_id":"{{groupId}}","type":1,"req_protocol":"HTTP","auth_type":"NONE",{{fields}}}""";
        using var api = await SendJsonAsync(HttpMethod.Post, $"{Instance}/apis", body, HttpStatusCode.Created);
        return api.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Publishes (or takes offline) and waits for the data plane; returns the publish id.</summary>
    public async Task<string?> PublishAsync(string apiId, string envId = "DEFAULT_ENVIRONMENT_RELEASE_ID", string action = "online")
    {
        using var reply = await SendJsonAsync(HttpMethod.Post, $"{Instance}/apis/action",
            $$"""{"action":"{{action}}","api_id":"{{apiId}}","env_id":"{{envId}}"}""", HttpStatusCode.Created);
        await WaitForDataPlaneAsync();
        return reply.RootElement.TryGetProperty("publish_id", out var id) ? id.GetString() : null;
    }

    /// <summary>Waits until the data plane's snapshot reflects every commit made so far.</summary>
    public async Task WaitForDataPlaneAsync()
    {
        var store = _app.Services.GetRequiredService<IResourceStore>();
        var snapshots = _app.Services.GetRequiredService<DataPlaneHostedService>().Snapshots;
        var target = store.Revision;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (snapshots.Current.Revision < target)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The data plane did not reach revision {target} (at {snapshots.Current.Revision}).");
            await Task.Yield();
        }
    }

    /// <summary>A client for the data plane that sends <paramref name="host"/> as the Host header.</summary>
    public HttpClient DataPlaneClient(string? host = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { BaseAddress = DataPlane };
        if (host is not null)
        {
            client.DefaultRequestHeaders.Host = host;
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        return client;
    }

    public string SubDomain(string groupId) => $"{groupId}.apig.localhost";

    /// <summary>Stops the host (the data plane drains in-flight requests) without disposing it.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        _management.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
