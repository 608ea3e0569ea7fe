using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.DataPlane.Signing;

namespace Gateway.Net.Tests.DataPlane;

/// <summary>The gateway's byte-level signer against a reference written from the documented format with strings.</summary>
public sealed class BackendSignerTests
{
    private const string Date = "20260102T030405Z";
    private const string Host = "backend.internal:8080";

    private static string Sign(BackendSigner signer, string method, string target)
    {
        var canonical = new SdkCanonicalRequest().Build(Encoding.ASCII.GetBytes(method), Encoding.UTF8.GetBytes(target), Encoding.ASCII.GetBytes(Host), Encoding.ASCII.GetBytes(Date));
        var destination = new byte[signer.MaxAuthorizationLength];
        var length = signer.WriteAuthorization(canonical, Encoding.ASCII.GetBytes(Date), destination);
        return Encoding.ASCII.GetString(destination, 0, length);
    }

    /// <summary>The documented canonical request, built with strings and the framework's URI escaping.</summary>
    private static string ReferenceCanonical(string method, string target)
    {
        var question = target.IndexOf('?');
        var path = question < 0 ? target : target[..question];
        var query = question < 0 ? "" : target[(question + 1)..];
        var uri = string.Join('/', Uri.UnescapeDataString(path).Split('/').Select(Uri.EscapeDataString));
        uri = uri.EndsWith('/') ? uri : uri + "/";
        var canonicalQuery = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Key: Uri.UnescapeDataString(parts[0]), Value: parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : ""))
            .Where(pair => pair.Key.Length > 0)
            .OrderBy(pair => pair.Key, StringComparer.Ordinal).ThenBy(pair => pair.Value, StringComparer.Ordinal)
            .Select(pair => Uri.EscapeDataString(pair.Key) + "=" + Uri.EscapeDataString(pair.Value)));
        var headers = $"host:{Host}\nx-sdk-content-sha256:UNSIGNED-PAYLOAD\nx-sdk-date:{Date}\n";
        return string.Join('\n', method, uri, canonicalQuery, headers, "host;x-sdk-content-sha256;x-sdk-date", "UNSIGNED-PAYLOAD");
    }

    private static string ReferenceHmac(string method, string target, string key, string secret)
    {
        var stringToSign = $"SDK-HMAC-SHA256\n{Date}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ReferenceCanonical(method, target))))}";
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var signature = Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
        return $"SDK-HMAC-SHA256 Access={key}, SignedHeaders=host;x-sdk-content-sha256;x-sdk-date, Signature={signature}";
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "")]
    [InlineData("POST", "/a/b")]
    [InlineData("PUT", "/a/b/?z=1&a=2&a=1&m")]
    [InlineData("GET", "/x%20y/%7e~/%E2%82%AC?q=a%20b+c&=x&%41=%2f")]
    [InlineData("DELETE", "/100%/bad%zz?k=%")]
    [InlineData("GET", "/many?t=1&s=2&r=3&q=4&p=5&o=6&n=7&m=8&l=9&k=10&j=11&i=12&h=13&g=14&f=15&e=16&d=17&c=18&b=19&a=20&a=0")]
    public void Hmac_matches_the_reference(string method, string target)
    {
        var signer = BackendSigner.Create("s1", "hmac", "hmacKey_0001", "hmacSecret-0001!@#", null)!;
        var canonical = Encoding.UTF8.GetString(new SdkCanonicalRequest().Build(Encoding.ASCII.GetBytes(method), Encoding.UTF8.GetBytes(target), Encoding.ASCII.GetBytes(Host), Encoding.ASCII.GetBytes(Date)));
        Assert.Equal(ReferenceCanonical(method, target), canonical);
        Assert.Equal(ReferenceHmac(method, target, "hmacKey_0001", "hmacSecret-0001!@#"), Sign(signer, method, target));
    }

    [Fact]
    public void Hmac_matches_the_reference_for_arbitrary_paths_and_queries_and_one_reused_builder()
    {
        var builder = new SdkCanonicalRequest();
        var chars = Gen.Elements("aZ09-._~/ %+=&?!é".ToCharArray());
        var targets = Gen.Zip(Gen.ArrayOf(chars), Gen.ArrayOf(chars)).Select(parts =>
            "/" + new string(parts.Item1).Replace("?", "").Replace("%", "%25") + "?" + new string(parts.Item2).Replace("?", "").Replace("%", "%25"));
        Prop.ForAll(targets.ToArbitrary(), target =>
        {
            var canonical = Encoding.UTF8.GetString(builder.Build("GET"u8, Encoding.UTF8.GetBytes(target), Encoding.ASCII.GetBytes(Host), Encoding.ASCII.GetBytes(Date)));
            return canonical == ReferenceCanonical("GET", target);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_changed_target_or_secret_changes_the_hmac_signature()
    {
        var signer = BackendSigner.Create("s1", "hmac", "hmacKey_0001", "hmacSecret-0001!@#", null)!;
        var other = BackendSigner.Create("s2", "hmac", "hmacKey_0001", "hmacSecret-0001!@$", null)!;
        Assert.NotEqual(Sign(signer, "GET", "/a?x=1"), Sign(signer, "GET", "/a?x=2"));
        Assert.NotEqual(Sign(signer, "GET", "/a"), Sign(signer, "POST", "/a"));
        Assert.NotEqual(Sign(signer, "GET", "/a"), Sign(other, "GET", "/a"));
    }

    [Fact]
    public void Basic_is_the_key_and_secret_as_user_and_password()
    {
        var signer = BackendSigner.Create("s1", "basic", "gatewayUser", "p@ss:w0rd", null)!;
        Assert.False(signer.SignsCanonicalRequest);
        var header = Sign(signer, "GET", "/");
        Assert.StartsWith("Basic ", header);
        Assert.Equal("gatewayUser:p@ss:w0rd", Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])));
    }

    [Theory]
    [InlineData("aesKey0123456789", "aes-128-cfb", "SDK-AES-128-CFB")]
    [InlineData("aesKey0123456789aesKey0123456789", "aes-256-cfb", "SDK-AES-256-CFB")]
    [InlineData("aesKey0123456789aesKey0123456789", null, "SDK-AES-256-CFB")]
    public void Aes_is_cfb_of_the_string_to_sign_under_key_and_iv(string key, string? algorithm, string name)
    {
        const string iv = "aesIv+/=01234567";
        var signer = BackendSigner.Create("s1", "aes", key, iv, algorithm)!;
        var target = "/a/b?z=1&a=2";
        var stringToSign = $"{name}\n{Date}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ReferenceCanonical("GET", target))))}";

        // CFB-128 as a stream, built from single-block encryption.
        using var aes = Aes.Create();
        aes.Key = Encoding.UTF8.GetBytes(key);
        var plain = Encoding.UTF8.GetBytes(stringToSign);
        var cipher = new byte[plain.Length];
        var feedback = Encoding.UTF8.GetBytes(iv);
        for (var offset = 0; offset < plain.Length; offset += 16)
        {
            var keystream = aes.EncryptEcb(feedback, PaddingMode.None);
            var count = Math.Min(16, plain.Length - offset);
            for (var i = 0; i < count; i++)
            {
                cipher[offset + i] = (byte)(plain[offset + i] ^ keystream[i]);
            }

            feedback = count == 16 ? cipher[offset..(offset + 16)] : feedback;
        }

        Assert.Equal($"{name} SignedHeaders=host;x-sdk-content-sha256;x-sdk-date, Signature={Convert.ToHexStringLower(cipher)}", Sign(signer, "GET", target));
    }

    [Theory]
    [InlineData("public_key", "publicKey01", "secret0123456789", null)]
    [InlineData("aes", "short", "aesIv+/=01234567", null)]
    [InlineData("aes", "aesKey0123456789", "aesIv+/=01234567", "aes-256-cfb")]
    [InlineData("aes", "aesKey0123456789", "shortiv", null)]
    public void Keys_the_data_plane_cannot_apply_give_no_signer(string type, string key, string secret, string? algorithm)
    {
        Assert.Null(BackendSigner.Create("s1", type, key, secret, algorithm));
    }

    [Fact]
    public void The_signer_never_shows_its_secret()
    {
        var signer = BackendSigner.Create("s1", "hmac", "hmacKey_0001", "hmacSecret-0001!@#", null)!;
        Assert.DoesNotContain("hmacSecret", signer.ToString());
        Assert.DoesNotContain("hmacSecret", Sign(signer, "GET", "/"));
    }

    [Fact]
    public void The_sdk_date_is_the_documented_basic_format()
    {
        var date = new byte[16];
        BackendSigner.WriteSdkDate(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), date);
        Assert.Equal(Date, Encoding.ASCII.GetString(date));
    }
}
