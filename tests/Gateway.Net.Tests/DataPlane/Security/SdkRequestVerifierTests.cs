using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Security;

namespace Gateway.Net.Tests.DataPlane.Security;

public sealed class SdkRequestVerifierTests
{
    private static readonly Config PropertyConfig = Config.QuickThrowOnFailure.WithMaxTest(400);
    private const string Alphanumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

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
    public void All_eleven_vectors_are_loaded() => Assert.Equal(11, SigningVector.All.Count);

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Official_sdk_vector_is_accepted(string name)
    {
        var vector = Vector(name);
        Assert.Equal(SdkCheck.Ok, vector.Request.Verify(new SdkRequestVerifier(), vector.SecretKey, new FixedClock(vector.Date)));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Reference_signer_reproduces_official_vector(string name)
    {
        var vector = Vector(name);
        var names = vector.Request.Headers.Select(h => h.Key.ToLowerInvariant()).Where(n => n != "authorization").Order(StringComparer.Ordinal).ToList();

        var authorization = ReferenceSigner.Authorization(vector.Request, names, vector.AccessKey, vector.SecretKey, nodejs: true);

        Assert.Equal(vector.Request.Header("Authorization"), authorization);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Official_sdk_vector_with_a_wrong_secret_is_rejected(string name)
    {
        var vector = Vector(name);
        Assert.Equal(SdkCheck.Mismatch, vector.Request.Verify(new SdkRequestVerifier(), vector.SecretKey + "x", new FixedClock(vector.Date)));
    }

    [Fact]
    public void Missing_and_malformed_authorizations_are_told_apart()
    {
        var vector = Vector("get-no-query");
        var verifier = new SdkRequestVerifier();
        var clock = new FixedClock(vector.Date);
        var unsigned = vector.Request with { Headers = vector.Request.Headers.Where(h => h.Key != "Authorization").ToList() };

        Assert.Equal(SdkCheck.Missing, unsigned.Verify(verifier, vector.SecretKey, clock));
        Assert.Equal(SdkCheck.Missing, unsigned.WithHeader("Authorization", "Basic abc").Verify(verifier, vector.SecretKey, clock));
        Assert.Equal(SdkCheck.Malformed, unsigned.WithHeader("Authorization", "SDK-HMAC-SHA256 Access=a, Signature=00").Verify(verifier, vector.SecretKey, clock));
        var withoutDate = vector.Request.Header("Authorization")!.Replace("host;x-sdk-date", "host", StringComparison.Ordinal);
        Assert.Equal(SdkCheck.DateNotSigned, vector.Request.WithHeader("Authorization", withoutDate).Verify(verifier, vector.SecretKey, clock));
        Assert.Equal(SdkCheck.InvalidDate, vector.Request.WithHeader("X-Sdk-Date", "20261122T250000Z").Verify(verifier, vector.SecretKey, clock));
        var extraSigned = vector.Request.Header("Authorization")!.Replace("host;x-sdk-date", "host;x-missing;x-sdk-date", StringComparison.Ordinal);
        Assert.Equal(SdkCheck.MissingSignedHeader, vector.Request.WithHeader("Authorization", extraSigned).Verify(verifier, vector.SecretKey, clock));
    }

    [Fact]
    public void Signing_time_is_accepted_within_fifteen_minutes_either_way_and_refused_beyond()
    {
        var vector = Vector("get-no-query");
        var verifier = new SdkRequestVerifier();
        foreach (var offset in new[] { TimeSpan.Zero, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(-15) })
        {
            Assert.Equal(SdkCheck.Ok, vector.Request.Verify(verifier, vector.SecretKey, new FixedClock(vector.Date + offset)));
        }

        foreach (var offset in new[] { TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(-16) })
        {
            Assert.Equal(SdkCheck.Expired, vector.Request.Verify(verifier, vector.SecretKey, new FixedClock(vector.Date + offset)));
        }
    }

    /// <summary>One byte of one signed part replaced by a different letter or digit (never inside a %XX escape).</summary>
    internal sealed record Mutation(SigningVector Vector, string Part, string? Header, int Position, char Replacement)
    {
        public SignedRequest Apply()
        {
            var request = Vector.Request;
            return Part switch
            {
                "method" => request with { Method = Replace(request.Method) },
                "path" => request with { RawPath = Replace(request.RawPath) },
                "query" => request with { RawQuery = Replace(request.RawQuery) },
                "body" => request with { Body = Encoding.UTF8.GetBytes(Replace(Encoding.UTF8.GetString(request.Body))) },
                "signature" => request.WithHeader("Authorization", Replace(request.Header("Authorization")!)),
                _ => request.WithHeader(Header!, Replace(request.Header(Header!)!)),
            };
        }

        private string Replace(string text) => string.Concat(text.AsSpan(0, Position), Replacement.ToString(), text.AsSpan(Position + 1));

        public override string ToString() => $"{Vector.Name}: {Part} {Header} [{Position}] -> '{Replacement}'";
    }

    private static List<(string Part, string? Header, string Text, int[] Positions)> MutableParts(SigningVector vector)
    {
        var request = vector.Request;
        var authorization = request.Header("Authorization")!;
        var parts = new List<(string, string?, string, int[])>
        {
            ("method", null, request.Method, Positions(request.Method)),
            ("path", null, request.RawPath, Positions(request.RawPath)),
            ("query", null, request.RawQuery, Positions(request.RawQuery)),
            ("body", null, Encoding.UTF8.GetString(request.Body), Positions(Encoding.UTF8.GetString(request.Body))),
            ("signature", null, authorization, Enumerable.Range(authorization.Length - 64, 64).ToArray()),
        };
        foreach (var (name, value) in request.Headers)
        {
            if (!name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                parts.Add(("header", name, value, Positions(value)));
            }
        }

        parts.RemoveAll(p => p.Item4.Length == 0);
        return parts;
    }

    /// <summary>Positions whose replacement must change the canonical request: outside %XX escapes (whose hex case does not count).</summary>
    private static int[] Positions(string text)
    {
        var positions = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            var inEscape = (i >= 0 && text[i] == '%') || (i >= 1 && text[i - 1] == '%') || (i >= 2 && text[i - 2] == '%');
            if (!inEscape && text[i] != ' ')
            {
                positions.Add(i);
            }
        }

        return [.. positions];
    }

    private static Gen<Mutation> Mutations() =>
        from vector in Gen.Elements(SigningVector.All.ToArray())
        from part in Gen.Elements(MutableParts(vector).ToArray())
        from positionSeed in Gen.Choose(0, 1_000_000)
        from replacementSeed in Gen.Choose(0, 1_000_000)
        let position = part.Positions[positionSeed % part.Positions.Length]
        let replacements = Alphanumerics.Replace(part.Text[position].ToString(), "", StringComparison.Ordinal)
        select new Mutation(vector, part.Part, part.Header, position, replacements[replacementSeed % replacements.Length]);

    [Fact]
    public void Any_one_byte_change_to_a_signed_part_of_an_official_vector_is_rejected()
    {
        var verifier = new SdkRequestVerifier();
        Prop.ForAll(Mutations().ToArbitrary(), mutation =>
            mutation.Apply().Verify(verifier, mutation.Vector.SecretKey, new FixedClock(mutation.Vector.Date)) != SdkCheck.Ok)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    // ---- Requests generated and signed by the reference signer.

    internal sealed record Generated(SignedRequest Request, bool Nodejs, int Seed)
    {
        public override string ToString() => $"{(Nodejs ? "nodejs" : "standard")} {Request}";
    }

    private const string Secret = "gen-Secret_123!@#";
    private static readonly DateTimeOffset SignedAt = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static readonly Gen<string> Segment =
        from chars in Gen.ArrayOf(Gen.Elements("abcXYZ019-_.~ +%é中/".ToCharArray()))
        select Escape(new string(chars));

    private static readonly Gen<string> QueryPart =
        from chars in Gen.ArrayOf(Gen.Elements("abcXY01 +é=".ToCharArray()))
        select Escape(new string(chars)).Replace("%3D", "=", StringComparison.Ordinal);

    /// <summary>What a client library would put on the wire: unreserved characters and '/' as they are, others escaped.</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '/' ? c.ToString() : "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    private static readonly Gen<Generated> Requests =
        from method in Gen.Elements("GET", "POST", "PUT", "DELETE", "PATCH")
        from segments in Gen.ListOf(Segment).Select(s => s.Take(4).ToList())
        from trailingSlash in Gen.Elements(true, false)
        from keys in Gen.ListOf(QueryPart).Select(s => s.Take(5).ToList())
        from values in Gen.ArrayOf(QueryPart, 5)
        from headerValues in Gen.ArrayOf(Gen.Elements("v", "a b", "X-Y", "é", "1,2", "UPPER lower"), 3)
        from body in Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i)).Select(b => b.Take(200).ToArray())
        from nodejs in Gen.Elements(true, false)
        from seed in Gen.Choose(0, 1_000_000)
        let path = "/" + string.Join('/', segments) + (trailingSlash ? "/" : "")
        let query = string.Join('&', keys.Select((k, i) => i % 2 == 0 ? $"{k}={values[i]}" : k))
        select new Generated(
            ReferenceSigner.Sign(
                new SignedRequest(method, path, query,
                [
                    new("Host", "api.example.com"),
                    new("X-Custom-A", headerValues[0]),
                    new("x-custom-b", headerValues[1]),
                    new("X-Custom-A", headerValues[2]),
                    new("Content-Type", "application/json"),
                ],
                body),
                "gen-key",
                Secret,
                SignedAt,
                nodejs),
            nodejs,
            seed);

    [Fact]
    public void Requests_signed_by_the_reference_signer_are_accepted()
    {
        var verifier = new SdkRequestVerifier();
        Prop.ForAll(Requests.ToArbitrary(), generated =>
            generated.Request.Verify(verifier, Secret, new FixedClock(SignedAt)) == SdkCheck.Ok).Check(PropertyConfig);
    }

    [Fact]
    public void Reordering_headers_or_query_parameters_keeps_the_signature_valid()
    {
        var verifier = new SdkRequestVerifier();
        Prop.ForAll(Requests.ToArbitrary(), generated =>
        {
            var random = new Random(generated.Seed);
            var request = generated.Request;
            var headers = request.Headers.OrderBy(_ => random.Next()).ToList();
            var query = string.Join('&', request.RawQuery.Split('&').OrderBy(_ => random.Next()));
            var reordered = request with { Headers = headers, RawQuery = request.RawQuery.Length == 0 ? "" : query };
            return reordered.Verify(verifier, Secret, new FixedClock(SignedAt)) == SdkCheck.Ok;
        }).Check(PropertyConfig);
    }

    [Fact]
    public void Changing_a_signed_header_the_path_the_query_or_the_body_is_rejected()
    {
        var verifier = new SdkRequestVerifier();
        var changes = Gen.Elements("header", "path", "query", "body");
        Prop.ForAll(Requests.ToArbitrary(), changes.ToArbitrary(), (generated, change) =>
        {
            var request = generated.Request;
            var changed = change switch
            {
                "header" => request.WithHeader("x-custom-b", request.Header("x-custom-b") + "Z"),
                "path" => request with { RawPath = request.RawPath.TrimEnd('/') + "/z" },
                "query" => request with { RawQuery = request.RawQuery.Length == 0 ? "z=1" : request.RawQuery + "&z=1" },
                _ => request with { Body = [.. request.Body, (byte)'z'] },
            };
            return changed.Verify(verifier, Secret, new FixedClock(SignedAt)) == SdkCheck.Mismatch;
        }).Check(PropertyConfig);
    }

    [Fact]
    public void A_signing_time_outside_the_skew_is_rejected_and_inside_it_accepted()
    {
        var verifier = new SdkRequestVerifier();
        var skew = TimeSpan.FromMinutes(15);
        Prop.ForAll(Requests.ToArbitrary(), Gen.Choose(-7200, 7200).ToArbitrary(), (generated, seconds) =>
        {
            var now = SignedAt + TimeSpan.FromSeconds(seconds);
            var expected = Math.Abs(seconds) <= skew.TotalSeconds ? SdkCheck.Ok : SdkCheck.Expired;
            return generated.Request.Verify(verifier, Secret, new FixedClock(now), skew) == expected;
        }).Check(PropertyConfig);
    }

    [Fact]
    public void Unsigned_payload_ignores_the_body_but_still_signs_the_header()
    {
        var verifier = new SdkRequestVerifier();
        var request = ReferenceSigner.Sign(
            new SignedRequest("POST", "/upload", "", [new("Host", "h"), new("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD")], "abc"u8.ToArray()),
            "k", Secret, SignedAt);
        var head = request.ToHead();
        Assert.Equal(SdkCheck.Ok, SdkRequestVerifier.TryRead(head, out var signature));

        Assert.Equal(SdkCheck.Ok, verifier.Verify(head, signature, Encoding.UTF8.GetBytes(Secret), SdkSigning.EmptyBodyHash));
        Assert.Equal(SdkCheck.Mismatch, request.WithHeader("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAE").Verify(verifier, Secret, new FixedClock(SignedAt)));
    }
}
