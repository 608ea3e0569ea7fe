using System.Net;
using System.Text.Json;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>auth_type IAM over real sockets, with the built-in validator that accepts the management API's credentials.</summary>
public sealed class IamAuthenticationTests
{
    private const string AccessKey = "IAMTESTACCESSKEY0001";
    private const string SecretKey = "iam-test-secret-key-0001";

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

    private static async Task<HttpResponseMessage> SendSignedAsync(HttpClient client, HttpMethod method, string path, string key, string secret,
        DateTimeOffset? date = null, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(client.BaseAddress!, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        await DataPlaneTestHost.SignAsync(request, key, secret, date ?? DateTimeOffset.UtcNow);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_request_signed_with_the_configured_ak_sk_is_accepted_and_a_wrong_sk_unknown_ak_or_stale_date_gives_0301()
    {
        await using var host = await DataPlaneTestHost.StartWithAccessKeyAsync(AccessKey, SecretKey);
        var getApi = await host.CreateApiWithAuthAsync(host.DefaultGroupId, "IAM", """
            "name":"iam_aksk","req_method":"GET","req_uri":"/iam/aksk","backend_type":"MOCK","mock_info":{"result_content":"aksk ok"}
            """);
        var postApi = await host.CreateApiWithAuthAsync(host.DefaultGroupId, "IAM", """
            "name":"iam_aksk_post","req_method":"POST","req_uri":"/iam/aksk/post","backend_type":"MOCK","mock_info":{"result_content":"posted"}
            """);
        await host.PublishAsync(getApi);
        await host.PublishAsync(postApi);
        using var client = host.DataPlaneClient();

        using (var signed = await SendSignedAsync(client, HttpMethod.Get, "/iam/aksk?b=2&a=1", AccessKey, SecretKey))
        {
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
            Assert.Equal("aksk ok", await signed.Content.ReadAsStringAsync());
        }

        // The body is covered by the signature.
        using (var posted = await SendSignedAsync(client, HttpMethod.Post, "/iam/aksk/post", AccessKey, SecretKey, body: """{"n":1}"""))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            Assert.Equal("posted", await posted.Content.ReadAsStringAsync());
        }

        using (var wrongSecret = await SendSignedAsync(client, HttpMethod.Get, "/iam/aksk", AccessKey, "not-the-secret-key-0001"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
            Assert.Equal("APIG.0301", await ErrorCodeAsync(wrongSecret));
        }

        using (var unknownKey = await SendSignedAsync(client, HttpMethod.Get, "/iam/aksk", "IAMUNKNOWNACCESSKEY1", SecretKey))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unknownKey.StatusCode);
            Assert.Equal("APIG.0301", await ErrorCodeAsync(unknownKey));
        }

        using (var stale = await SendSignedAsync(client, HttpMethod.Get, "/iam/aksk", AccessKey, SecretKey, DateTimeOffset.UtcNow.AddMinutes(-20)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
            Assert.Equal("APIG.0301", await ErrorCodeAsync(stale));
        }

        // A body changed after signing no longer matches.
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(client.BaseAddress!, "/iam/aksk/post")))
        {
            request.Content = new StringContent("""{"n":1}""", System.Text.Encoding.UTF8, "application/json");
            await DataPlaneTestHost.SignAsync(request, AccessKey, SecretKey, DateTimeOffset.UtcNow);
            request.Content = new StringContent("""{"n":2}""", System.Text.Encoding.UTF8, "application/json");
            using var tampered = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
            Assert.Equal("APIG.0301", await ErrorCodeAsync(tampered));
        }
    }

    [Fact]
    public async Task An_app_key_signature_is_no_iam_credential_even_for_an_app_authorized_to_the_api()
    {
        await using var host = await DataPlaneTestHost.StartWithAccessKeyAsync(AccessKey, SecretKey);
        var apiId = await host.CreateApiWithAuthAsync(host.DefaultGroupId, "IAM", """
            "name":"iam_only","req_method":"GET","req_uri":"/iam/only","backend_type":"MOCK","mock_info":{"result_content":"iam only"}
            """);
        await host.PublishAsync(apiId);
        var appId = await host.CreateAppAsync("iam_app", "iam_app_key_0001", "iam_app_secret_0001");
        await host.AuthorizeAsync(appId, apiId);
        using var client = host.DataPlaneClient();

        using (var appSigned = await SendSignedAsync(client, HttpMethod.Get, "/iam/only", "iam_app_key_0001", "iam_app_secret_0001"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, appSigned.StatusCode);
            Assert.Equal("APIG.0301", await ErrorCodeAsync(appSigned));
        }

        using var iamSigned = await SendSignedAsync(client, HttpMethod.Get, "/iam/only", AccessKey, SecretKey);
        Assert.Equal(HttpStatusCode.OK, iamSigned.StatusCode);
    }

    [Fact]
    public async Task A_domain_id_acl_applies_to_the_account_of_an_ak_sk_caller()
    {
        await using var host = await DataPlaneTestHost.StartWithAccessKeyAsync(AccessKey, SecretKey, options =>
        {
            options.IamAccountName = "tenant_gamma";
            options.IamAccountId = "acc0042";
        });
        var permitted = await host.CreateApiWithAuthAsync(host.DefaultGroupId, "IAM", """
            "name":"iam_acl_permit","req_method":"GET","req_uri":"/iam/acl/permit","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        var other = await host.CreateApiWithAuthAsync(host.DefaultGroupId, "IAM", """
            "name":"iam_acl_other","req_method":"GET","req_uri":"/iam/acl/other","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        var denied = await host.CreateApiWithAuthAsync(host.DefaultGroupId, "IAM", """
            "name":"iam_acl_deny","req_method":"GET","req_uri":"/iam/acl/deny","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        await host.BindAclAsync((await host.PublishAsync(permitted))!, "permit_gamma", "PERMIT", "DOMAIN_ID", "acc0001,acc0042");
        await host.BindAclAsync((await host.PublishAsync(other))!, "permit_others", "PERMIT", "DOMAIN_ID", "acc0001,acc0002");
        await host.BindAclAsync((await host.PublishAsync(denied))!, "deny_gamma", "DENY", "DOMAIN_ID", "acc0042");
        using var client = host.DataPlaneClient();

        using (var ok = await SendSignedAsync(client, HttpMethod.Get, "/iam/acl/permit", AccessKey, SecretKey))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        foreach (var path in new[] { "/iam/acl/other", "/iam/acl/deny" })
        {
            using var refused = await SendSignedAsync(client, HttpMethod.Get, path, AccessKey, SecretKey);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("APIG.0306", await ErrorCodeAsync(refused));
        }

        // A wrong signature is refused before the ACL is consulted.
        using var wrong = await SendSignedAsync(client, HttpMethod.Get, "/iam/acl/permit", AccessKey, "not-the-secret-key-0001");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("APIG.0301", await ErrorCodeAsync(wrong));
    }
}
