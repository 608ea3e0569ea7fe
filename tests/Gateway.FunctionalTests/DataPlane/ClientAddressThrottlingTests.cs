using System.Net;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>Per-IP limits key on the trusted X-Forwarded-For entry when configured, and refused requests cost no budget.</summary>
public sealed class ClientAddressThrottlingTests
{
    private static async Task<DataPlaneTestHost> StartWithPolicyAsync(bool trustForwardedFor, string policy)
    {
        var host = await DataPlaneTestHost.StartAsync(options => options.TrustForwardedFor = trustForwardedFor);
        var apiId = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"by_ip","req_method":"GET","req_uri":"/by-ip","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        var publishId = await host.PublishAsync(apiId);
        using var created = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/throttles", policy, HttpStatusCode.Created);
        var policyId = created.RootElement.GetProperty("id").GetString();
        using var bound = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/throttle-bindings",
            $$"""{"strategy_id":"{{policyId}}","publish_ids":["{{publishId}}"]}""", HttpStatusCode.Created);
        await host.WaitForDataPlaneAsync();
        return host;
    }

    private static async Task<HttpStatusCode> CallAsync(HttpClient client, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/by-ip");
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_trusted_forwarded_address_gets_its_own_budget_and_refusals_do_not_spend_the_api_budget()
    {
        await using var host = await StartWithPolicyAsync(trustForwardedFor: true,
            """{"name":"per_client","api_call_limits":3,"ip_call_limits":1,"time_interval":1,"time_unit":"MINUTE","type":1}""");
        using var client = host.DataPlaneClient();

        // The last entry is the client by default (xff_index -1).
        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, "192.0.2.50, 10.0.0.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await CallAsync(client, "10.0.0.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await CallAsync(client, "198.51.100.7, 10.0.0.1"));

        // Those two refusals gave their API permits back: two more clients still fit in the API's 3 per minute.
        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, "10.0.0.2"));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, "10.0.0.3"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await CallAsync(client, "10.0.0.4"));
    }

    [Fact]
    public async Task An_untrusted_forwarded_header_cannot_buy_a_new_budget()
    {
        await using var host = await StartWithPolicyAsync(trustForwardedFor: false,
            """{"name":"per_peer","api_call_limits":100,"ip_call_limits":2,"time_interval":1,"time_unit":"MINUTE","type":1}""");
        using var client = host.DataPlaneClient();

        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, "10.0.0.1"));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, "10.0.0.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await CallAsync(client, "10.0.0.3"));
    }
}
