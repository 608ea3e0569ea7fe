using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gateway.Net.Health;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>APIs whose backend is a VPC channel of real loopback servers, balanced by the data plane.</summary>
public sealed class VpcChannelTests
{
    private static async Task<Dictionary<string, int>> CountAsync(HttpClient client, string path, int requests)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < requests; i++)
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
            counts[body] = counts.GetValueOrDefault(body) + 1;
        }

        return counts;
    }

    [Fact]
    public async Task Round_robin_follows_the_weights_and_a_disabled_member_gets_no_traffic()
    {
        await using var a = await IdentityBackend.StartAsync("a", "127.0.0.1");
        await using var b = await IdentityBackend.StartAsync("b", "127.0.0.2");
        await using var c = await IdentityBackend.StartAsync("c", "127.0.0.3");
        await using var host = await DataPlaneTestHost.StartAsync();
        var channelId = await host.CreateChannelAsync("channel_wrr", 1, a.Member(3), b.Member(2), c.Member(1));
        var apiId = await host.CreateApiAsync(host.DefaultGroupId, $$"""
            "name":"balanced","req_method":"GET","req_uri":"/balanced","backend_type":"HTTP",{{DataPlaneTestHost.ChannelBackend(channelId)}}
            """);
        await host.PublishAsync(apiId);

        // Sequential requests on a fresh schedule: ten whole cycles of 3+2+1.
        using var client = host.DataPlaneClient();
        var counts = await CountAsync(client, "/balanced", 60);
        Assert.Equal(30, counts["a"]);
        Assert.Equal(20, counts["b"]);
        Assert.Equal(10, counts["c"]);

        var members = await host.ChannelMembersAsync(channelId);
        await host.SetMembersEnabledAsync(channelId, false, members[a.Host]);
        counts = await CountAsync(client, "/balanced", 30);
        Assert.False(counts.ContainsKey("a"));
        Assert.Equal(20, counts["b"]);
        Assert.Equal(10, counts["c"]);

        await host.SetMembersEnabledAsync(channelId, true, members[a.Host]);
        counts = await CountAsync(client, "/balanced", 60);
        Assert.Equal([30, 20, 10], new[] { counts["a"], counts["b"], counts["c"] });
    }

    [Fact]
    public async Task A_policy_backend_chosen_by_a_query_parameter_serves_matching_requests()
    {
        await using var a = await IdentityBackend.StartAsync("a");
        await using var gold = await IdentityBackend.StartAsync("gold");
        await using var host = await DataPlaneTestHost.StartAsync();
        var channelId = await host.CreateChannelAsync("channel_policy", 1, a.Member(1));
        var apiId = await host.CreateApiAsync(host.DefaultGroupId, $$"""
            "name":"tiered","req_method":"GET","req_uri":"/tiered","backend_type":"HTTP",{{DataPlaneTestHost.ChannelBackend(channelId)}},
            "req_params":[{"name":"tier","type":"STRING","location":"QUERY"}],
            "policy_https":[{"name":"gold_tier","effect_mode":"ALL","url_domain":"{{gold.Address}}","req_protocol":"HTTP","req_method":"GET","req_uri":"/who",
              "conditions":[{"condition_origin":"param","condition_type":"exact","condition_value":"gold","req_param_name":"tier"}]}]
            """);
        await host.PublishAsync(apiId);

        using var client = host.DataPlaneClient();
        Assert.Equal("gold", await client.GetStringAsync("/tiered?tier=gold"));
        Assert.Equal("a", await client.GetStringAsync("/tiered?tier=silver"));
        Assert.Equal("a", await client.GetStringAsync("/tiered"));
    }

    [Fact]
    public async Task A_single_member_channel_serves_and_a_channel_with_every_member_disabled_answers_no_backend()
    {
        await using var a = await IdentityBackend.StartAsync("a");
        await using var host = await DataPlaneTestHost.StartAsync();
        var channelId = await host.CreateChannelAsync("channel_one", 4, a.Member(5));
        var apiId = await host.CreateApiAsync(host.DefaultGroupId, $$"""
            "name":"single","req_method":"GET","req_uri":"/single","match_mode":"SWA","backend_type":"HTTP",{{DataPlaneTestHost.ChannelBackend(channelId)}}
            """);
        await host.PublishAsync(apiId);

        using var client = host.DataPlaneClient();
        var counts = await CountAsync(client, "/single/x", 5);
        Assert.Equal(5, counts["a"]);

        var members = await host.ChannelMembersAsync(channelId);
        await host.SetMembersEnabledAsync(channelId, false, members[a.Host]);
        using var response = await client.GetAsync("/single/x");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("APIG.0610", body.RootElement.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task A_member_that_refuses_connections_is_retried_on_another_and_then_left_out()
    {
        await using var a = await IdentityBackend.StartAsync("a");

        // A port nobody listens on (bound, then closed) on another loopback address.
        using var probe = new TcpListener(IPAddress.Parse("127.0.0.2"), 0);
        probe.Start();
        var deadPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        await using var host = await DataPlaneTestHost.StartAsync();
        var channelId = await host.CreateChannelAsync("channel_dead", 1, a.Member(1), ("127.0.0.2", deadPort, 1));
        var apiId = await host.CreateApiAsync(host.DefaultGroupId, $$"""
            "name":"resilient","req_method":"GET","req_uri":"/resilient","backend_type":"HTTP",{{DataPlaneTestHost.ChannelBackend(channelId)}}
            """);
        await host.PublishAsync(apiId);

        // GET retries once by default: every request that first meets the dead member is served by the live one.
        using var client = host.DataPlaneClient();
        var counts = await CountAsync(client, "/resilient", 12);
        Assert.Equal(12, counts["a"]);

        // Three connection failures in a row took the dead member out of rotation (passive health).
        var dataPlane = host.DataPlaneService;
        Assert.Contains(dataPlane.MemberHealth.Members, m => m.Port == deadPort && !m.IsHealthy);
        Assert.Contains(dataPlane.MemberHealth.Members, m => m.Port == a.Port && m.IsHealthy);
    }
}
