using System.Collections.Concurrent;
using System.Net;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>Balancing and health checks together: a member that goes down mid-load costs clients nothing once it is out.</summary>
public sealed class ChannelFailoverTests
{
    private const int Interval = 2;
    private const int Timeout = 1;
    private const int Normal = 2;
    private const int Abnormal = 2;
    private static readonly TimeSpan Detection = TimeSpan.FromSeconds(((Math.Max(Normal, Abnormal) + 1) * Interval) + Timeout + 4);

    [Fact]
    public async Task A_member_stopped_mid_load_costs_no_request_after_the_thresholds_and_takes_traffic_again_when_back()
    {
        var backends = new List<HealthBackend>();
        // The load is far above the instance default throttle (200/s): raise it, this test is about failover.
        await using var host = await DataPlaneTestHost.StartAsync(options => options.DefaultApiRequestsPerSecond = 1_000_000);
        using var stopLoad = new CancellationTokenSource();
        var outcomes = new ConcurrentQueue<(DateTime At, HttpStatusCode Status, string Body)>();
        var load = new List<Task>();
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                backends.Add(await HealthBackend.StartAsync(IPAddress.Parse($"127.0.0.{i + 30}")));
            }

            var channelId = await host.CreateVpcChannelAsync("VPC_failover_load", backends, $$"""
                {"protocol":"HTTP","path":"/health","method":"GET","port":0,"http_code":"200",
                 "threshold_normal":{{Normal}},"threshold_abnormal":{{Abnormal}},"time_interval":{{Interval}},"timeout":{{Timeout}}}
                """);
            var apiId = await host.CreateApiAsync(host.DefaultGroupId,
                "\"name\":\"channel_load\",\"req_method\":\"GET\",\"req_uri\":\"/who\",\"backend_type\":\"HTTP\"," + DataPlaneTestHost.ChannelBackend(channelId));
            await host.PublishAsync(apiId);
            await host.WaitForDataPlaneAsync();

            // Four clients call the API in a loop for the whole test.
            for (var worker = 0; worker < 4; worker++)
            {
                load.Add(Task.Run(async () =>
                {
                    using var client = host.DataPlaneClient();
                    while (!stopLoad.IsCancellationRequested)
                    {
                        try
                        {
                            using var response = await client.GetAsync("/who", stopLoad.Token);
                            outcomes.Enqueue((DateTime.UtcNow, response.StatusCode, await response.Content.ReadAsStringAsync(stopLoad.Token)));
                        }
                        catch (OperationCanceledException) when (stopLoad.IsCancellationRequested)
                        {
                        }
                    }
                }));
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
            var stopped = backends[1];
            var stoppedHost = stopped.Address.ToString();
            await stopped.StopAsync();
            await host.WaitForMemberHealthAsync(channelId, stoppedHost, expected: 2, Detection);
            var ejectedAt = DateTime.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(2));

            var restartedAt = DateTime.UtcNow;
            await stopped.StartAgainAsync();
            await host.WaitForMemberHealthAsync(channelId, stoppedHost, expected: 1, Detection);
            var rejoinedAt = DateTime.UtcNow;
            var deadline = rejoinedAt + Detection;
            while (!outcomes.Any(outcome => outcome.At > rejoinedAt && outcome.Body == stoppedHost))
            {
                Assert.True(DateTime.UtcNow < deadline, "the member that came back got no traffic");
                await Task.Delay(50);
            }

            await stopLoad.CancelAsync();
            await Task.WhenAll(load);

            var all = outcomes.ToArray();
            Assert.True(all.Length > 50, $"only {all.Length} requests were made");
            var failedAfterEjection = all.Where(outcome => outcome.At > ejectedAt && outcome.Status != HttpStatusCode.OK).ToArray();
            Assert.True(failedAfterEjection.Length == 0,
                $"{failedAfterEjection.Length} requests failed after the member was marked unhealthy: {string.Join(", ", failedAfterEjection.Select(f => (int)f.Status).Distinct())}");
            Assert.DoesNotContain(all, outcome => outcome.At > ejectedAt && outcome.At < restartedAt && outcome.Body == stoppedHost);
            Assert.All(backends, backend => Assert.Contains(all, outcome => outcome.Body == backend.Address.ToString()));
        }
        finally
        {
            await stopLoad.CancelAsync();
            foreach (var task in load)
            {
                await task.ContinueWith(_ => { }, TaskScheduler.Default);
            }

            foreach (var backend in backends)
            {
                await backend.DisposeAsync();
            }
        }
    }
}
