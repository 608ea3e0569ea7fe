using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Gateway.FunctionalTests.Server;

public sealed class SampleServerTests : IDisposable
{
    private const string ProjectId = "0123456789abcdef0123456789abcdef";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "gateway-ft-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Starts_with_a_default_instance_serves_the_management_api_and_stops_gracefully_on_sigterm()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["GATEWAY_ADMIN_TOKEN"] = "ft-token",
            ["GATEWAY_DATA_DIR"] = _dataDirectory,
        });
        using var client = new HttpClient { BaseAddress = server.ManagementUri };

        using var anonymous = await client.GetAsync($"/v2/{ProjectId}/apigw/instances");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        client.DefaultRequestHeaders.Add("X-Auth-Token", "ft-token");
        using var instances = JsonDocument.Parse(await client.GetStringAsync($"/v2/{ProjectId}/apigw/instances"));
        var instanceId = instances.RootElement.GetProperty("instances")[0].GetProperty("id").GetString();
        Assert.Equal("Running", instances.RootElement.GetProperty("instances")[0].GetProperty("status").GetString());

        using var created = await client.PostAsync($"/v2/{ProjectId}/apigw/instances/{instanceId}/api-groups",
            new StringContent("""{"name":"functional_group"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var exitCode = await server.TerminateAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, exitCode);
        Assert.Contains("Application is shutting down", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_configured_token_one_is_generated_and_printed_once()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["GATEWAY_DATA_DIR"] = _dataDirectory });
        var line = await server.WaitForLineAsync("Generated admin token (X-Auth-Token): ", TimeSpan.FromSeconds(30));
        var token = line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..].Trim();
        Assert.Matches("^[0-9a-f]{48}$", token);

        using var client = new HttpClient { BaseAddress = server.ManagementUri };
        client.DefaultRequestHeaders.Add("X-Auth-Token", token);
        using var reply = await client.GetAsync($"/v2/{ProjectId}/apigw/instances");
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var body = await reply.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("total").GetInt32());
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
