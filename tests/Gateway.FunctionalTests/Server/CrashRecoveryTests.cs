using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Gateway.FunctionalTests.Server;

/// <summary>The sample server on its embedded store loses no acknowledged write when killed with SIGKILL mid-stream.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const string ProjectId = "0123456789abcdef0123456789abcdef";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "gateway-crash-" + Guid.NewGuid().ToString("N"));

    private Dictionary<string, string> Environment => new()
    {
        ["GATEWAY_ADMIN_TOKEN"] = "crash-token",
        ["GATEWAY_DATA_DIR"] = _dataDirectory,
    };

    [Fact]
    public async Task Every_acknowledged_create_survives_a_kill_during_concurrent_writes()
    {
        var acknowledged = new ConcurrentBag<string>();
        string instanceId;
        await using (var server = await ServerProcess.StartAsync(Environment))
        {
            using var client = Client(server);
            instanceId = await InstanceIdAsync(client);
            using var stop = new CancellationTokenSource();
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writers = Enumerable.Range(0, 6).Select(writer => Task.Run(async () =>
            {
                for (var i = 0; i < 1000 && !stop.IsCancellationRequested; i++)
                {
                    var name = $"crash_{writer}_{i}";
                    try
                    {
                        using var reply = await client.PostAsync($"/v2/{ProjectId}/apigw/instances/{instanceId}/api-groups",
                            new StringContent($$"""{"name":"{{name}}","remark":"written before the crash"}""", Encoding.UTF8, "application/json"), stop.Token);
                        if (reply.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add(name);
                            if (acknowledged.Count >= 60)
                            {
                                enough.TrySetResult();
                            }
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                    {
                        return; // the server died under this request: its outcome is unknown, which is allowed
                    }
                }
            })).ToArray();

            await enough.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await server.KillAsync(); // SIGKILL while the writers are still sending
            stop.Cancel();
            await Task.WhenAll(writers);
        }

        await using var restarted = await ServerProcess.StartAsync(Environment);
        using var after = Client(restarted);
        var groups = new List<JsonElement>();
        for (var offset = 0; ; offset += 500)
        {
            using var page = JsonDocument.Parse(await after.GetStringAsync($"/v2/{ProjectId}/apigw/instances/{instanceId}/api-groups?name=crash_&limit=500&offset={offset}"));
            var items = page.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.Clone()).ToList();
            groups.AddRange(items);
            if (items.Count < 500)
            {
                break;
            }
        }

        var present = groups.Select(g => g.GetProperty("name").GetString()!).ToHashSet();

        Assert.True(acknowledged.Count >= 60);
        Assert.All(acknowledged, name => Assert.Contains(name, present));

        // Nothing half-made: every recovered group is complete, and only names that were sent exist.
        Assert.All(groups, group =>
        {
            Assert.Matches("^crash_[0-5]_[0-9]+$", group.GetProperty("name").GetString());
            Assert.Equal("written before the crash", group.GetProperty("remark").GetString());
            Assert.EndsWith(".apig.localhost", group.GetProperty("sl_domain").GetString(), StringComparison.Ordinal);
        });

        // The instance's own resources came back too, and the store keeps accepting writes.
        using var envs = JsonDocument.Parse(await after.GetStringAsync($"/v2/{ProjectId}/apigw/instances/{instanceId}/envs"));
        Assert.Equal("RELEASE", envs.RootElement.GetProperty("envs")[0].GetProperty("name").GetString());
        using var more = await after.PostAsync($"/v2/{ProjectId}/apigw/instances/{instanceId}/api-groups",
            new StringContent("""{"name":"after_restart"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, more.StatusCode);
        Assert.Equal(0, await restarted.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_second_server_on_the_same_data_folder_refuses_to_start()
    {
        await using var first = await ServerProcess.StartAsync(Environment);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(Environment, TimeSpan.FromSeconds(30)));
        Assert.Contains("lock", failure.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static HttpClient Client(ServerProcess server)
    {
        var client = new HttpClient { BaseAddress = server.ManagementUri };
        client.DefaultRequestHeaders.Add("X-Auth-Token", "crash-token");
        return client;
    }

    private static async Task<string> InstanceIdAsync(HttpClient client)
    {
        using var instances = JsonDocument.Parse(await client.GetStringAsync($"/v2/{ProjectId}/apigw/instances"));
        return instances.RootElement.GetProperty("instances")[0].GetProperty("id").GetString()!;
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
