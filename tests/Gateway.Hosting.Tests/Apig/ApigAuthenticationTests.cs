using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Hosting.Authentication;
using Gateway.Hosting.Tests.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Hosting.Tests.Apig;

/// <summary>The APIG surface as mounted by MapApigV2 accepts only a configured token or a valid AK/SK signature.</summary>
public sealed class ApigAuthenticationTests
{
    private const string AccessKey = "HWAKAPIGSURFACE0001";
    private const string SecretKey = "apig/surface+secret=0001";

    private static Task<ApigTestHost> StartAsync() =>
        ApigTestHost.StartAsync(services => services.Configure<ManagementAuthenticationOptions>(o => o.AccessKeys[AccessKey] = SecretKey));

    private static HttpRequestMessage Signed(HttpMethod method, string pathAndQuery, string? body, Func<byte[], byte[]>? tamperBody = null, string? tamperPath = null)
    {
        var date = TestSigner.FormatDate(DateTimeOffset.UtcNow);
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var split = pathAndQuery.IndexOf('?');
        var path = split < 0 ? pathAndQuery : pathAndQuery[..split];
        var query = split < 0 ? "" : pathAndQuery[(split + 1)..];
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", "localhost"),
            new("X-Sdk-Date", date),
        };
        if (body is not null)
        {
            headers.Add(new("Content-Type", "application/json"));
        }

        var authorization = TestSigner.Sign(method.Method, path, query, headers, headers.Select(h => h.Key), bytes, AccessKey, SecretKey);
        var sent = tamperBody is null ? bytes : tamperBody(bytes);
        var request = new HttpRequestMessage(method, tamperPath ?? pathAndQuery);
        request.Headers.TryAddWithoutValidation("X-Sdk-Date", date);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(sent);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        }

        return request;
    }

    [Fact]
    public async Task Signed_calls_are_served_and_unsigned_or_tampered_ones_get_401()
    {
        await using var host = await StartAsync();
        using var client = host.CreateAnonymousClient();

        using var created = await client.SendAsync(Signed(HttpMethod.Post, $"{host.Instance}/api-groups", """{"name":"signed_group"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var listed = await client.SendAsync(Signed(HttpMethod.Get, $"{host.Instance}/api-groups?name=signed&limit=5", null));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        using var listBody = JsonDocument.Parse(await listed.Content.ReadAsStringAsync());
        Assert.Equal(1, listBody.RootElement.GetProperty("total").GetInt32());

        using var tamperedBody = await client.SendAsync(Signed(HttpMethod.Post, $"{host.Instance}/api-groups", """{"name":"signed_group2"}""",
            tamperBody: b => { var copy = (byte[])b.Clone(); copy[^3] = (byte)'3'; return copy; }));
        await AssertErrorAsync(tamperedBody, "APIG.1002");

        using var tamperedQuery = await client.SendAsync(Signed(HttpMethod.Get, $"{host.Instance}/api-groups?name=signed", null,
            tamperPath: $"{host.Instance}/api-groups?name=signee"));
        await AssertErrorAsync(tamperedQuery, "APIG.1002");

        using var unsigned = await client.GetAsync($"{host.Instance}/api-groups");
        await AssertErrorAsync(unsigned, "APIG.1000");

        using var wrongToken = new HttpRequestMessage(HttpMethod.Get, $"{host.Instance}/api-groups");
        wrongToken.Headers.Add("X-Auth-Token", "not-the-token");
        using var wrong = await client.SendAsync(wrongToken);
        await AssertErrorAsync(wrong, "APIG.1002");

        // Nothing was created by the rejected calls.
        using var after = await host.GetAsync($"{host.Instance}/api-groups?name=signed_group2&precise_search=name");
        Assert.Equal(0, after.Json.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Instance_operations_require_credentials_too()
    {
        await using var host = await StartAsync();
        using var client = host.CreateAnonymousClient();
        using var reply = await client.GetAsync($"/v2/{ApigTestHost.ProjectId}/apigw/instances");
        await AssertErrorAsync(reply, "APIG.1000");
        using var signed = await client.SendAsync(Signed(HttpMethod.Get, $"/v2/{ApigTestHost.ProjectId}/apigw/instances", null));
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, string code)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, body.RootElement.GetProperty("error_code").GetString());
    }
}
