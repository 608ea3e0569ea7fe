using Gateway.Hosting.Authentication;

namespace Gateway.Hosting.Tests.Authentication;

public sealed class SdkSignatureVerifierTests
{
    public static TheoryData<string> VectorNames()
    {
        var names = new TheoryData<string>();
        foreach (var vector in SigningVector.All)
        {
            names.Add(vector.Name);
        }

        return names;
    }

    private static SigningVector Vector(string name) => SigningVector.All.Single(v => v.Name == name);

    [Fact]
    public void All_eleven_vectors_are_loaded()
    {
        Assert.Equal(11, SigningVector.All.Count);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Official_sdk_vector_is_accepted(string name)
    {
        var vector = Vector(name);

        var result = vector.Request.Verify(vector.Secrets, vector.Date);

        Assert.Equal(SdkVerificationStatus.Ok, result.Status);
        Assert.Equal(vector.AccessKey, result.AccessKey);
        Assert.Equal(vector.Date, result.SignedAt);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Independent_test_signer_reproduces_official_vector(string name)
    {
        var vector = Vector(name);
        var request = vector.Request;
        var signedHeaderNames = request.Headers.All.Select(h => h.Key).Where(n => !n.Equals("Authorization", StringComparison.OrdinalIgnoreCase));

        // The nodejs signer that produced the vectors encodes the path as sent and does not trim header values.
        var authorization = TestSigner.Sign(
            request.Method,
            request.RawPath,
            request.RawQuery,
            request.Headers.All,
            signedHeaderNames,
            request.Body,
            vector.AccessKey,
            vector.SecretKey,
            nodejsStyle: true);

        Assert.Equal(request.Headers.Get("Authorization"), authorization);
    }

    [Fact]
    public void Path_needing_encoding_has_two_canonical_forms()
    {
        const string RawPath = "/a%20b/c~d/%E4%B8%AD";

        Assert.Equal("/a%20b/c~d/%E4%B8%AD/", SdkSignature.CanonicalUri(RawPath, decodeFirst: true));
        Assert.Equal("/a%2520b/c~d/%25E4%25B8%25AD/", SdkSignature.CanonicalUri(RawPath, decodeFirst: false));
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("/a", "/a/")]
    [InlineData("/a/", "/a/")]
    [InlineData("/a+b", "/a%2Bb/")]
    [InlineData("/a b/%e4%b8%ad", "/a%20b/%E4%B8%AD/")]
    [InlineData("/x%2Fy", "/x/y/")]
    [InlineData("/50%", "/50%25/")]
    [InlineData("/%zz", "/%25zz/")]
    [InlineData("/it's(1)*!", "/it%27s%281%29%2A%21/")]
    public void Canonical_uri_decodes_then_encodes_each_segment(string rawPath, string expected)
    {
        Assert.Equal(expected, SdkSignature.CanonicalUri(rawPath, decodeFirst: true));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("name=demo&limit=10&offset=0", "limit=10&name=demo&offset=0")]
    [InlineData("b=2&b=1&a=x%20y", "a=x%20y&b=1&b=2")]
    [InlineData("a+b=c+d", "a%2Bb=c%2Bd")]
    [InlineData("flag&x=", "flag=&x=")]
    [InlineData("=v&&k=%2f", "k=%2F")]
    [InlineData("k=a=b", "k=a%3Db")]
    [InlineData("%C3%A9=1&z=2", "z=2&%C3%A9=1")]
    public void Canonical_query_decodes_sorts_and_encodes(string rawQuery, string expected)
    {
        Assert.Equal(expected, SdkSignature.CanonicalQueryString(rawQuery));
    }

    [Theory]
    [InlineData(14 * 60)]
    [InlineData(-14 * 60)]
    [InlineData(15 * 60)]
    [InlineData(-15 * 60)]
    public void Clock_skew_within_fifteen_minutes_is_accepted(int skewSeconds)
    {
        var vector = Vector("post-json-body");

        var result = vector.Request.Verify(vector.Secrets, vector.Date.AddSeconds(skewSeconds));

        Assert.Equal(SdkVerificationStatus.Ok, result.Status);
    }

    [Theory]
    [InlineData(16 * 60)]
    [InlineData(-16 * 60)]
    [InlineData(15 * 60 + 1)]
    [InlineData(-(15 * 60) - 1)]
    public void Clock_skew_beyond_fifteen_minutes_is_rejected(int skewSeconds)
    {
        var vector = Vector("post-json-body");

        var result = vector.Request.Verify(vector.Secrets, vector.Date.AddSeconds(skewSeconds));

        Assert.Equal(SdkVerificationStatus.Expired, result.Status);
        Assert.Equal(vector.Date, result.SignedAt);
    }

    [Fact]
    public void Configured_skew_is_honoured()
    {
        var vector = Vector("get-no-query");

        var result = vector.Request.Verify(vector.Secrets, vector.Date.AddMinutes(6), TimeSpan.FromMinutes(5));

        Assert.Equal(SdkVerificationStatus.Expired, result.Status);
    }

    [Fact]
    public void Date_not_among_signed_headers_is_rejected()
    {
        var date = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("X-Sdk-Date", TestSigner.FormatDate(date)),
            new("host", "example.com"),
        };
        var authorization = TestSigner.Sign("GET", "/a", "", headers, ["host"], [], "AK", "SK");
        headers.Add(new("Authorization", authorization));
        var request = new TestRequest("GET", "/a", "", new TestHeaders(headers), []);

        var result = request.Verify(new Dictionary<string, string> { ["AK"] = "SK" }, date);

        Assert.Equal(SdkVerificationStatus.DateNotSigned, result.Status);
    }

    [Fact]
    public void Signed_header_absent_from_request_is_rejected()
    {
        var vector = Vector("project-header");
        var request = vector.Request with { Headers = vector.Request.Headers.Without("X-Project-Id") };

        var result = request.Verify(vector.Secrets, vector.Date);

        Assert.Equal(SdkVerificationStatus.MissingSignedHeader, result.Status);
        Assert.Equal("x-project-id", result.HeaderName);
    }

    [Fact]
    public void Missing_date_header_is_reported_as_missing_signed_header()
    {
        var vector = Vector("get-no-query");
        var request = vector.Request with { Headers = vector.Request.Headers.Without("X-Sdk-Date") };

        var result = request.Verify(vector.Secrets, vector.Date);

        Assert.Equal(SdkVerificationStatus.MissingSignedHeader, result.Status);
    }

    [Fact]
    public void Unknown_access_key_is_rejected()
    {
        var vector = Vector("get-no-query");

        var result = vector.Request.Verify(new Dictionary<string, string> { ["OTHER"] = vector.SecretKey }, vector.Date);

        Assert.Equal(SdkVerificationStatus.UnknownAccessKey, result.Status);
        Assert.Equal(vector.AccessKey, result.AccessKey);
    }

    [Fact]
    public void Wrong_secret_is_a_signature_mismatch()
    {
        var vector = Vector("get-no-query");

        var result = vector.Request.Verify(new Dictionary<string, string> { [vector.AccessKey] = "not-the-secret" }, vector.Date);

        Assert.Equal(SdkVerificationStatus.SignatureMismatch, result.Status);
    }

    [Fact]
    public void Unsigned_header_may_change()
    {
        var vector = Vector("post-json-body");
        var request = vector.Request with { Headers = vector.Request.Headers.With("User-Agent", "anything") };

        Assert.Equal(SdkVerificationStatus.Ok, request.Verify(vector.Secrets, vector.Date).Status);
    }

    [Fact]
    public void Unsigned_payload_ignores_the_body()
    {
        var vector = Vector("unsigned-payload");
        var request = vector.Request with { Body = "anything at all"u8.ToArray() };

        Assert.Equal(SdkVerificationStatus.Ok, request.Verify(vector.Secrets, vector.Date).Status);
    }

    [Fact]
    public void Absent_authorization_is_missing()
    {
        var vector = Vector("get-no-query");
        var request = vector.Request with { Headers = vector.Request.Headers.Without("Authorization") };

        Assert.Equal(SdkVerificationStatus.Missing, request.Verify(vector.Secrets, vector.Date).Status);
    }

    [Fact]
    public void Other_authorization_scheme_is_missing()
    {
        var vector = Vector("get-no-query");
        var request = vector.Request with { Headers = vector.Request.Headers.With("Authorization", "Bearer abc") };

        Assert.Equal(SdkVerificationStatus.Missing, request.Verify(vector.Secrets, vector.Date).Status);
    }

    [Theory]
    [InlineData("SDK-HMAC-SHA256")]
    [InlineData("SDK-HMAC-SHA256 ")]
    [InlineData("SDK-HMAC-SHA256Access=AK, SignedHeaders=host;x-sdk-date, Signature=SIG")]
    [InlineData("SDK-HMAC-SHA256 Access=AK SignedHeaders=host;x-sdk-date, Signature=SIG")]
    [InlineData("SDK-HMAC-SHA256 Access=, SignedHeaders=host;x-sdk-date, Signature=SIG")]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=, Signature=SIG")]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;;x-sdk-date, Signature=SIG")]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=")]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=SIG, Extra=1")]
    [InlineData("SDK-HMAC-SHA256 Access=AK, Signature=SIG, SignedHeaders=host;x-sdk-date")]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=D8DBA39DF7CC2B953E9162429C481A1B6A708A9DED0ADA752323E879D4B9B4CD")]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=d8dba39df7cc2b953e9162429c481a1b6a708a9ded0ada752323e879d4b9b4c")]
    public void Malformed_authorization_is_rejected(string authorization)
    {
        var vector = Vector("get-no-query");
        var validSignature = vector.Request.Headers.Get("Authorization")![^64..];
        var request = vector.Request with
        {
            Headers = vector.Request.Headers.With("Authorization", authorization.Replace("SIG", validSignature, StringComparison.Ordinal)),
        };

        Assert.Equal(SdkVerificationStatus.Malformed, request.Verify(vector.Secrets, vector.Date).Status);
    }

    [Theory]
    [InlineData("SDK-HMAC-SHA256 Access=HWAKTESTVECTOR0001,SignedHeaders=host;x-sdk-date,Signature=SIG")]
    [InlineData("SDK-HMAC-SHA256   Access=HWAKTESTVECTOR0001, SignedHeaders=host;x-sdk-date, Signature=SIG ")]
    public void Authorization_spacing_variants_are_accepted(string authorization)
    {
        var vector = Vector("get-no-query");
        var validSignature = vector.Request.Headers.Get("Authorization")![^64..];
        var request = vector.Request with
        {
            Headers = vector.Request.Headers.With("Authorization", authorization.Replace("SIG", validSignature, StringComparison.Ordinal)),
        };

        Assert.Equal(SdkVerificationStatus.Ok, request.Verify(vector.Secrets, vector.Date).Status);
    }

    [Theory]
    [InlineData("2026-11-22T08:00:00Z")]
    [InlineData("20261122T080000")]
    [InlineData("20261322T080000Z")]
    [InlineData("")]
    public void Invalid_date_is_rejected(string date)
    {
        var vector = Vector("get-no-query");
        var request = vector.Request with { Headers = vector.Request.Headers.With("X-Sdk-Date", date) };

        Assert.Equal(SdkVerificationStatus.InvalidDate, request.Verify(vector.Secrets, vector.Date).Status);
    }

    [Fact]
    public void Repeated_header_values_are_signed_one_line_each_in_sorted_order()
    {
        var date = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("X-Sdk-Date", TestSigner.FormatDate(date)),
            new("Host", "h"),
            new("X-Multi", " b "),
            new("X-Multi", "a"),
        };
        headers.Add(new("Authorization", TestSigner.Sign("GET", "/", "", headers, ["host", "x-multi", "x-sdk-date"], [], "AK", "SK")));
        var request = new TestRequest("GET", "/", "", new TestHeaders(headers), []);

        Assert.Equal(SdkVerificationStatus.Ok, request.Verify(new Dictionary<string, string> { ["AK"] = "SK" }, date).Status);
    }

    [Fact]
    public void Decoded_path_form_is_accepted_for_a_path_with_escapes()
    {
        var vector = Vector("path-needs-encoding");
        var request = vector.Request;
        var authorization = TestSigner.Sign(
            request.Method,
            request.RawPath,
            request.RawQuery,
            request.Headers.All,
            ["host", "x-sdk-date"],
            request.Body,
            vector.AccessKey,
            vector.SecretKey,
            nodejsStyle: false);
        var resigned = request with { Headers = request.Headers.With("Authorization", authorization) };

        Assert.NotEqual(request.Headers.Get("Authorization"), authorization);
        Assert.Equal(SdkVerificationStatus.Ok, resigned.Verify(vector.Secrets, vector.Date).Status);
    }
}
