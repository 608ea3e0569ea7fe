using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gateway.Hosting.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>The same engine on Kestrel's connection layer: one app, a management endpoint and a data-plane endpoint.</summary>
public sealed class KestrelAdapterTests
{
    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [Fact]
    public async Task A_kestrel_endpoint_with_UseGatewayDataPlane_serves_published_apis()
    {
        var managementPort = FreePort();
        var dataPort = FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, managementPort);
            kestrel.Listen(IPAddress.Loopback, dataPort, listen => listen.UseGatewayDataPlane());
        });
        builder.Services.AddGateway();
        builder.Services.AddApigDefaultInstance(DataPlaneTestHost.ProjectId);
        builder.Services.AddGatewayDataPlane(options =>
        {
            options.ListenUrl = null;
            options.ProjectId = DataPlaneTestHost.ProjectId;
        });
        builder.Services.Configure<ManagementAuthenticationOptions>(options => options.Tokens.Add("k-token"));
        await using var app = builder.Build();
        app.MapApigV2();
        await app.StartAsync();

        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}") };
        management.DefaultRequestHeaders.Add("X-Auth-Token", "k-token");
        var prefix = $"/v2/{DataPlaneTestHost.ProjectId}/apigw/instances";
        using var instances = JsonDocument.Parse(await management.GetStringAsync(prefix));
        var instance = $"{prefix}/{instances.RootElement.GetProperty("instances")[0].GetProperty("id").GetString()}";
        using var groups = JsonDocument.Parse(await management.GetStringAsync($"{instance}/api-groups"));
        var groupId = groups.RootElement.GetProperty("groups")[0].GetProperty("id").GetString();

        using var created = await management.PostAsync($"{instance}/apis", new StringContent($$$"""
            {"group_id":"{{{groupId}}}","type":1,"req_protocol":"HTTP","auth_type":"NONE","name":"kestrel_mock",
             "req_method":"GET","req_uri":"/k","backend_type":"MOCK","mock_info":{"result_content":"served by kestrel"}}
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var api = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        using var published = await management.PostAsync($"{instance}/apis/action", new StringContent(
            $$"""{"action":"online","api_id":"{{api.RootElement.GetProperty("id").GetString()}}","env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID"}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);

        using var data = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{dataPort}") };
        string? body = null;
        for (var attempt = 0; attempt < 200 && body != "served by kestrel"; attempt++)
        {
            using var response = await data.GetAsync("/k"); // the change feed compiles the new snapshot within milliseconds
            body = await response.Content.ReadAsStringAsync();
            await Task.Yield();
        }

        Assert.Equal("served by kestrel", body);

        // The management endpoint does not serve the data plane, and vice versa.
        using var notData = await management.GetAsync("/k");
        Assert.Equal(HttpStatusCode.NotFound, notData.StatusCode);
        using var notManagement = await data.GetAsync(prefix);
        Assert.Equal(HttpStatusCode.NotFound, notManagement.StatusCode);
        Assert.Contains("APIG.0101", await notManagement.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.StopAsync();
    }
}
