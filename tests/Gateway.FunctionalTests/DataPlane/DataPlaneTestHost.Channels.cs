using System.Net;
using System.Text.Json;
using Gateway.Hosting.DataPlane;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>VPC channel helpers: create a channel of loopback members and change its members through the management API.</summary>
internal sealed partial class DataPlaneTestHost
{
    /// <summary>The running data plane (its member health registry, for passive-health checks).</summary>
    public DataPlaneHostedService DataPlaneService => _app.Services.GetRequiredService<DataPlaneHostedService>();

    /// <summary>
    /// Creates an ip channel from <c>(host, port, weight)</c> members; returns its id. Members are told apart by host
    /// (3.17.6 upserts by address), so each needs its own loopback address.
    /// </summary>
    public async Task<string> CreateChannelAsync(string name, int strategy, params (string Host, int Port, int Weight)[] members)
    {
        var list = string.Join(",", members.Select(m => $$"""{"host":"{{m.Host}}","port":{{m.Port}},"weight":{{m.Weight}}}"""));
        using var channel = await SendJsonAsync(HttpMethod.Post, $"{Instance}/vpc-channels",
            $$"""{"name":"{{name}}","port":80,"balance_strategy":{{strategy}},"member_type":"ip","members":[{{list}}]}""", HttpStatusCode.Created);
        return channel.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>The channel's member ids by host.</summary>
    public async Task<Dictionary<string, string>> ChannelMembersAsync(string channelId)
    {
        using var members = await GetJsonAsync($"{Instance}/vpc-channels/{channelId}/members");
        return members.RootElement.GetProperty("members").EnumerateArray()
            .ToDictionary(m => m.GetProperty("host").GetString()!, m => m.GetProperty("id").GetString()!);
    }

    /// <summary>Batch-disables (3.17.11) or enables (3.17.10) members and waits for the data plane.</summary>
    public async Task SetMembersEnabledAsync(string channelId, bool enabled, params string[] memberIds)
    {
        var action = enabled ? "batch-enable" : "batch-disable";
        using var _ = await SendJsonAsync(HttpMethod.Post, $"{Instance}/vpc-channels/{channelId}/members/{action}",
            JsonSerializer.Serialize(new { member_ids = memberIds }), HttpStatusCode.NoContent);
        await WaitForDataPlaneAsync();
    }

    /// <summary>The web backend of an API going through a channel.</summary>
    public static string ChannelBackend(string channelId) =>
        "\"backend_api\":{\"req_protocol\":\"HTTP\",\"req_method\":\"GET\",\"req_uri\":\"/who\",\"timeout\":5000," +
        "\"vpc_channel_status\":1,\"vpc_channel_info\":{\"vpc_channel_id\":\"" + channelId + "\"}}";
}

/// <summary>A real Kestrel backend on a loopback address (127.0.0.x) and port that answers every request with its name.</summary>
internal sealed class IdentityBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IdentityBackend(WebApplication app, string name, string host, int port)
    {
        _app = app;
        Name = name;
        Host = host;
        Port = port;
    }

    public string Name { get; }

    public string Host { get; }

    public int Port { get; }

    public string Address => $"{Host}:{Port}";

    /// <summary>The backend as a channel member of <paramref name="weight"/>.</summary>
    public (string Host, int Port, int Weight) Member(int weight) => (Host, Port, weight);

    public static async Task<IdentityBackend> StartAsync(string name, string host = "127.0.0.1")
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Parse(host), 0));
        var app = builder.Build();
        app.Map("/{**path}", (HttpContext context) => context.Response.WriteAsync(name));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new IdentityBackend(app, name, host, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
