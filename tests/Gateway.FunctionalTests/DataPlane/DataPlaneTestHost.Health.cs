using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>VPC channel helpers for health-check tests.</summary>
internal sealed partial class DataPlaneTestHost
{
    /// <summary>Creates an ip-type VPC channel with the given members and health check; returns its id.</summary>
    public async Task<string> CreateVpcChannelAsync(string name, IEnumerable<HealthBackend> members, string healthConfig)
    {
        var memberList = string.Join(",", members.Select(member => $$"""{"host":"{{member.Address}}","port":{{member.Port}},"weight":1}"""));
        using var channel = await SendJsonAsync(HttpMethod.Post, $"{Instance}/vpc-channels", $$"""
            {"name":"{{name}}","port":80,"balance_strategy":1,"member_type":"ip","type":2,
             "members":[{{memberList}}],"vpc_health_config":{{healthConfig}}}
            """, HttpStatusCode.Created);
        return channel.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>The member list (3.17.7): host → observed <c>health_status</c> (null when none was recorded).</summary>
    public async Task<Dictionary<string, int?>> MemberHealthAsync(string channelId)
    {
        using var list = await GetJsonAsync($"{Instance}/vpc-channels/{channelId}/members");
        var health = new Dictionary<string, int?>(StringComparer.Ordinal);
        foreach (var member in list.RootElement.GetProperty("members").EnumerateArray())
        {
            health[member.GetProperty("host").GetString()!] = member.TryGetProperty("health_status", out var status) && status.ValueKind == JsonValueKind.Number
                ? status.GetInt32()
                : null;
        }

        return health;
    }

    /// <summary>
    /// Polls the member list until the member on <paramref name="host"/> shows <paramref name="expected"/> and returns
    /// how long that took; fails after <paramref name="within"/>. (The management API has no push, so this polls.)
    /// </summary>
    public async Task<TimeSpan> WaitForMemberHealthAsync(string channelId, string host, int expected, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var health = await MemberHealthAsync(channelId);
            if (health[host] == expected)
            {
                return watch.Elapsed;
            }

            Assert.True(watch.Elapsed < within, $"{host} did not show health_status {expected} within {within} (shows {health[host]?.ToString() ?? "none"}).");
            await Task.Delay(50);
        }
    }
}

/// <summary>
/// A real Kestrel backend on its own loopback address (ip members are identified by host, so each backend gets one of
/// 127.0.0.x) that can be stopped and started again on the same port. <c>/health</c> answers 200.
/// </summary>
internal sealed class HealthBackend : IAsyncDisposable
{
    private WebApplication? _app;
    private int _healthRequests;

    private HealthBackend(IPAddress address) => Address = address;

    public IPAddress Address { get; }

    public int Port { get; private set; }

    /// <summary>Health-check requests received so far.</summary>
    public int HealthRequests => Volatile.Read(ref _healthRequests);

    public static async Task<HealthBackend> StartAsync(IPAddress address)
    {
        var backend = new HealthBackend(address);
        await backend.ListenAsync(0);
        return backend;
    }

    /// <summary>Starts again on the port it had.</summary>
    public Task StartAgainAsync() => ListenAsync(Port);

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task ListenAsync(int port)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(Address, port));
        var app = builder.Build();
        app.MapGet("/health", () =>
        {
            Interlocked.Increment(ref _healthRequests);
            return Results.Text("up");
        });
        app.MapGet("/who", () => Results.Text(Address.ToString()));
        await app.StartAsync();
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        _app = app;
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
