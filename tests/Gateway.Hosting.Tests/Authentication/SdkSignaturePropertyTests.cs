using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Hosting.Authentication;

namespace Gateway.Hosting.Tests.Authentication;

public sealed class SdkSignaturePropertyTests
{
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string AccessKey = "AK-PROPERTY";
    private const string SecretKey = "sk/with+odd=chars_中";

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
    private static readonly DateTimeOffset SignedAt = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private static readonly Dictionary<string, string> Secrets = new() { [AccessKey] = SecretKey };

    // ---- Official vectors: any single-character change to signed content is rejected ----

    public enum VectorPart
    {
        Method,
        Path,
        Query,
        SignedHeader,
        Body,
        Signature,
    }

    internal sealed record VectorMutation(SigningVector Vector, VectorPart Part, string? HeaderName, int Position, char Replacement)
    {
        public override string ToString() => $"{Vector.Name}: {Part} {HeaderName} [{Position}] -> '{Replacement}'";

        public TestRequest Apply()
        {
            var request = Vector.Request;
            return Part switch
            {
                VectorPart.Method => request with { Method = Replace(request.Method) },
                VectorPart.Path => request with { RawPath = Replace(request.RawPath) },
                VectorPart.Query => request with { RawQuery = Replace(request.RawQuery) },
                VectorPart.SignedHeader => request with { Headers = request.Headers.With(HeaderName!, Replace(request.Headers.Get(HeaderName!)!)) },
                VectorPart.Body => request with { Body = Encoding.UTF8.GetBytes(Replace(Encoding.UTF8.GetString(request.Body))) },
                _ => request with { Headers = request.Headers.With("Authorization", ReplaceInSignature(request.Headers.Get("Authorization")!)) },
            };
        }

        private string Replace(string text) => string.Concat(text.AsSpan(0, Position), Replacement.ToString(), text.AsSpan(Position + 1));

        private string ReplaceInSignature(string authorization)
        {
            var signatureStart = authorization.Length - SdkSignature.HexDigestLength;
            return string.Concat(authorization.AsSpan(0, signatureStart + Position), Replacement.ToString(), authorization.AsSpan(signatureStart + Position + 1));
        }
    }

    /// <summary>
    /// Letters and digits outside %XX escapes: replacing one by a different letter or digit always changes the
    /// canonical request, whereas e.g. the case of an escape's hex digit does not.
    /// </summary>
    private static int[] MutablePositions(string text)
    {
        var positions = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            var insideEscape = (i >= 1 && text[i - 1] == '%') || (i >= 2 && text[i - 2] == '%');
            if (char.IsAsciiLetterOrDigit(text[i]) && !insideEscape)
            {
                positions.Add(i);
            }
        }

        return [.. positions];
    }

    private static List<(VectorPart Part, string? Header, string Text)> MutableParts(SigningVector vector)
    {
        var request = vector.Request;
        var parts = new List<(VectorPart, string?, string)>
        {
            (VectorPart.Method, null, request.Method),
            (VectorPart.Path, null, request.RawPath),
            (VectorPart.Query, null, request.RawQuery),
            (VectorPart.Body, null, Encoding.UTF8.GetString(request.Body)),
            (VectorPart.Signature, null, request.Headers.Get("Authorization")![^SdkSignature.HexDigestLength..]),
        };
        foreach (var (name, value) in request.Headers.All)
        {
            if (!name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                parts.Add((VectorPart.SignedHeader, name, value));
            }
        }

        parts.RemoveAll(part => MutablePositions(part.Item3).Length == 0);
        return parts;
    }

    private static Gen<VectorMutation> VectorMutations() =>
        from vector in Gen.Elements(SigningVector.All.ToArray())
        from part in Gen.Elements(MutableParts(vector).ToArray())
        from positionSeed in Gen.Choose(0, 1_000_000)
        from replacementSeed in Gen.Choose(0, 1_000_000)
        let positions = MutablePositions(part.Text)
        let position = positions[positionSeed % positions.Length]
        let replacements = Alphanumerics.Replace(part.Text[position].ToString(), "", StringComparison.Ordinal)
        select new VectorMutation(vector, part.Part, part.Header, position, replacements[replacementSeed % replacements.Length]);

    [Fact]
    public void Any_single_character_change_to_a_signed_part_of_a_vector_is_rejected()
    {
        var property = Prop.ForAll(
            VectorMutations().ToArbitrary(),
            mutation => mutation.Apply().Verify(mutation.Vector.Secrets, mutation.Vector.Date).Status != SdkVerificationStatus.Ok);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), property);
    }

    [Fact]
    public void Every_mutable_part_of_every_vector_is_covered()
    {
        // Guards the generator above: each vector offers method, path, signature and every signed header.
        foreach (var vector in SigningVector.All)
        {
            var parts = MutableParts(vector);
            Assert.Contains(parts, p => p.Part == VectorPart.Method);
            Assert.Contains(parts, p => p.Part == VectorPart.Path || vector.Request.RawPath == "/");
            Assert.Contains(parts, p => p.Part == VectorPart.Signature);
            Assert.Equal(vector.Request.Headers.All.Count - 1, parts.Count(p => p.Part == VectorPart.SignedHeader));
            Assert.Equal(vector.Request.Body.Length > 0, parts.Any(p => p.Part == VectorPart.Body));
        }
    }

    // ---- Random requests signed by the independent test signer ----

    public enum RequestMutation
    {
        Method,
        Path,
        Query,
        SignedHeaderValue,
        Body,
        Signature,
        Date,
        UnsignedHeader,
    }

    internal sealed record RandomRequest(
        string Method,
        string RawPath,
        string RawQuery,
        List<KeyValuePair<string, string>> SignedHeaders,
        byte[] Body,
        bool NodejsStyle,
        TimeSpan ClockSkew)
    {
        public bool UnsignedPayload => SignedHeaders.Exists(h => h.Key == "X-Sdk-Content-Sha256");

        public TestRequest Sign()
        {
            var authorization = TestSigner.Sign(
                Method, RawPath, RawQuery, SignedHeaders, SignedHeaders.Select(h => h.Key), Body, AccessKey, SecretKey, NodejsStyle);
            var headers = new List<KeyValuePair<string, string>>(SignedHeaders)
            {
                new("User-Agent", "property-test"),
                new("Authorization", authorization),
            };
            return new TestRequest(Method, RawPath, RawQuery, new TestHeaders(headers), Body);
        }

        public override string ToString() =>
            $"{Method} {RawPath}?{RawQuery} nodejs={NodejsStyle} skew={ClockSkew} headers=[{string.Join(" | ", SignedHeaders.Select(h => $"{h.Key}: '{h.Value}'"))}] body={Convert.ToHexString(Body)}";
    }

    private static readonly string[] TextAtoms =
    [
        "a", "b", "Z", "0", "9", "-", "_", ".", "~", " ", "+", "!", "*", "'", "(", ")", "&", "=", "/", "?", "#", "%",
        ":", "@", ";", ",", "$", "中", "é", "€", "😀",
    ];

    private static Gen<string> Text(int maxAtoms) =>
        from count in Gen.Choose(0, maxAtoms)
        from atoms in Gen.ArrayOf(Gen.Elements(TextAtoms), count)
        select string.Concat(atoms);

    /// <summary>Percent-encodes like a client might: characters in <paramref name="mayStayRaw"/> are sent raw or escaped at random, hex case random.</summary>
    private static Gen<string> Escape(string text, string mayStayRaw) =>
        from choices in Gen.ArrayOf(Gen.Elements(0, 1, 2), text.Length)
        select EscapeWith(text, mayStayRaw, choices);

    private static string EscapeWith(string text, string mayStayRaw, int[] choices)
    {
        var builder = new StringBuilder();
        Span<byte> utf8 = stackalloc byte[4];
        var i = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var choice = choices[i];
            i += rune.Utf16SequenceLength;
            var isRawSafe = rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || mayStayRaw.Contains((char)rune.Value));
            if (isRawSafe && choice != 0)
            {
                builder.Append(rune.ToString());
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString(choice == 2 ? "x2" : "X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private const string PathRawSafe = "-_.~!$&'()*+,;=:@";
    private const string QueryRawSafe = "-_.~!$'()*+,;:@/?";

    private static Gen<string> RawPaths() =>
        from segments in Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Text(5).SelectMany(s => Escape(s, PathRawSafe)), n))
        from trailingSlash in Gen.Elements(false, true)
        select "/" + string.Join("/", segments) + (trailingSlash && segments.Length > 0 ? "/" : "");

    private static Gen<string> RawQueries() =>
        from pairs in Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(RawQueryPair(), n))
        select string.Join("&", pairs);

    private static Gen<string> RawQueryPair() =>
        from key in Gen.OneOf(Gen.Elements("a", "b", "limit", ""), Text(4).SelectMany(s => Escape(s, QueryRawSafe)))
        from hasValue in Gen.Elements(true, true, false)
        from value in Text(4).SelectMany(s => Escape(s, QueryRawSafe + "="))
        select hasValue ? key + "=" + value : key;

    private static Gen<string> HeaderValue() =>
        from leading in Gen.Elements("", "", " ")
        from core in Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.Choose(0x21, 0x7E).Select(c => (char)c), n))
        from middle in Gen.Elements("", " ", "  ")
        from tail in Gen.Elements("", "x", "Y9")
        from trailing in Gen.Elements("", "", " ")
        select leading + new string(core) + middle + tail + trailing;

    private static Gen<RandomRequest> RandomRequests() =>
        from method in Gen.Elements(Methods)
        from rawPath in RawPaths()
        from rawQuery in RawQueries()
        from host in Gen.Elements("example.com", "127.0.0.1:9000", "gw.example.com:8443")
        from extraValues in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(HeaderValue(), n))
        from repeatLast in Gen.Elements(false, true)
        from contentType in Gen.Elements<string?>(null, "application/json", "text/plain; charset=utf-8")
        from unsignedPayload in Gen.Elements(false, false, false, true)
        from body in Gen.Choose(0, 48).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n))
        from nodejsStyle in Gen.Elements(false, true)
        from skewSeconds in Gen.Choose(-14 * 60, 14 * 60)
        select new RandomRequest(
            method,
            rawPath,
            rawQuery,
            BuildHeaders(host, extraValues, repeatLast, contentType, unsignedPayload),
            body,
            nodejsStyle,
            TimeSpan.FromSeconds(skewSeconds));

    private static List<KeyValuePair<string, string>> BuildHeaders(
        string host, string[] extraValues, bool repeatLast, string? contentType, bool unsignedPayload)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("X-Sdk-Date", TestSigner.FormatDate(SignedAt)),
            new("Host", host),
        };
        for (var i = 0; i < extraValues.Length; i++)
        {
            headers.Add(new($"X-Extra-{i}", extraValues[i]));
        }

        if (repeatLast && extraValues.Length > 0)
        {
            headers.Add(new($"X-Extra-{extraValues.Length - 1}", "repeated value"));
        }

        if (contentType is not null)
        {
            headers.Add(new("Content-Type", contentType));
        }

        if (unsignedPayload)
        {
            headers.Add(new("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"));
        }

        return headers;
    }

    [Fact]
    public void Requests_signed_by_the_test_signer_are_accepted()
    {
        var property = Prop.ForAll(
            RandomRequests().ToArbitrary(),
            request => request.Sign().Verify(Secrets, SignedAt + request.ClockSkew).Status == SdkVerificationStatus.Ok);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), property);
    }

    [Fact]
    public void Mutated_signed_requests_are_rejected_and_unsigned_parts_may_change()
    {
        var cases =
            from request in RandomRequests()
            from mutation in Gen.Elements(Enum.GetValues<RequestMutation>())
            from seed in Gen.Choose(0, 1_000_000)
            select (request, mutation, seed);

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (request, mutation, seed) = c;
            var signed = request.Sign();
            var mutated = Mutate(signed, mutation, seed);
            var status = mutated.Verify(Secrets, SignedAt + request.ClockSkew).Status;
            var mayStillVerify = mutation == RequestMutation.UnsignedHeader
                || (mutation == RequestMutation.Body && request.UnsignedPayload);
            return mayStillVerify ? status == SdkVerificationStatus.Ok : status != SdkVerificationStatus.Ok;
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), property);
    }

    private static TestRequest Mutate(TestRequest request, RequestMutation mutation, int seed)
    {
        switch (mutation)
        {
            case RequestMutation.Method:
                var others = Methods.Where(m => m != request.Method).ToArray();
                return request with { Method = others[seed % others.Length] };
            case RequestMutation.Path:
                // One more segment always changes the canonical URI.
                return request with { RawPath = request.RawPath + (request.RawPath.EndsWith('/') ? "x" : "/x") };
            case RequestMutation.Query:
                return request with { RawQuery = request.RawQuery + (request.RawQuery.Length == 0 ? "" : "&") + "mutated=1" };
            case RequestMutation.SignedHeaderValue:
                var signedNames = request.Headers.All
                    .Select(h => h.Key)
                    .Where(n => n is not ("Authorization" or "User-Agent" or "X-Sdk-Date"))
                    .Distinct()
                    .ToArray();
                var name = signedNames[seed % signedNames.Length];
                return request with { Headers = request.Headers.With(name, request.Headers.Get(name) + "m") };
            case RequestMutation.Body:
                var body = request.Body.Length == 0 ? [0x41] : (byte[])request.Body.Clone();
                if (request.Body.Length > 0)
                {
                    body[seed % body.Length] ^= (byte)(1 + (seed % 255));
                }

                return request with { Body = body };
            case RequestMutation.Signature:
                var authorization = request.Headers.Get("Authorization")!;
                var index = authorization.Length - SdkSignature.HexDigestLength + (seed % SdkSignature.HexDigestLength);
                var replacement = authorization[index] == '0' ? '1' : '0';
                return request with { Headers = request.Headers.With("Authorization", string.Concat(authorization.AsSpan(0, index), replacement.ToString(), authorization.AsSpan(index + 1))) };
            case RequestMutation.Date:
                return request with { Headers = request.Headers.With("X-Sdk-Date", TestSigner.FormatDate(SignedAt.AddSeconds(1))) };
            default:
                return request with { Headers = request.Headers.With("User-Agent", "changed-" + seed) };
        }
    }
}
