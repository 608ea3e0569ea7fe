using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Http.Parsing;

namespace Gateway.Net.TestSupport;

/// <summary>A generated message: its wire bytes, where its head ends, and what a parser must report for it.</summary>
internal sealed record GeneratedMessage(byte[] Bytes, int HeadLength, ParsedMessage Expected)
{
    public override string ToString() => Encoding.Latin1.GetString(Bytes).Replace("\r", "\\r").Replace("\n", "\\n\n");
}

/// <summary>A sequence of edits applied to valid input, and the points where the result is cut into deliveries.</summary>
internal sealed record Mutation(IReadOnlyList<(int Kind, int Where, byte Value)> Edits, IReadOnlyList<int> Splits);

/// <summary>FsCheck generators for valid HTTP/1.1 requests and responses and for the ways to damage them.</summary>
internal static class HttpMessageGenerators
{
    private const string PathChars = "abcxyzABZ0189-._~%!$&'()*+,;=:@";
    private const string TokenChars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string ValueChars = "abcXYZ019 \t!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u00a0\u00e9\u00ff";

    private static readonly byte[] Interesting = [(byte)'\r', (byte)'\n', 0, (byte)' ', (byte)':', (byte)'\t', (byte)',', (byte)';', (byte)'0', (byte)'a', (byte)'/', 0x7F, 0xFF, (byte)'-'];

    public static Arbitrary<GeneratedMessage> ValidRequests() => RequestGen().ToArbitrary();

    public static Arbitrary<GeneratedMessage> ValidResponses() => ResponseGen().ToArbitrary();

    public static Gen<Mutation> Mutations() =>
        from edits in Gen.ListOf(Edit()).Select(l => l.Take(4).ToList())
        from splits in Splits()
        select new Mutation(edits.Count == 0 ? [(0, 5000, (byte)'\r')] : edits, splits);

    public static Gen<IReadOnlyList<int>> Splits() =>
        Gen.ListOf(Gen.Choose(0, 10_000)).Select(l => (IReadOnlyList<int>)l.Take(8).ToList());

    /// <summary>Split points, given as fractions of 10 000, turned into offsets into <paramref name="length"/> bytes.</summary>
    public static int[] SplitPoints(IReadOnlyList<int> fractions, int length) =>
        fractions.Select(f => (int)((long)f * length / 10_000)).ToArray();

    public static byte[] Apply(byte[] input, IReadOnlyList<(int Kind, int Where, byte Value)> edits)
    {
        var bytes = input.ToList();
        foreach (var (kind, where, value) in edits)
        {
            int at = (int)((long)where * bytes.Count / 10_000);
            int index = Math.Min(at, Math.Max(bytes.Count - 1, 0));
            switch (kind)
            {
                case 0:
                    bytes.Insert(at, value);
                    break;
                case 1 when bytes.Count > 0:
                    bytes[index] = value;
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveAt(index);
                    break;
                case 3 when bytes.Count > 0:
                    bytes[index] ^= (byte)(1 << (value & 7));
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5 when bytes.Count > 0:
                    int length = Math.Min(1 + (value % 24), bytes.Count - index);
                    bytes.InsertRange(index, bytes.GetRange(index, length));
                    break;
            }
        }

        return bytes.ToArray();
    }

    private static Gen<(int, int, byte)> Edit() =>
        from kind in Gen.Frequency((4, Gen.Constant(0)), (3, Gen.Constant(1)), (2, Gen.Constant(2)), (2, Gen.Constant(3)), (1, Gen.Constant(4)), (1, Gen.Constant(5)))
        from position in Gen.Choose(0, 10_000)
        from value in Gen.Frequency((3, Gen.Elements(Interesting)), (1, Gen.Choose(0, 255).Select(i => (byte)i)))
        select (kind, position, value);

    private static Gen<string> StringOf(string alphabet, int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), n)).Select(c => new string(c));

    private static Gen<string> Target() =>
        from segments in Gen.ListOf(StringOf(PathChars, 0, 8)).Select(l => l.Take(4).ToList())
        from query in Gen.Frequency((2, Gen.Constant("")), (1, StringOf(PathChars + "/?=", 0, 12).Select(q => "?" + q)))
        from absolute in Gen.Frequency((6, Gen.Constant("")), (1, Gen.Elements("http://example.com", "https://h:8443", "http://10.0.0.1")))
        select absolute + "/" + string.Join("/", segments) + query;

    private static Gen<string> HeaderName() =>
        Gen.Frequency(
            (3, Gen.Elements("Accept", "User-Agent", "Cookie", "X-Trace-Id", "x-lower", "X_Under", "A", "Accept-Encoding", "X-Forwarded-For", "Content-Type", "TE", "Keep-Alive")),
            (1, StringOf(TokenChars, 1, 12)))
        .Where(n => KnownHeaders.Classify(Encoding.Latin1.GetBytes(n)) is not (KnownHeader.Host or KnownHeader.ContentLength
            or KnownHeader.TransferEncoding or KnownHeader.Connection or KnownHeader.Expect));

    private static Gen<List<(string Name, string Value)>> Fields(int max) =>
        Gen.ListOf(from name in HeaderName() from value in StringOf(ValueChars, 0, 20) select (name, value))
            .Select(l => l.Take(max).ToList());

    private static Gen<byte[]> Body() =>
        Gen.Choose(0, 300).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), n));

    private static Gen<List<int>> ChunkSizes(int total) =>
        Gen.ListOf(Gen.Choose(1, 64)).Select(sizes =>
        {
            var result = new List<int>();
            int left = total;
            foreach (int size in sizes)
            {
                if (left == 0)
                {
                    break;
                }

                int take = Math.Min(size, left);
                result.Add(take);
                left -= take;
            }

            if (left > 0)
            {
                result.Add(left);
            }

            return result;
        });

    private static Gen<GeneratedMessage> RequestGen() =>
        from method in Gen.Elements("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "PURGE", "X-Custom")
        from target in Target()
        from http11 in Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false)))
        from fields in Fields(8)
        from host in Gen.Elements("example.com", "h:8080", "10.0.0.1", "")
        from sendHost in http11 ? Gen.Constant(true) : Gen.Elements(true, false)
        from connection in Gen.Elements("", "close", "keep-alive", "Keep-Alive, Upgrade")
        from expect in Gen.Elements(false, true)
        from framing in http11 ? Gen.Elements(BodyFraming.None, BodyFraming.ContentLength, BodyFraming.Chunked) : Gen.Elements(BodyFraming.None, BodyFraming.ContentLength)
        from body in framing == BodyFraming.None ? Gen.Constant(Array.Empty<byte>()) : Body()
        from chunks in ChunkSizes(body.Length)
        from extensions in Gen.ArrayOf(Gen.Elements("", ";a=b", " ;x", ";n=\"q v\""), chunks.Count + 1)
        from trailers in framing == BodyFraming.Chunked ? Fields(3) : Gen.Constant(new List<(string, string)>())
        select BuildRequest(method, target, http11, fields, sendHost ? host : null, connection, expect, framing, body, chunks, extensions, trailers);

    private static GeneratedMessage BuildRequest(string method, string target, bool http11, List<(string Name, string Value)> fields, string? host,
        string connection, bool expect, BodyFraming framing, byte[] body, List<int> chunks, string[] extensions, List<(string Name, string Value)> trailers)
    {
        var head = new StringBuilder($"{method} {target} {(http11 ? "HTTP/1.1" : "HTTP/1.0")}\r\n");
        var all = new List<(string Name, string Value)>();
        if (host is not null)
        {
            all.Add(("Host", host));
        }

        all.AddRange(fields);
        if (connection.Length > 0)
        {
            all.Add(("Connection", connection));
        }

        if (expect)
        {
            all.Add(("Expect", "100-continue"));
        }

        if (framing == BodyFraming.ContentLength)
        {
            all.Add(("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        else if (framing == BodyFraming.Chunked)
        {
            all.Add(("Transfer-Encoding", "chunked"));
        }

        foreach (var (name, value) in all)
        {
            head.Append(name).Append(':').Append(value.Length % 2 == 0 ? " " : "").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        var bytes = new List<byte>(Encoding.Latin1.GetBytes(head.ToString()));
        int headLength = bytes.Count;
        AppendBody(bytes, framing, body, chunks, extensions, trailers);

        bool close = connection.Contains("close", StringComparison.OrdinalIgnoreCase);
        bool keepAliveToken = connection.Contains("keep-alive", StringComparison.OrdinalIgnoreCase);
        var expected = new ParsedMessage
        {
            Method = method,
            Target = target,
            TargetForm = target.StartsWith('/') ? HttpTargetForm.Origin : HttpTargetForm.Absolute,
            Version = http11 ? HttpProtocolVersion.Http11 : HttpProtocolVersion.Http10,
            Headers = Expect(all),
            Framing = framing == BodyFraming.ContentLength && body.Length == 0 ? BodyFraming.None : framing,
            ContentLength = framing == BodyFraming.ContentLength ? body.Length : 0,
            KeepAlive = http11 ? !close : keepAliveToken && !close,
            ExpectContinue = expect && http11,
            Body = body,
            Trailers = Expect(trailers),
        };
        return new GeneratedMessage(bytes.ToArray(), headLength, expected);
    }

    private static Gen<GeneratedMessage> ResponseGen() =>
        from status in Gen.Elements(200, 201, 204, 206, 301, 304, 400, 404, 500, 503, 299)
        from reason in Gen.Elements("OK", "", "Some Reason", "r\u00e9ason\twith tab")
        from http11 in Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false)))
        from fields in Fields(8)
        from connection in Gen.Elements("", "close", "keep-alive")
        from framing in http11 ? Gen.Elements(BodyFraming.ContentLength, BodyFraming.Chunked, BodyFraming.CloseDelimited) : Gen.Elements(BodyFraming.ContentLength, BodyFraming.CloseDelimited)
        from body in status is 204 or 304 ? Gen.Constant(Array.Empty<byte>()) : Body()
        from chunks in ChunkSizes(body.Length)
        from extensions in Gen.ArrayOf(Gen.Elements("", ";a=b"), chunks.Count + 1)
        from trailers in framing == BodyFraming.Chunked ? Fields(3) : Gen.Constant(new List<(string, string)>())
        select BuildResponse(status, reason, http11, fields, connection, status is 204 or 304 ? BodyFraming.None : framing, body, chunks, extensions, trailers);

    private static GeneratedMessage BuildResponse(int status, string reason, bool http11, List<(string Name, string Value)> fields, string connection,
        BodyFraming framing, byte[] body, List<int> chunks, string[] extensions, List<(string Name, string Value)> trailers)
    {
        var head = new StringBuilder($"{(http11 ? "HTTP/1.1" : "HTTP/1.0")} {status} {reason}\r\n");
        var all = new List<(string Name, string Value)>(fields);
        if (connection.Length > 0)
        {
            all.Add(("Connection", connection));
        }

        if (framing == BodyFraming.ContentLength)
        {
            all.Add(("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        else if (framing == BodyFraming.Chunked)
        {
            all.Add(("Transfer-Encoding", "chunked"));
        }

        foreach (var (name, value) in all)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        var bytes = new List<byte>(Encoding.Latin1.GetBytes(head.ToString()));
        int headLength = bytes.Count;
        AppendBody(bytes, framing, body, chunks, extensions, trailers);

        if (framing != BodyFraming.Chunked)
        {
            trailers = [];
        }

        bool close = connection == "close";
        var effective = framing == BodyFraming.ContentLength && body.Length == 0 ? BodyFraming.None : framing;
        var expected = new ParsedMessage
        {
            StatusCode = status,
            Reason = reason,
            Version = http11 ? HttpProtocolVersion.Http11 : HttpProtocolVersion.Http10,
            Headers = Expect(all),
            Framing = effective,
            ContentLength = effective == BodyFraming.ContentLength ? body.Length : 0,
            KeepAlive = effective != BodyFraming.CloseDelimited && (http11 ? !close : connection == "keep-alive"),
            Body = body,
            Trailers = Expect(trailers),
        };
        return new GeneratedMessage(bytes.ToArray(), headLength, expected);
    }

    private static void AppendBody(List<byte> bytes, BodyFraming framing, byte[] body, List<int> chunks, string[] extensions, List<(string Name, string Value)> trailers)
    {
        if (framing != BodyFraming.Chunked)
        {
            bytes.AddRange(body);
            return;
        }

        int offset = 0;
        for (int i = 0; i < chunks.Count; i++)
        {
            bytes.AddRange(Encoding.Latin1.GetBytes($"{chunks[i]:x}{extensions[i]}\r\n"));
            bytes.AddRange(body.AsSpan(offset, chunks[i]).ToArray());
            bytes.AddRange("\r\n"u8.ToArray());
            offset += chunks[i];
        }

        bytes.AddRange(Encoding.Latin1.GetBytes($"0{extensions[^1]}\r\n"));
        foreach (var (name, value) in trailers)
        {
            bytes.AddRange(Encoding.Latin1.GetBytes($"{name}: {value}\r\n"));
        }

        bytes.AddRange("\r\n"u8.ToArray());
    }

    private static List<(KnownHeader, string, string)> Expect(IEnumerable<(string Name, string Value)> fields) =>
        fields.Select(f => (KnownHeaders.Classify(Encoding.Latin1.GetBytes(f.Name)), f.Name, f.Value.Trim(' ', '\t'))).ToList();
}
