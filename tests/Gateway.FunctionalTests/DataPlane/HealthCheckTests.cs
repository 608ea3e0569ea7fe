using System.Net;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>Active health checks against real backends, observed through the management API's member list.</summary>
public sealed class HealthCheckTests
{
    // time_interval must exceed timeout (at least 1 s), so 2 s is the shortest interval a check may have.
    private const int Interval = 2;
    private const int Timeout = 1;
    private const int Normal = 2;
    private const int Abnormal = 2;

    // A flip needs its threshold of probes one interval apart (plus a timeout for the last one), then the debounced
    // write-back; the rest is slack for a busy machine.
    private static readonly TimeSpan Detection = TimeSpan.FromSeconds(((Math.Max(Normal, Abnormal) + 1) * Interval) + Timeout + 4);

    [Fact]
    public async Task A_stopped_member_shows_unhealthy_and_shows_healthy_again_once_it_is_back()
    {
        var backends = new List<HealthBackend>();
        await using var host = await DataPlaneTestHost.StartAsync();
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                backends.Add(await HealthBackend.StartAsync(IPAddress.Parse($"127.0.0.{i + 10}")));
            }

            var channelId = await host.CreateVpcChannelAsync("VPC_health_functional", backends, $$"""
                {"protocol":"HTTP","path":"/health","method":"GET","port":0,"http_code":"200-299",
                 "threshold_normal":{{Normal}},"threshold_abnormal":{{Abnormal}},"time_interval":{{Interval}},"timeout":{{Timeout}}}
                """);
            await host.WaitForDataPlaneAsync();

            // Every member is probed; healthy members never flipped, so none shows a recorded failure.
            var deadline = DateTime.UtcNow + Detection;
            while (backends.Any(backend => backend.HealthRequests == 0))
            {
                Assert.True(DateTime.UtcNow < deadline, "Not every backend was probed.");
                await Task.Delay(50);
            }

            Assert.All((await host.MemberHealthAsync(channelId)).Values, status => Assert.NotEqual(2, status));

            var stopped = backends[1];
            var stoppedHost = stopped.Address.ToString();
            await stopped.StopAsync();
            var down = await host.WaitForMemberHealthAsync(channelId, stoppedHost, expected: 2, Detection);
            Assert.True(down <= Detection, $"unhealthy after {down}");

            var health = await host.MemberHealthAsync(channelId);
            Assert.Equal(2, health[stoppedHost]);
            Assert.All(backends.Where(backend => backend != stopped), backend => Assert.NotEqual(2, health[backend.Address.ToString()]));

            var probesBefore = stopped.HealthRequests;
            await stopped.StartAgainAsync();
            var up = await host.WaitForMemberHealthAsync(channelId, stoppedHost, expected: 1, Detection);
            Assert.True(up <= Detection, $"healthy after {up}");
            Assert.True(stopped.HealthRequests - probesBefore >= Normal, "re-admitted before threshold_normal successful probes");
            Assert.All((await host.MemberHealthAsync(channelId)).Values, status => Assert.NotEqual(2, status));
        }
        finally
        {
            foreach (var backend in backends)
            {
                await backend.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_disabled_check_does_not_probe()
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        await using var backend = await HealthBackend.StartAsync(IPAddress.Parse("127.0.0.21"));
        var channelId = await host.CreateVpcChannelAsync("VPC_health_disabled", [backend], $$"""
            {"protocol":"HTTP","path":"/health","http_code":"200","status":2,
             "threshold_normal":1,"threshold_abnormal":1,"time_interval":{{Interval}},"timeout":{{Timeout}}}
            """);
        await host.WaitForDataPlaneAsync();

        // An enabled check would probe at once and then every interval: give it more than an interval.
        await Task.Delay(TimeSpan.FromSeconds(Interval + 1));
        Assert.Equal(0, backend.HealthRequests);

        // Enabling the check on the same channel makes it run: the backend gets probed within an interval.
        using var _ = await host.SendJsonAsync(HttpMethod.Put, $"{host.Instance}/vpc-channels/{channelId}/health-config", $$"""
            {"protocol":"HTTP","path":"/health","http_code":"200","status":1,
             "threshold_normal":1,"threshold_abnormal":1,"time_interval":{{Interval}},"timeout":{{Timeout}}}
            """, HttpStatusCode.OK);
        var deadline = DateTime.UtcNow + Detection;
        while (backend.HealthRequests == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The enabled check never probed.");
            await Task.Delay(50);
        }
    }
}
