using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Hosting.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Hosting.Tests.Apig;

/// <summary>An in-process management API with a default instance, called with a configured token.</summary>
internal sealed class ApigTestHost : IAsyncDisposable
{
    public const string ProjectId = "0123456789abcdef0123456789abcdef";
    public const string Token = "test-token";

    private readonly WebApplication _app;

    private ApigTestHost(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public string InstanceId { get; private set; } = "";

    public string Instance => $"/v2/{ProjectId}/apigw/instances/{InstanceId}";

    public IServiceProvider Services => _app.Services;

    public static async Task<ApigTestHost> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddGateway();
        builder.Services.AddApigDefaultInstance(ProjectId);
        builder.Services.Configure<ManagementAuthenticationOptions>(options => options.Tokens.Add(Token));
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapApigV2();
        await app.StartAsync();
        var client = app.GetTestClient();
        client.DefaultRequestHeaders.Add("X-Auth-Token", Token);
        var host = new ApigTestHost(app, client);
        using var instances = await host.GetAsync($"/v2/{ProjectId}/apigw/instances");
        host.InstanceId = instances.Json.GetProperty("instances")[0].GetProperty("id").GetString()!;
        return host;
    }

    /// <summary>A client without the token, for authentication tests.</summary>
    public HttpClient CreateAnonymousClient() => _app.GetTestClient();

    public Task<Reply> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<Reply> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public Task<Reply> PostAsync(string path, string body) => SendAsync(HttpMethod.Post, path, body);

    public Task<Reply> PutAsync(string path, string body) => SendAsync(HttpMethod.Put, path, body);

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text);
    }

    /// <summary>Creates a group and returns its id.</summary>
    public async Task<string> CreateGroupAsync(string name)
    {
        using var reply = await PostAsync($"{Instance}/api-groups", $$"""{"name":"{{name}}"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        return reply.Json.GetProperty("id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A response: status, raw body and the parsed JSON (when the body is JSON).</summary>
internal sealed class Reply(HttpStatusCode status, string body) : IDisposable
{
    private JsonDocument? _document;

    public HttpStatusCode Status { get; } = status;

    public string Body { get; } = body;

    public JsonElement Json => (_document ??= JsonDocument.Parse(Body)).RootElement;

    public string? ErrorCode => Json.TryGetProperty("error_code", out var code) ? code.GetString() : null;

    public void ShouldBe(HttpStatusCode expected)
    {
        Assert.True(expected == Status, $"Expected {(int)expected} but got {(int)Status}: {Body}");
    }

    /// <summary>Asserts a documented error: status, code, and that the message names the parameter when given.</summary>
    public void ShouldFail(HttpStatusCode expected, string errorCode, string? parameter = null)
    {
        ShouldBe(expected);
        Assert.Equal(errorCode, ErrorCode);
        var message = Json.GetProperty("error_msg").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(message));
        if (parameter is not null)
        {
            Assert.Contains(parameter, message, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _document?.Dispose();
}
