using System.Net;
using System.Text.Json;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>auth_type IAM over real sockets, with the built-in validator that accepts the management API's credentials.</summary>
public sealed class IamAuthenticationTests
{
    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error_code").GetString()!;
    }

    [Fact]
    public async Task The_configured_token_is_accepted_a_missing_token_gives_0301_and_a_wrong_one_is_refused()
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        var apiId = await host.CreateApiWithAuthAsync(host.DefaultGroupId, "IAM", """
            "name":"iam_api","req_method":"GET","req_uri":"/iam","backend_type":"MOCK","mock_info":{"result_content":"iam ok"}
            """);
        await host.PublishAsync(apiId);
        using var client = host.DataPlaneClient();

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/iam"))
        {
            request.Headers.Add("X-Auth-Token", DataPlaneTestHost.ManagementToken);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("iam ok", await response.Content.ReadAsStringAsync());
        }

        using (var missing = await client.GetAsync("/iam"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
            Assert.Equal("APIG.0301", await ErrorCodeAsync(missing));
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/iam"))
        {
            request.Headers.Add("X-Auth-Token", "not-the-token");
            using var wrong = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("APIG.0301", await ErrorCodeAsync(wrong));
        }

        // An APP signature is no IAM credential.
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseAddress!, "/iam")))
        {
            await DataPlaneTestHost.SignAsync(request, "some_app_key_01", "some_app_secret_01", DateTimeOffset.UtcNow);
            using var signed = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, signed.StatusCode);
            Assert.Equal("APIG.0301", await ErrorCodeAsync(signed));
        }
    }
}
