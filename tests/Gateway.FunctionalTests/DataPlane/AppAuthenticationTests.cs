using System.Net;
using System.Text;
using System.Text.Json;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>auth_type APP over real sockets: SDK-HMAC-SHA256 signatures, AppCodes, app authorization and the app's IP ACL.</summary>
public sealed class AppAuthenticationTests
{
    private const string AppKey = "appkey_functional_01";
    private const string AppSecret = "appsecret_functional_01";

    private static async Task<(string ApiId, string AppId)> PublishAppApiAsync(DataPlaneTestHost host, string fields, bool authorize = true, string? appCode = null)
    {
        var apiId = await host.CreateApiWithAuthAsync(host.DefaultGroupId, "APP", fields, appCode);
        await host.PublishAsync(apiId);
        var appId = await host.CreateAppAsync("functional_app", AppKey, AppSecret);
        if (authorize)
        {
            await host.AuthorizeAsync(appId, apiId);
        }
        else
        {
            await host.WaitForDataPlaneAsync(); // the app must be known to the data plane, or the answer is 0303, not 0304
        }

        return (apiId, appId);
    }

    private static async Task<HttpResponseMessage> SendSignedAsync(
        HttpClient client, HttpMethod method, string path, string? body = null, string secret = AppSecret, DateTimeOffset? date = null, string key = AppKey)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        request.RequestUri = new Uri(client.BaseAddress!, path);
        await DataPlaneTestHost.SignAsync(request, key, secret, date ?? DateTimeOffset.UtcNow);
        return await client.SendAsync(request);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        using var body = JsonDocument.Parse(text);
        Assert.Equal(code, body.RootElement.GetProperty("error_code").GetString());
        Assert.DoesNotContain(AppSecret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_call_of_an_authorized_app_reaches_the_backend_with_its_body_and_app_id()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var (_, appId) = await PublishAppApiAsync(host, $$"""
            "name":"signed_orders","req_method":"ANY","req_uri":"/signed/orders","backend_type":"HTTP",
            "backend_params":[{"name":"X-App-Id","location":"HEADER","origin":"SYSTEM","value":"$context.appId"}],
            "backend_api":{"url_domain":"{{backend.Address}}","req_protocol":"HTTP","req_method":"ANY","req_uri":"/echo","timeout":5000}
            """);
        using var client = host.DataPlaneClient();

        // Twice on one keep-alive connection: the buffered body and the caller are per request.
        for (var i = 0; i < 2; i++)
        {
            var sent = $$"""{"order":{{i}},"note":"signed body"}""";
            using var response = await SendSignedAsync(client, HttpMethod.Post, "/signed/orders?b=2&a=1", sent);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            using var echo = JsonDocument.Parse(text);
            Assert.Equal(sent, echo.RootElement.GetProperty("body").GetString());
            Assert.Equal(appId, echo.RootElement.GetProperty("headers").GetProperty("X-App-Id").GetString());
        }

        using var get = await SendSignedAsync(client, HttpMethod.Get, "/signed/orders");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task A_wrong_secret_a_tampered_body_a_missing_signature_and_an_unknown_key_are_refused_with_401()
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        await PublishAppApiAsync(host, """
            "name":"signed_mock","req_method":"ANY","req_uri":"/signed/mock","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        using var client = host.DataPlaneClient();

        using (var ok = await SendSignedAsync(client, HttpMethod.Get, "/signed/mock"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var wrongSecret = await SendSignedAsync(client, HttpMethod.Get, "/signed/mock", secret: "not_the_secret_1"))
        {
            await AssertErrorAsync(wrongSecret, HttpStatusCode.Unauthorized, "APIG.0303");
        }

        using (var unknownKey = await SendSignedAsync(client, HttpMethod.Get, "/signed/mock", key: "unknown_key_0001"))
        {
            await AssertErrorAsync(unknownKey, HttpStatusCode.Unauthorized, "APIG.0303");
        }

        using (var unsigned = await client.GetAsync("/signed/mock"))
        {
            await AssertErrorAsync(unsigned, HttpStatusCode.Unauthorized, "APIG.0303");
        }

        using var tampered = new HttpRequestMessage(HttpMethod.Post, new Uri(client.BaseAddress!, "/signed/mock"))
        {
            Content = new ByteArrayContent("{\"a\":1}"u8.ToArray()),
        };
        tampered.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        await DataPlaneTestHost.SignAsync(tampered, AppKey, AppSecret, DateTimeOffset.UtcNow);
        tampered.Content = new ByteArrayContent("{\"a\":2}"u8.ToArray());
        tampered.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var tamperedResponse = await client.SendAsync(tampered);
        await AssertErrorAsync(tamperedResponse, HttpStatusCode.Unauthorized, "APIG.0303");
    }

    [Fact]
    public async Task An_expired_signature_is_refused_with_the_signing_and_server_time()
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        await PublishAppApiAsync(host, """
            "name":"expiring","req_method":"GET","req_uri":"/expiring","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        using var client = host.DataPlaneClient();

        var signedAt = DateTimeOffset.UtcNow.AddMinutes(-20);
        using var response = await SendSignedAsync(client, HttpMethod.Get, "/expiring", date: signedAt);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "APIG.0303");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = body.RootElement.GetProperty("error_msg").GetString()!;
        Assert.Contains($"signature expired, signature time:{signedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'},server time:", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_not_authorized_for_the_api_is_refused_with_401_unauthorized()
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        await PublishAppApiAsync(host, """
            "name":"not_granted","req_method":"GET","req_uri":"/not-granted","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """, authorize: false);
        using var client = host.DataPlaneClient();

        using var response = await SendSignedAsync(client, HttpMethod.Get, "/not-granted");

        // apig.md 4.4: UNAUTHORIZED (401) when the API is not authorized to the APP in the environment.
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "APIG.0304");
    }

    [Fact]
    public async Task An_app_code_authenticates_only_where_the_api_accepts_app_codes_in_a_header()
    {
        const string Code = "Qm9vbGVhbkZ1bmN0aW9uYWxBcHBDb2RlVmFsdWVGb3JUZXN0aW5nQXV0aGVudGljYXRpb24=";
        await using var host = await DataPlaneTestHost.StartAsync();
        var (_, appId) = await PublishAppApiAsync(host, """
            "name":"coded","req_method":"GET","req_uri":"/coded","backend_type":"MOCK","mock_info":{"result_content":"by code"}
            """, appCode: "HEADER");
        await host.AddAppCodeAsync(appId, Code);
        var plainApi = await host.CreateApiWithAuthAsync(host.DefaultGroupId, "APP", """
            "name":"uncoded","req_method":"GET","req_uri":"/uncoded","backend_type":"MOCK","mock_info":{"result_content":"x"}
            """);
        await host.PublishAsync(plainApi);
        await host.AuthorizeAsync(appId, plainApi);
        using var client = host.DataPlaneClient();

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/coded"))
        {
            request.Headers.Add("X-Apig-AppCode", Code);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("by code", await response.Content.ReadAsStringAsync());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/coded"))
        {
            request.Headers.Add("X-Apig-AppCode", Code[..^2] + "x=");
            using var response = await client.SendAsync(request);
            await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "APIG.0303");
            Assert.DoesNotContain(Code[..20], await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/uncoded"))
        {
            request.Headers.Add("X-Apig-AppCode", Code);
            using var response = await client.SendAsync(request);
            await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "APIG.0303");
        }
    }

    [Fact]
    public async Task The_apps_own_ip_acl_decides_which_source_addresses_may_use_its_credentials()
    {
        await using var host = await DataPlaneTestHost.StartAsync(options => options.TrustForwardedFor = true);
        var (_, appId) = await PublishAppApiAsync(host, """
            "name":"app_acl","req_method":"GET","req_uri":"/app-acl","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        await host.SetAppAclAsync(appId, "PERMIT", "10.1.0.0/16", "192.168.0.5-192.168.0.10");
        using var client = host.DataPlaneClient();

        async Task<HttpResponseMessage> FromAsync(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseAddress!, "/app-acl"));
            request.Headers.Add("X-Forwarded-For", address);
            await DataPlaneTestHost.SignAsync(request, AppKey, AppSecret, DateTimeOffset.UtcNow);
            return await client.SendAsync(request);
        }

        using (var inside = await FromAsync("10.1.200.3"))
        {
            Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
        }

        using (var inRange = await FromAsync("192.168.0.7"))
        {
            Assert.Equal(HttpStatusCode.OK, inRange.StatusCode);
        }

        using (var outside = await FromAsync("10.2.0.1"))
        {
            await AssertErrorAsync(outside, HttpStatusCode.Forbidden, "APIG.0405");
        }

        await host.SetAppAclAsync(appId, "DENY", "10.1.200.3");
        using (var denied = await FromAsync("10.1.200.3"))
        {
            await AssertErrorAsync(denied, HttpStatusCode.Forbidden, "APIG.0405");
        }

        using var other = await FromAsync("10.2.0.1");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
