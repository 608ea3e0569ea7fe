using System.Net;
using System.Text.Json;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>Throttling policies bound to published APIs are enforced by the data plane over real sockets.</summary>
public sealed class ThrottlingTests
{
    private static async Task<string> BindPolicyAsync(DataPlaneTestHost host, string publishId, string policyBody)
    {
        using var policy = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/throttles", policyBody, HttpStatusCode.Created);
        var policyId = policy.RootElement.GetProperty("id").GetString()!;
        using var _ = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/throttle-bindings",
            $$"""{"strategy_id":"{{policyId}}","publish_ids":["{{publishId}}"]}""", HttpStatusCode.Created);
        await host.WaitForDataPlaneAsync();
        return policyId;
    }

    [Fact]
    public async Task A_ten_per_second_policy_answers_429_with_the_documented_body_and_retry_after_beyond_the_limit()
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        var apiId = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"limited","req_method":"GET","req_uri":"/limited","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        var publishId = await host.PublishAsync(apiId);
        await BindPolicyAsync(host, publishId!, """{"name":"ten_per_second","api_call_limits":10,"time_interval":1,"time_unit":"SECOND","type":1}""");

        using var client = host.DataPlaneClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? rejected = null;
        for (var i = 0; i < 15; i++)
        {
            var response = await client.GetAsync("/limited");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && rejected is null)
            {
                rejected = response;
            }
            else
            {
                response.Dispose();
            }
        }

        // The bucket starts full: ten are admitted at once; the refill in the few milliseconds this takes admits at most one more.
        var admitted = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.InRange(admitted, 10, 11);
        Assert.Equal(15 - admitted, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.NotNull(rejected);
        using (rejected)
        {
            var retryAfter = rejected!.Headers.RetryAfter!.Delta!.Value;
            Assert.InRange(retryAfter.TotalSeconds, 1, 1);
            using var body = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync());
            Assert.Equal("APIG.0308", body.RootElement.GetProperty("error_code").GetString());
            Assert.Matches("^[0-9a-f]{32}$", body.RootElement.GetProperty("request_id").GetString());
        }
    }

    [Fact]
    public async Task Per_ip_limits_apply_per_source_address_and_a_shared_policy_counts_all_bound_apis_together()
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        var first = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"shared_a","req_method":"GET","req_uri":"/shared/a","backend_type":"MOCK","mock_info":{"result_content":"a"}
            """);
        var second = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"shared_b","req_method":"GET","req_uri":"/shared/b","backend_type":"MOCK","mock_info":{"result_content":"b"}
            """);
        var firstPublish = await host.PublishAsync(first);
        var secondPublish = await host.PublishAsync(second);
        using var policy = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/throttles",
            """{"name":"shared_minute","api_call_limits":6,"ip_call_limits":4,"time_interval":1,"time_unit":"MINUTE","type":2}""", HttpStatusCode.Created);
        var policyId = policy.RootElement.GetProperty("id").GetString();
        using (var _ = await host.SendJsonAsync(HttpMethod.Post, $"{host.Instance}/throttle-bindings",
            $$"""{"strategy_id":"{{policyId}}","publish_ids":["{{firstPublish}}","{{secondPublish}}"]}""", HttpStatusCode.Created))
        {
        }

        await host.WaitForDataPlaneAsync();
        using var client = host.DataPlaneClient();

        // The IP limit (4 per minute for this address) bites before the shared API limit (6 across both APIs).
        var codes = new List<HttpStatusCode>();
        foreach (var path in new[] { "/shared/a", "/shared/b", "/shared/a", "/shared/b", "/shared/a" })
        {
            using var response = await client.GetAsync(path);
            codes.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);

        // Unbinding takes effect at once: the APIs fall back to the instance default (200/s).
        using var bindings = await host.GetJsonAsync($"{host.Instance}/throttle-bindings/binded-apis?throttle_id={policyId}");
        foreach (var api in bindings.RootElement.GetProperty("apis").EnumerateArray())
        {
            var bindingId = api.GetProperty("throttle_apply_id").GetString();
            using var deleted = await host.SendJsonAsync(HttpMethod.Delete, $"{host.Instance}/throttle-bindings/{bindingId}", "", HttpStatusCode.NoContent);
        }

        await host.WaitForDataPlaneAsync();
        using var afterUnbind = await client.GetAsync("/shared/a");
        Assert.Equal(HttpStatusCode.OK, afterUnbind.StatusCode);
    }
}
