using System.Net;
using System.Text.Json;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>Failures are answered with the group's gateway responses as configured through 3.19.</summary>
public sealed class GatewayResponseTests
{
    [Fact]
    public async Task A_customized_response_type_changes_status_body_and_headers_of_that_failure_only()
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        using var list = await host.GetJsonAsync($"{host.Instance}/api-groups/{groupId}/gateway-responses");
        var responseId = list.RootElement.GetProperty("responses")[0].GetProperty("id").GetString();
        using (var _ = await host.SendJsonAsync(HttpMethod.Put, $"{host.Instance}/api-groups/{groupId}/gateway-responses/{responseId}/NOT_FOUND",
            """{"status":410,"body":"{\"code\":\"$context.error.code\",\"why\":\"custom\",\"rid\":\"$context.requestId\"}","headers":[{"key":"X-Custom","value":"yes"}]}""",
            HttpStatusCode.OK))
        {
        }

        var apiId = await host.CreateApiAsync(groupId, """
            "name":"needs_param","req_method":"GET","req_uri":"/needs","backend_type":"MOCK","mock_info":{"result_content":"ok"},
            "req_params":[{"name":"q","location":"QUERY","type":"STRING","required":1}]
            """);
        await host.PublishAsync(apiId);
        using var client = host.DataPlaneClient(host.SubDomain(groupId));

        using var notFound = await client.GetAsync("/nowhere");
        Assert.Equal(HttpStatusCode.Gone, notFound.StatusCode);
        Assert.Equal("yes", notFound.Headers.GetValues("X-Custom").Single());
        using (var body = JsonDocument.Parse(await notFound.Content.ReadAsStringAsync()))
        {
            Assert.Equal("APIG.0101", body.RootElement.GetProperty("code").GetString());
            Assert.Equal("custom", body.RootElement.GetProperty("why").GetString());
            Assert.Equal(notFound.Headers.GetValues("X-Request-Id").Single(), body.RootElement.GetProperty("rid").GetString());
        }

        // Other types keep their documented defaults.
        using var badParameters = await client.GetAsync("/needs");
        Assert.Equal(HttpStatusCode.BadRequest, badParameters.StatusCode);
        Assert.False(badParameters.Headers.Contains("X-Custom"));
        using (var body = JsonDocument.Parse(await badParameters.Content.ReadAsStringAsync()))
        {
            Assert.Equal("APIG.0201", body.RootElement.GetProperty("error_code").GetString());
        }

        // Another group (here the DEFAULT one, reached without a known host) is not affected.
        using var other = host.DataPlaneClient();
        using var defaultNotFound = await other.GetAsync("/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, defaultNotFound.StatusCode);
    }
}
