using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Hosting.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Hosting.Tests.Authentication;

public sealed class ManagementAuthenticationTests : IAsyncLifetime
{
    private const string Token = "valid-token-0123456789";
    private const string AccessKey = "MGMT-AK";
    private const string SecretKey = "MGMT-SK/secret";
    private const string Host = "mgmt.example.com";
    private const int MaxBodyBytes = 4096;

    private static readonly DateTimeOffset Now = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private int _handlerCalls;

    public sealed record GroupRequest(string Name);

    public async Task InitializeAsync()
    {
        _app = CreateApp(app =>
        {
            var group = app.MapGroup("/v2/{project_id}").RequireManagementAuthentication();
            group.MapGet("/ping", () => Count("pong"));
            group.MapPost("/echo", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                return Count(await reader.ReadToEndAsync());
            });
            group.MapPost("/groups", (GroupRequest body) => Count(body.Name));
            group.MapGet("/items/{name}", (string name) => Count(name));
            app.MapGet("/public", () => "open");
        });
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private string Count(string result)
    {
        Interlocked.Increment(ref _handlerCalls);
        return result;
    }

    private static WebApplication CreateApp(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(new FixedTimeProvider(Now));
        builder.Services.Configure<ManagementAuthenticationOptions>(options =>
        {
            options.Tokens.Add(Token);
            options.AccessKeys[AccessKey] = SecretKey;
            options.MaxSignedBodyBytes = MaxBodyBytes;
        });
        var app = builder.Build();
        map(app);
        return app;
    }

    private static HttpRequestMessage SignedRequest(
        HttpMethod method,
        string pathAndQuery,
        byte[]? body = null,
        DateTimeOffset? signedAt = null,
        string accessKey = AccessKey,
        bool nodejsStyle = false)
    {
        var date = TestSigner.FormatDate(signedAt ?? Now);
        var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Host = Host;
        request.Headers.Add("X-Sdk-Date", date);
        var headers = new List<KeyValuePair<string, string>> { new("X-Sdk-Date", date), new("host", Host) };
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            headers.Add(new("content-type", "application/json"));
        }

        var question = pathAndQuery.IndexOf('?');
        var authorization = TestSigner.Sign(
            method.Method,
            question < 0 ? pathAndQuery : pathAndQuery[..question],
            question < 0 ? "" : pathAndQuery[(question + 1)..],
            headers,
            headers.Select(h => h.Key),
            body ?? [],
            accessKey,
            SecretKey,
            nodejsStyle);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string code, string? message = null)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var properties = json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["error_code", "error_msg"], properties);
        Assert.Equal(code, json.RootElement.GetProperty("error_code").GetString());
        var actualMessage = json.RootElement.GetProperty("error_msg").GetString();
        Assert.False(string.IsNullOrWhiteSpace(actualMessage));
        if (message is not null)
        {
            Assert.Equal(message, actualMessage);
        }
    }

    [Fact]
    public async Task No_credentials_is_token_missing()
    {
        using var response = await _client.GetAsync("/v2/p1/ping");

        await AssertUnauthorizedAsync(response, "APIG.1000", "Token missing. Log in again or try again later.");
        Assert.Equal(0, _handlerCalls);
    }

    [Fact]
    public async Task Other_authorization_scheme_is_token_missing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/p1/ping");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer abc");

        using var response = await _client.SendAsync(request);

        await AssertUnauthorizedAsync(response, "APIG.1000");
    }

    [Fact]
    public async Task Wrong_token_is_rejected()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/p1/ping");
        request.Headers.Add("X-Auth-Token", "valid-token-0123456788");

        using var response = await _client.SendAsync(request);

        await AssertUnauthorizedAsync(response, "APIG.1002", "Incorrect token or token resolution failed.");
        Assert.Equal(0, _handlerCalls);
    }

    [Fact]
    public async Task Empty_token_counts_as_missing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/p1/ping");
        request.Headers.TryAddWithoutValidation("X-Auth-Token", "");

        using var response = await _client.SendAsync(request);

        await AssertUnauthorizedAsync(response, "APIG.1000");
    }

    [Fact]
    public async Task Token_is_compared_exactly()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/p1/ping");
        request.Headers.Add("X-Auth-Token", Token + "0");

        using var response = await _client.SendAsync(request);

        await AssertUnauthorizedAsync(response, "APIG.1002");
    }

    [Fact]
    public async Task Right_token_is_accepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/p1/ping");
        request.Headers.Add("X-Auth-Token", Token);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Wrong_token_is_not_rescued_by_a_valid_signature()
    {
        using var request = SignedRequest(HttpMethod.Get, "/v2/p1/ping");
        request.Headers.Add("X-Auth-Token", "wrong");

        using var response = await _client.SendAsync(request);

        await AssertUnauthorizedAsync(response, "APIG.1002", "Incorrect token or token resolution failed.");
    }

    [Fact]
    public async Task Signed_request_is_accepted_and_the_endpoint_reads_the_whole_body()
    {
        var body = Encoding.UTF8.GetBytes("{\"name\":\"group_1\",\"remark\":\"" + new string('r', 3000) + "\"}");
        using var request = SignedRequest(HttpMethod.Post, "/v2/p1/echo?b=2&a=1", body);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetString(body), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Signed_body_is_verified_before_parameter_binding_reads_it()
    {
        using var request = SignedRequest(HttpMethod.Post, "/v2/p1/groups", "{\"name\":\"group_1\"}"u8.ToArray());

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("group_1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tampered_body_is_rejected()
    {
        using var request = SignedRequest(HttpMethod.Post, "/v2/p1/echo", "{\"name\":\"group_1\"}"u8.ToArray());
        request.Content = new ByteArrayContent("{\"name\":\"group_2\"}"u8.ToArray());
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await _client.SendAsync(request);

        await AssertUnauthorizedAsync(response, "APIG.1002", "Signature mismatch.");
        Assert.Equal(0, _handlerCalls);
    }

    [Fact]
    public async Task Unauthenticated_invalid_json_gets_401_not_a_binding_error()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/p1/groups")
        {
            Content = new StringContent("{not json", Encoding.UTF8, "application/json"),
        };

        using var response = await _client.SendAsync(request);

        await AssertUnauthorizedAsync(response, "APIG.1000");
    }

    [Fact]
    public async Task Tampered_query_is_rejected()
    {
        using var signed = SignedRequest(HttpMethod.Get, "/v2/p1/ping?limit=10");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/p1/ping?limit=11");
        foreach (var header in signed.Headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        using var response = await _client.SendAsync(request);

        await AssertUnauthorizedAsync(response, "APIG.1002", "Signature mismatch.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Escaped_path_is_accepted_in_both_sdk_forms(bool nodejsStyle)
    {
        using var request = SignedRequest(HttpMethod.Get, "/v2/p1/items/a%20b%E4%B8%AD", nodejsStyle: nodejsStyle);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("a b中", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Signature_within_fourteen_minutes_is_accepted()
    {
        using var request = SignedRequest(HttpMethod.Get, "/v2/p1/ping", signedAt: Now.AddMinutes(-14));

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Expired_signature_names_both_times()
    {
        using var request = SignedRequest(HttpMethod.Get, "/v2/p1/ping", signedAt: Now.AddMinutes(-16));

        using var response = await _client.SendAsync(request);

        await AssertUnauthorizedAsync(
            response,
            "APIG.1002",
            "The signature has expired: signature time 20260506T065209Z, server time 20260506T070809Z.");
    }

    [Fact]
    public async Task Unknown_access_key_is_rejected()
    {
        using var request = SignedRequest(HttpMethod.Get, "/v2/p1/ping", accessKey: "OTHER-AK");

        using var response = await _client.SendAsync(request);

        await AssertUnauthorizedAsync(response, "APIG.1002", "Unknown access key.");
    }

    [Fact]
    public async Task Malformed_signature_header_is_rejected()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/p1/ping");
        request.Headers.TryAddWithoutValidation("Authorization", "SDK-HMAC-SHA256 Access=MGMT-AK");

        using var response = await _client.SendAsync(request);

        await AssertUnauthorizedAsync(response, "APIG.1002");
    }

    [Fact]
    public async Task Signed_body_over_the_limit_is_rejected()
    {
        var body = Encoding.UTF8.GetBytes(new string('x', MaxBodyBytes + 1));
        using var request = SignedRequest(HttpMethod.Post, "/v2/p1/echo", body);

        using var response = await _client.SendAsync(request);

        await AssertUnauthorizedAsync(response, "APIG.1002");
        Assert.Equal(0, _handlerCalls);
    }

    [Fact]
    public async Task Endpoints_outside_the_group_are_not_affected()
    {
        using var response = await _client.GetAsync("/public");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Pipeline_middleware_protects_every_request()
    {
        await using var app = CreateApp(app =>
        {
            app.UseManagementAuthentication();
            app.MapPost("/echo", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                return await reader.ReadToEndAsync();
            });
        });
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var anonymous = await client.PostAsync("/echo", new StringContent("x"));
        using var signed = await client.SendAsync(SignedRequest(HttpMethod.Post, "/echo", "hello"u8.ToArray()));

        await AssertUnauthorizedAsync(anonymous, "APIG.1000");
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal("hello", await signed.Content.ReadAsStringAsync());
    }
}
