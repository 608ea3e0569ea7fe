using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>
/// Backend signing over real sockets: a Kestrel backend checks every request it gets with a verifier written here
/// from the documented wire formats (not with the gateway's code), the way a provider's backend would.
/// </summary>
public sealed class BackendSigningTests
{
    private const string HmacKey = "hmacKey_0001";
    private const string HmacSecret = "hmacSecret-0001!@#";
    private const string BasicKey = "gatewayUser";
    private const string BasicSecret = "p@ss-w0rd_99";
    private const string AesKey = "aesKey0123456789";
    private const string AesIv = "aesIv+/=01234567";

    [Theory]
    [InlineData("hmac")]
    [InlineData("basic")]
    [InlineData("aes")]
    public async Task The_backend_verifies_the_signature_of_the_bound_key_and_a_wrong_secret_fails_it(string type)
    {
        await using var backend = await VerifyingBackend.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var apiId = await host.CreateApiAsync(host.DefaultGroupId, $$"""
            "name":"signed_{{type}}","req_method":"ANY","req_uri":"/signed/{id}","backend_type":"HTTP",
            "req_params":[{"name":"id","location":"PATH","type":"STRING","required":1}],
            "backend_params":[{"name":"id","location":"PATH","origin":"REQUEST","value":"id"},
                              {"name":"added","location":"QUERY","origin":"CONSTANT","value":"v w"}],
            "backend_api":{"url_domain":"{{backend.Address}}","req_protocol":"HTTP","req_method":"ANY","req_uri":"/verify/{{type}}/{id}","timeout":5000}
            """);
        var publishId = await host.PublishAsync(apiId);
        var body = type switch
        {
            "hmac" => $$"""{"name":"hmac_key","sign_type":"hmac","sign_key":"{{HmacKey}}","sign_secret":"{{HmacSecret}}"}""",
            "basic" => $$"""{"name":"basic_key","sign_type":"basic","sign_key":"{{BasicKey}}","sign_secret":"{{BasicSecret}}"}""",
            _ => $$"""{"name":"aes_key","sign_type":"aes","sign_algorithm":"aes-128-cfb","sign_key":"{{AesKey}}","sign_secret":"{{AesIv}}"}""",
        };
        var signId = await host.CreateSignatureKeyAsync(body);
        await host.BindSignatureKeyAsync(signId, publishId!);
        using var client = host.DataPlaneClient();

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
        {
            using var request = new HttpRequestMessage(method, "/signed/x%20y~z?b=2&a=1&a=0&sp=a%20b+c&empty");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer from-the-client");
            request.Headers.TryAddWithoutValidation("X-Sdk-Date", "20000101T000000Z");
            if (method == HttpMethod.Post)
            {
                request.Content = new StringContent("{\"n\":1}", Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            using var result = JsonDocument.Parse(text);
            Assert.True(result.RootElement.GetProperty("verified").GetBoolean(), $"{method}: {text}");
            Assert.False(result.RootElement.GetProperty("verified_with_wrong_secret").GetBoolean(), text);
            Assert.Equal(1, result.RootElement.GetProperty("authorization_headers").GetInt32());
            Assert.Equal(type == "basic" ? 0 : 1, result.RootElement.GetProperty("date_headers").GetInt32());
        }
    }

    [Fact]
    public async Task An_api_without_a_bound_key_is_forwarded_unsigned_with_the_clients_authorization()
    {
        await using var backend = await VerifyingBackend.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var apiId = await host.CreateApiAsync(host.DefaultGroupId, $$"""
            "name":"unsigned","req_method":"GET","req_uri":"/unsigned","backend_type":"HTTP",
            "backend_api":{"url_domain":"{{backend.Address}}","req_protocol":"HTTP","req_method":"GET","req_uri":"/verify/hmac/u","timeout":5000}
            """);
        await host.PublishAsync(apiId);
        using var client = host.DataPlaneClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/unsigned");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer from-the-client");
        using var response = await client.SendAsync(request);
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(result.RootElement.GetProperty("verified").GetBoolean());
        Assert.Equal("Bearer from-the-client", result.RootElement.GetProperty("authorization").GetString());
    }

    /// <summary>A backend that verifies the gateway's signature (routes <c>/verify/{type}/…</c>).</summary>
    private sealed class VerifyingBackend : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private VerifyingBackend(WebApplication app, string address)
        {
            _app = app;
            Address = address;
        }

        public string Address { get; }

        public static async Task<VerifyingBackend> StartAsync()
        {
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.Map("/verify/{type}/{**rest}", async (HttpContext context, string type) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
                var headers = context.Request.Headers;
                var authorization = headers.Authorization.ToString();
                bool Verify(string secret) => type switch
                {
                    "hmac" => ReferenceVerifier.VerifyHmac(context.Request.Method, rawTarget, headers, body, HmacKey, secret),
                    "basic" => ReferenceVerifier.VerifyBasic(authorization, BasicKey, secret),
                    _ => ReferenceVerifier.VerifyAes(context.Request.Method, rawTarget, headers, body, AesKey, secret),
                };
                var wrong = type == "aes" ? "wrongIv012345678" : "wrong-secret-0001";
                await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
                {
                    ["verified"] = Verify(type switch { "hmac" => HmacSecret, "basic" => BasicSecret, _ => AesIv }),
                    ["verified_with_wrong_secret"] = Verify(wrong),
                    ["authorization"] = authorization,
                    ["authorization_headers"] = headers.Authorization.Count,
                    ["date_headers"] = headers["X-Sdk-Date"].Count,
                });
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new VerifyingBackend(app, new Uri(address).Authority);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <summary>
/// An independent reading of the documented backend-signature formats, written with strings and the framework's URI
/// helpers: what a provider would write on its backend (compare the gateway's byte-level code in BackendSigner).
/// </summary>
internal static class ReferenceVerifier
{
    private static readonly Regex HmacHeader = new(@"^SDK-HMAC-SHA256\s+Access=([^,]+),\s?SignedHeaders=([^,]+),\s?Signature=(\w+)$");
    private static readonly Regex AesHeader = new(@"^(SDK-AES-(?:128|256)-CFB)\s+SignedHeaders=([^,]+),\s?Signature=([0-9a-f]+)$");

    public static bool VerifyHmac(string method, string rawTarget, IHeaderDictionary headers, string body, string key, string secret)
    {
        var match = HmacHeader.Match(headers.Authorization.ToString());
        if (!match.Success || match.Groups[1].Value != key || !DateIsFresh(headers))
        {
            return false;
        }

        var stringToSign = StringToSign("SDK-HMAC-SHA256", method, rawTarget, headers, body, match.Groups[2].Value);
        if (stringToSign is null)
        {
            return false;
        }

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var expected = Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(match.Groups[3].Value));
    }

    public static bool VerifyBasic(string authorization, string user, string password)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..]));
        var colon = decoded.IndexOf(':');
        return colon > 0 && decoded[..colon] == user && decoded[(colon + 1)..] == password;
    }

    public static bool VerifyAes(string method, string rawTarget, IHeaderDictionary headers, string body, string key, string iv)
    {
        var match = AesHeader.Match(headers.Authorization.ToString());
        if (!match.Success || !DateIsFresh(headers))
        {
            return false;
        }

        var algorithm = match.Groups[1].Value;
        var stringToSign = StringToSign(algorithm, method, rawTarget, headers, body, match.Groups[2].Value);
        if (stringToSign is null)
        {
            return false;
        }

        var expected = Convert.ToHexStringLower(CfbEncrypt(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(iv), Encoding.UTF8.GetBytes(stringToSign)));
        return expected == match.Groups[3].Value;
    }

    /// <summary>AES-CFB with 128-bit segments as a stream (OpenSSL's aes-128-cfb): built here from single-block encryption.</summary>
    public static byte[] CfbEncrypt(byte[] key, byte[] iv, byte[] plaintext)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        var output = new byte[plaintext.Length];
        var feedback = (byte[])iv.Clone();
        for (var offset = 0; offset < plaintext.Length; offset += 16)
        {
            var keystream = aes.EncryptEcb(feedback, PaddingMode.None);
            var count = Math.Min(16, plaintext.Length - offset);
            for (var i = 0; i < count; i++)
            {
                output[offset + i] = (byte)(plaintext[offset + i] ^ keystream[i]);
            }

            if (count == 16)
            {
                feedback = output[offset..(offset + 16)];
            }
        }

        return output;
    }

    private static bool DateIsFresh(IHeaderDictionary headers) =>
        DateTime.TryParseExact(headers["X-Sdk-Date"].ToString(), "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var date) &&
        Math.Abs((DateTime.UtcNow - date).TotalMinutes) <= 15;

    private static string? StringToSign(string algorithm, string method, string rawTarget, IHeaderDictionary headers, string body, string signedHeaders)
    {
        var question = rawTarget.IndexOf('?');
        var path = question < 0 ? rawTarget : rawTarget[..question];
        var query = question < 0 ? "" : rawTarget[(question + 1)..];

        var uri = string.Join('/', Uri.UnescapeDataString(path).Split('/').Select(Uri.EscapeDataString));
        if (!uri.EndsWith('/'))
        {
            uri += "/";
        }

        var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Key: Uri.UnescapeDataString(parts[0]), Value: parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : ""))
            .Where(pair => pair.Key.Length > 0)
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ThenBy(pair => pair.Value, StringComparer.Ordinal)
            .Select(pair => $"{Uri.EscapeDataString(pair.Key)}={Uri.EscapeDataString(pair.Value)}");
        var canonicalQuery = string.Join('&', pairs);

        var canonicalHeaders = new StringBuilder();
        foreach (var name in signedHeaders.Split(';'))
        {
            if (!headers.TryGetValue(name, out var value))
            {
                return null; // a signed header that is not there
            }

            canonicalHeaders.Append(name).Append(':').Append(value.ToString().Trim()).Append('\n');
        }

        var payloadHash = headers.TryGetValue("X-Sdk-Content-Sha256", out var declared)
            ? declared.ToString()
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var canonical = string.Join('\n', method, uri, canonicalQuery, canonicalHeaders.ToString(), signedHeaders, payloadHash);
        return $"{algorithm}\n{headers["X-Sdk-Date"]}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
    }
}
