using System.Net;
using System.Text.Json;
using Gateway.Hosting.Tests.Apig;
using Gateway.Hosting.Tests.Apps;

namespace Gateway.Hosting.Tests.Apis;

/// <summary>3.5.8 with authenticated APIs: DEVELOPER mode trusts the owner; CONSUMER mode signs with the given APP credentials.</summary>
public sealed class ApiDebugAuthenticationTests
{
    private const string Key = "debug_app_key_01";
    private const string Secret = "debug_app_secret_01";

    private static string DebugBody(string mode, string path, string? key = null, string? secret = null, string? stage = null, string extra = "")
    {
        var fields = new Dictionary<string, object?> { ["mode"] = mode, ["scheme"] = "HTTPS", ["method"] = "GET", ["path"] = path };
        if (key is not null)
        {
            fields["app_key"] = key;
        }

        if (secret is not null)
        {
            fields["app_secret"] = secret;
        }

        if (stage is not null)
        {
            fields["stage"] = stage;
        }

        var json = JsonSerializer.Serialize(fields);
        return extra.Length == 0 ? json : json[..^1] + "," + extra + "}";
    }

    private static async Task<(string Request, string Response, string Log)> DebugAsync(CredentialHost host, string apiId, string body)
    {
        using var reply = await host.PostAsync($"/apis/debug/{apiId}", body);
        reply.ShouldBe(HttpStatusCode.OK);
        return (reply.Json.GetProperty("request").GetString()!, reply.Json.GetProperty("response").GetString()!, reply.Json.GetProperty("log").GetString()!);
    }

    private static string ErrorCode(string response)
    {
        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("error_code").GetString()!;
    }

    private static async Task<(CredentialHost Host, string ApiId, string AppId)> StartWithAppApiAsync()
    {
        var host = await CredentialHost.StartAsync();
        var appId = await host.CreateAppAsync("debug_app", $$""","app_key":"{{Key}}","app_secret":"{{Secret}}" """);
        var apiId = await host.CreateApiAsync("Api_debug", authType: "APP");
        return (host, apiId, appId);
    }

    [Fact]
    public async Task Debug_in_developer_mode_answers_an_app_api_from_its_mock_without_credentials()
    {
        var (host, apiId, _) = await StartWithAppApiAsync();
        await using var _ = host;

        var (request, response, log) = await DebugAsync(host, apiId, DebugBody("DEVELOPER", "/api_debug"));
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok", response, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization:", request, StringComparison.Ordinal);
        Assert.Contains("DEVELOPER", log, StringComparison.Ordinal);

        // Not published anywhere and not authorized to any APP: DEVELOPER mode still reaches the mock.
        var (_, unauthorized, _) = await DebugAsync(host, apiId, DebugBody("DEVELOPER", "/api_debug", "other_app_key_01", "other_secret_01"));
        Assert.StartsWith("HTTP/1.1 200", unauthorized, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debug_in_consumer_mode_with_the_credentials_of_an_authorized_app_is_signed_and_answers_200()
    {
        var (host, apiId, appId) = await StartWithAppApiAsync();
        await using var _ = host;
        await host.PublishAsync(apiId);
        await host.AuthorizeAsync(CredentialHost.Release, [appId], [apiId]);

        var (request, response, log) = await DebugAsync(host, apiId, DebugBody("CONSUMER", "/api_debug", Key, Secret, "RELEASE", "\"query\":{\"b\":[\"2\"],\"a\":[\"x y\"]}"));
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok", response, StringComparison.Ordinal);
        Assert.Contains($"Authorization: SDK-HMAC-SHA256 Access={Key}, SignedHeaders=host;x-sdk-date, Signature=", request, StringComparison.Ordinal);
        Assert.Matches(@"X-Sdk-Date: \d{8}T\d{6}Z\r\n", request);
        Assert.DoesNotContain(Secret, request, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debug_in_consumer_mode_with_a_wrong_secret_or_no_credentials_reports_the_gateways_401()
    {
        var (host, apiId, appId) = await StartWithAppApiAsync();
        await using var _ = host;
        await host.PublishAsync(apiId);
        await host.AuthorizeAsync(CredentialHost.Release, [appId], [apiId]);

        var (_, wrong, _) = await DebugAsync(host, apiId, DebugBody("CONSUMER", "/api_debug", Key, "not_the_secret_01"));
        Assert.StartsWith("HTTP/1.1 401", wrong, StringComparison.Ordinal);
        Assert.Equal("APIG.0303", ErrorCode(wrong));

        var (unsignedRequest, unsigned, log) = await DebugAsync(host, apiId, DebugBody("CONSUMER", "/api_debug"));
        Assert.DoesNotContain("Authorization:", unsignedRequest, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 401", unsigned, StringComparison.Ordinal);
        Assert.Equal("APIG.0303", ErrorCode(unsigned));
        Assert.Contains("unsigned", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debug_in_consumer_mode_with_an_app_not_authorized_in_the_stage_reports_401_APIG_0304()
    {
        var (host, apiId, appId) = await StartWithAppApiAsync();
        await using var _ = host;
        var test = await host.CreateEnvironmentAsync("TEST_env");
        await host.PublishAsync(apiId);
        await host.PublishAsync(apiId, test);

        // Valid credentials, but no authorization at all.
        var (_, none, _) = await DebugAsync(host, apiId, DebugBody("CONSUMER", "/api_debug", Key, Secret));
        Assert.StartsWith("HTTP/1.1 401", none, StringComparison.Ordinal);
        Assert.Equal("APIG.0304", ErrorCode(none));

        // Authorized in TEST only: RELEASE still refuses, TEST answers.
        await host.AuthorizeAsync(test, [appId], [apiId]);
        var (_, release, _) = await DebugAsync(host, apiId, DebugBody("CONSUMER", "/api_debug", Key, Secret, "RELEASE"));
        Assert.Equal("APIG.0304", ErrorCode(release));
        var (testRequest, inTest, _) = await DebugAsync(host, apiId, DebugBody("CONSUMER", "/api_debug", Key, Secret, "TEST_env"));
        Assert.Contains("X-Stage: TEST_env", testRequest, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", inTest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debug_of_an_iam_api_needs_no_credential_from_the_owner_and_forwards_none_in_consumer_mode()
    {
        await using var host = await CredentialHost.StartAsync();
        var apiId = await host.CreateApiAsync("Api_iam", authType: "IAM");
        var (_, developer, _) = await DebugAsync(host, apiId, DebugBody("DEVELOPER", "/api_iam"));
        Assert.StartsWith("HTTP/1.1 200", developer, StringComparison.Ordinal);

        await host.PublishAsync(apiId);
        var (request, consumer, log) = await DebugAsync(host, apiId, DebugBody("CONSUMER", "/api_iam"));
        Assert.DoesNotContain(ApigTestHost.Token, request, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Auth-Token", request, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 401", consumer, StringComparison.Ordinal);
        Assert.Equal("APIG.0301", ErrorCode(consumer));
        Assert.Contains("IAM", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"app_key\":\"debug_app_key_01\"", "APIG.2001", "app_secret")]
    [InlineData("\"app_secret\":\"debug_app_secret_01\"", "APIG.2001", "app_key")]
    [InlineData("\"app_key\":\"bad key\\r\\nX-Injected: 1\",\"app_secret\":\"debug_app_secret_01\"", "APIG.2011", "app_key")]
    [InlineData("\"app_key\":\"debug_app_key_01\",\"app_secret\":\"short\"", "APIG.2011", "app_secret")]
    [InlineData("\"domain\":\"example.com\\r\\nX-Injected: 1\"", "APIG.2011", "domain")]
    public async Task Debug_requests_with_bad_credentials_or_domain_get_the_documented_errors(string fields, string code, string parameter)
    {
        var (host, apiId, _) = await StartWithAppApiAsync();
        await using var _ = host;
        using var reply = await host.PostAsync($"/apis/debug/{apiId}", DebugBody("CONSUMER", "/api_debug", extra: fields));
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }
}
