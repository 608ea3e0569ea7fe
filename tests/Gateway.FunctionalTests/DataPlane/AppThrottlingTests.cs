using System.Net;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>Per-APP limits count each authenticated APP apart, and a special throttle replaces the limit for one APP.</summary>
public sealed class AppThrottlingTests
{
    private static async Task<HttpStatusCode> CallAsync(HttpClient client, string key, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseAddress!, "/per-app"));
        await DataPlaneTestHost.SignAsync(request, key, secret, DateTimeOffset.UtcNow);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Each_app_has_its_own_budget_and_a_special_throttle_replaces_it_for_one_app()
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        var apiId = await host.CreateApiWithAuthAsync(host.DefaultGroupId, "APP", """
            "name":"per_app","req_method":"GET","req_uri":"/per-app","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        var publishId = await host.PublishAsync(apiId);
        var plain = await host.CreateAppAsync("plain_app", "plain_app_key_01", "plain_app_secret_01");
        var generous = await host.CreateAppAsync("generous_app", "generous_app_key_01", "generous_app_secret_01");
        await host.AuthorizeAsync(plain, apiId);
        await host.AuthorizeAsync(generous, apiId);

        using var policy = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/throttles",
            """{"name":"per_app_minute","api_call_limits":100,"app_call_limits":2,"time_interval":1,"time_unit":"MINUTE","type":1}""", HttpStatusCode.Created);
        var policyId = policy.RootElement.GetProperty("id").GetString();
        using (var _ = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/throttles/{policyId}/throttle-specials",
            $$"""{"call_limits":4,"object_id":"{{generous}}","object_type":"APP"}""", HttpStatusCode.Created))
        {
        }

        using (var _ = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/throttle-bindings",
            $$"""{"strategy_id":"{{policyId}}","publish_ids":["{{publishId}}"]}""", HttpStatusCode.Created))
        {
        }

        await host.WaitForDataPlaneAsync();
        using var client = host.DataPlaneClient();

        var plainCodes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            plainCodes.Add(await CallAsync(client, "plain_app_key_01", "plain_app_secret_01"));
        }

        // The special setting (4 per minute) replaces the per-APP limit (2) for this APP only.
        var generousCodes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            generousCodes.Add(await CallAsync(client, "generous_app_key_01", "generous_app_secret_01"));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], plainCodes);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], generousCodes);
    }
}
