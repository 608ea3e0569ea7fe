using System.Text;
using Gateway.Net.Http.Parsing;
using Gateway.Net.TestSupport;

namespace Gateway.Net.Http.Parsing.Tests;

public sealed class Http1RequestParserTests
{
    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    private static RunResult Parse(string raw, HttpParserLimits? limits = null) => ConnectionSimulator.RunRequests(Bytes(raw), limits: limits);

    private static ParsedMessage Single(string raw, HttpParserLimits? limits = null)
    {
        var result = Parse(raw, limits);
        Assert.True(result.Outcome == RunOutcome.Complete, result.ToString());
        return Assert.Single(result.Messages);
    }

    private static void AssertRejected(string raw, RequestRejection expected, int status, HttpParserLimits? limits = null)
    {
        var whole = Parse(raw, limits);
        Assert.True(whole.Outcome == RunOutcome.Rejected, whole.ToString());
        Assert.Equal(expected, whole.Rejection);
        Assert.Equal(status, whole.Rejection.ToStatusCode());
        Assert.Empty(whole.Messages);

        // The same verdict however the bytes arrive.
        var bytes = Bytes(raw);
        var split = ConnectionSimulator.RunRequests(bytes, ConnectionSimulator.EveryByte(bytes.Length), limits);
        Assert.True(whole.SameAs(split), $"{whole} vs {split}");
    }

    [Fact]
    public void Get_WithHost_ParsesRequestLineHeadersAndKeepAlive()
    {
        var message = Single("GET /a/b?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n");

        Assert.Equal("GET", message.Method);
        Assert.Equal("/a/b?x=1", message.Target);
        Assert.Equal(HttpTargetForm.Origin, message.TargetForm);
        Assert.Equal(HttpProtocolVersion.Http11, message.Version);
        Assert.Equal([(KnownHeader.Host, "Host", "example.com"), (KnownHeader.Unknown, "Accept", "*/*")], message.Headers);
        Assert.Equal(BodyFraming.None, message.Framing);
        Assert.True(message.KeepAlive);
        Assert.False(message.ExpectContinue);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, CLOSE\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nConnection: close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alivex\r\n\r\n", false)]
    public void KeepAlive_FollowsVersionAndConnectionHeader(string raw, bool keepAlive) =>
        Assert.Equal(keepAlive, Single(raw).KeepAlive);

    [Theory]
    [InlineData("GET http://example.com:8080/a/b?x=1 HTTP/1.1\r\nHost: x\r\n\r\n", nameof(HttpTargetForm.Absolute), "example.com:8080", "/a/b", "?x=1")]
    [InlineData("GET https://example.com HTTP/1.1\r\nHost: x\r\n\r\n", nameof(HttpTargetForm.Absolute), "example.com", "/", "")]
    [InlineData("GET HTTP://example.com?q HTTP/1.1\r\nHost: x\r\n\r\n", nameof(HttpTargetForm.Absolute), "example.com", "/", "?q")]
    [InlineData("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", nameof(HttpTargetForm.Asterisk), "", "", "")]
    [InlineData("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", nameof(HttpTargetForm.Authority), "example.com:443", "", "")]
    [InlineData("GET /p?a=1#frag HTTP/1.1\r\nHost: x\r\n\r\n", nameof(HttpTargetForm.Origin), "", "/p", "?a=1")]
    [InlineData("GET //double HTTP/1.1\r\nHost: x\r\n\r\n", nameof(HttpTargetForm.Origin), "", "//double", "")]
    public void RequestTarget_FormsAreRecognised(string raw, string formName, string authority, string path, string query)
    {
        var recording = new Recording();
        var handler = new RecordingRequestHandler(recording);
        var parser = new Http1RequestParser(HttpParserLimits.Default);
        var reader = new System.Buffers.SequenceReader<byte>(new System.Buffers.ReadOnlySequence<byte>(Bytes(raw)));

        Assert.Equal(HttpParseStatus.Complete, parser.TryParseHead(ref reader, ref handler));
        Assert.Equal(Enum.Parse<HttpTargetForm>(formName), parser.TargetForm);
        Assert.Equal(authority, recording.Authority);
        Assert.Equal(path, recording.Path);
        Assert.Equal(query, recording.Query);
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData("GET", nameof(KnownMethod.Get))]
    [InlineData("HEAD", nameof(KnownMethod.Head))]
    [InlineData("POST", nameof(KnownMethod.Post))]
    [InlineData("PUT", nameof(KnownMethod.Put))]
    [InlineData("DELETE", nameof(KnownMethod.Delete))]
    [InlineData("OPTIONS", nameof(KnownMethod.Options))]
    [InlineData("PATCH", nameof(KnownMethod.Patch))]
    [InlineData("TRACE", nameof(KnownMethod.Trace))]
    [InlineData("PURGE", nameof(KnownMethod.Custom))]
    [InlineData("get", nameof(KnownMethod.Custom))]
    [InlineData("M-SEARCH", nameof(KnownMethod.Custom))]
    public void Method_IsClassifiedCaseSensitively(string method, string expected)
    {
        var parser = new Http1RequestParser(HttpParserLimits.Default);
        var handler = new RecordingRequestHandler(new Recording());
        var reader = new System.Buffers.SequenceReader<byte>(new System.Buffers.ReadOnlySequence<byte>(Bytes($"{method} / HTTP/1.1\r\nHost: a\r\n\r\n")));

        Assert.Equal(HttpParseStatus.Complete, parser.TryParseHead(ref reader, ref handler));
        Assert.Equal(Enum.Parse<KnownMethod>(expected), parser.Method);
    }

    [Theory]
    [InlineData("X-A:   v  \t", "v")]
    [InlineData("X-A:v", "v")]
    [InlineData("X-A:", "")]
    [InlineData("X-A: \t ", "")]
    [InlineData("X-A: a  b", "a  b")]
    [InlineData("X-A: a\tb", "a\tb")]
    [InlineData("X-A: caf\u00e9 \u00ff", "caf\u00e9 \u00ff")]
    [InlineData("X-A: \"quoted, list\", x=y", "\"quoted, list\", x=y")]
    public void HeaderValue_IsTrimmedOfOptionalWhitespaceOnly(string line, string value)
    {
        var message = Single($"GET / HTTP/1.1\r\nHost: a\r\n{line}\r\n\r\n");
        Assert.Equal(value, message.Headers[1].Value);
    }

    [Theory]
    [InlineData("content-length", nameof(KnownHeader.ContentLength))]
    [InlineData("TRANSFER-ENCODING", nameof(KnownHeader.TransferEncoding))]
    [InlineData("Keep-Alive", nameof(KnownHeader.KeepAlive))]
    [InlineData("te", nameof(KnownHeader.TE))]
    [InlineData("Proxy-Connection", nameof(KnownHeader.ProxyConnection))]
    [InlineData("Content-Type", nameof(KnownHeader.ContentType))]
    [InlineData("X-Content-Length", nameof(KnownHeader.Unknown))]
    public void HeaderName_IsClassifiedCaseInsensitively(string name, string known) =>
        Assert.Equal(Enum.Parse<KnownHeader>(known), KnownHeaders.Classify(Bytes(name)));

    [Theory]
    [InlineData("Expect: 100-continue", true)]
    [InlineData("Expect: 100-Continue", true)]
    [InlineData("Expect: something-else", false)]
    public void ExpectContinue_IsFlaggedOnHttp11(string header, bool expected) =>
        Assert.Equal(expected, Single($"POST / HTTP/1.1\r\nHost: a\r\n{header}\r\nContent-Length: 1\r\n\r\nx").ExpectContinue);

    [Fact]
    public void ExpectContinue_IsIgnoredOnHttp10() =>
        Assert.False(Single("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx").ExpectContinue);

    [Fact]
    public void ContentLength_BodyIsDeliveredAndFramed()
    {
        var message = Single("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world");
        Assert.Equal(BodyFraming.ContentLength, message.Framing);
        Assert.Equal(11, message.ContentLength);
        Assert.Equal("hello world", Encoding.ASCII.GetString(message.Body));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("000")]
    public void ContentLength_ZeroMeansNoBody(string value)
    {
        var message = Single($"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: {value}\r\n\r\n");
        Assert.Equal(BodyFraming.None, message.Framing);
        Assert.Empty(message.Body);
    }

    [Fact]
    public void Chunked_BodyIsDecodedWithExtensionsAndTrailers()
    {
        var message = Single("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value;flag\r\nhello\r\n6 ; x=\"y\"\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other:  2 \r\n\r\n");
        Assert.Equal(BodyFraming.Chunked, message.Framing);
        Assert.Equal("hello world", Encoding.ASCII.GetString(message.Body));
        Assert.Equal([(KnownHeader.Unknown, "X-Checksum", "abc"), (KnownHeader.Unknown, "X-Other", "2")], message.Trailers);
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked")]
    [InlineData("Transfer-Encoding: Chunked")]
    [InlineData("Transfer-Encoding: ,chunked,")]
    [InlineData("transfer-encoding:  chunked ")]
    public void TransferEncoding_ChunkedAloneIsAccepted(string header) =>
        Assert.Equal(BodyFraming.Chunked, Single($"POST / HTTP/1.1\r\nHost: a\r\n{header}\r\n\r\n0\r\n\r\n").Framing);

    [Fact]
    public void EmptyLinesBeforeRequestLine_AreSkipped()
    {
        var message = Single("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("GET", message.Method);
    }

    [Fact]
    public void Pipelining_ReaderIsLeftAtTheNextRequest()
    {
        const string raw = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
            + "POST /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
            + "GET /4 HTTP/1.0\r\n\r\n";
        var bytes = Bytes(raw);
        var whole = ConnectionSimulator.RunRequests(bytes);

        Assert.Equal(RunOutcome.Complete, whole.Outcome);
        Assert.Equal(["/1", "/2", "/3", "/4"], whole.Messages.Select(m => m.Target));
        Assert.Equal(["", "abc", "de", ""], whole.Messages.Select(m => Encoding.ASCII.GetString(m.Body)));
        Assert.Equal(bytes.Length, whole.Consumed);

        for (int split = 1; split < bytes.Length; split++)
        {
            var parted = ConnectionSimulator.RunRequests(bytes, [split]);
            Assert.True(whole.SameAs(parted), $"split at {split}: {parted}");
        }
    }

    [Fact]
    public void RequestLineParser_DoesNotConsumeAnIncompleteLine()
    {
        var bytes = Bytes("GET /path HTTP/1.1\r\n");
        for (int length = 0; length < bytes.Length; length++)
        {
            var parser = new Http1RequestParser(HttpParserLimits.Default);
            var handler = new RecordingRequestHandler(new Recording());
            var reader = new System.Buffers.SequenceReader<byte>(new System.Buffers.ReadOnlySequence<byte>(bytes, 0, length));

            Assert.Equal(HttpParseStatus.Incomplete, parser.TryParseRequestLine(ref reader, ref handler));
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Fact]
    public void EveryProperPrefixOfAHead_IsIncompleteAndNeverRejected()
    {
        var bytes = Bytes("POST /p?q HTTP/1.1\r\nHost: example.com\r\nContent-Length: 4\r\nX-Long: " + new string('v', 300) + "\r\n\r\n");
        int headLength = bytes.Length;
        for (int length = 0; length < headLength; length++)
        {
            var result = ConnectionSimulator.RunRequests(bytes[..length]);
            Assert.True(result.Outcome == RunOutcome.Incomplete || (length == 0 && result.Outcome == RunOutcome.Complete), $"{length}: {result}");
        }
    }

    [Fact]
    public void Head_ParsedAtEverySplitPointAndOneBytePerSegment_IsIdentical()
    {
        string[] messages =
        [
            "GET /a HTTP/1.1\r\nHost: example.com\r\nUser-Agent: test\r\nAccept: text/html, */*;q=0.8\r\n\r\n",
            "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello",
            "PUT http://h:1/c HTTP/1.1\r\nHost: h:1\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n0\r\nT: v\r\n\r\n",
            "\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        ];
        foreach (var raw in messages)
        {
            var bytes = Bytes(raw);
            var whole = ConnectionSimulator.RunRequests(bytes);
            Assert.Equal(RunOutcome.Complete, whole.Outcome);
            for (int split = 1; split < bytes.Length; split++)
            {
                var parted = ConnectionSimulator.RunRequests(bytes, [split]);
                Assert.True(whole.SameAs(parted), $"split at {split}: {parted}");
            }

            var byteWise = ConnectionSimulator.RunRequests(bytes, ConnectionSimulator.EveryByte(bytes.Length));
            Assert.True(whole.SameAs(byteWise), byteWise.ToString());
        }
    }

    [Fact]
    public void LongLines_CrossingSegments_AreDeliveredWhole()
    {
        string target = "/" + new string('t', 700);
        string value = new string('v', 1500);
        var bytes = Bytes($"GET {target} HTTP/1.1\r\nHost: a\r\nX-Long: {value}\r\n\r\n");
        foreach (int split in new[] { 3, 300, 700, 730, 760, 1000, 2000, bytes.Length - 3 })
        {
            var result = ConnectionSimulator.RunRequests(bytes, [split, split + 1, split + 2]);
            var message = Assert.Single(result.Messages);
            Assert.Equal(target, message.Target);
            Assert.Equal(value, message.Headers[1].Value);
        }
    }

    [Fact]
    public void Head_InOneSequenceOfOneByteSegments_ParsesInOneCall()
    {
        var bytes = Bytes("GET /x HTTP/1.1\r\nHost: a\r\nX-Y: z\r\n\r\nNEXT");
        var parser = new Http1RequestParser(HttpParserLimits.Default);
        var recording = new Recording();
        var handler = new RecordingRequestHandler(recording);
        var reader = new System.Buffers.SequenceReader<byte>(SegmentedSequence.OneBytePerSegment(bytes));

        Assert.Equal(HttpParseStatus.Complete, parser.TryParseHead(ref reader, ref handler));
        Assert.Equal("/x", recording.Target);
        Assert.Equal([(KnownHeader.Host, "Host", "a"), (KnownHeader.Unknown, "X-Y", "z")], recording.Headers);
        Assert.Equal(bytes.Length - 4, reader.Consumed);
    }

    public static TheoryData<string, string, int> Rejections() => new()
    {
        // Framing conflicts and smuggling vectors.
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", nameof(RequestRejection.ContentLengthWithTransferEncoding), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", nameof(RequestRejection.ContentLengthWithTransferEncoding), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", nameof(RequestRejection.MultipleContentLength), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\ncontent-length: 6\r\n\r\n", nameof(RequestRejection.MultipleContentLength), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", nameof(RequestRejection.InvalidContentLength), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", nameof(RequestRejection.InvalidContentLength), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n", nameof(RequestRejection.InvalidContentLength), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", nameof(RequestRejection.InvalidContentLength), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1,1\r\n\r\n", nameof(RequestRejection.InvalidContentLength), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", nameof(RequestRejection.InvalidContentLength), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", nameof(RequestRejection.InvalidContentLength), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808\r\n\r\n", nameof(RequestRejection.InvalidContentLength), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", nameof(RequestRejection.InvalidContentLength), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", nameof(RequestRejection.UnsupportedTransferEncoding), 501 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", nameof(RequestRejection.UnsupportedTransferEncoding), 501 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", nameof(RequestRejection.UnsupportedTransferEncoding), 501 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", nameof(RequestRejection.ChunkedNotFinal), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", nameof(RequestRejection.ChunkedNotFinal), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", nameof(RequestRejection.ChunkedNotFinal), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;q=1\r\n\r\n", nameof(RequestRejection.InvalidTransferEncoding), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n", nameof(RequestRejection.InvalidTransferEncoding), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n", nameof(RequestRejection.InvalidTransferEncoding), 400 },
        { "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", nameof(RequestRejection.TransferEncodingInHttp10), 400 },

        // Line structure.
        { "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", nameof(RequestRejection.ObsoleteLineFolding), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n", nameof(RequestRejection.ObsoleteLineFolding), 400 },
        { "GET / HTTP/1.1\r\n Host: a\r\n\r\n", nameof(RequestRejection.ObsoleteLineFolding), 400 },
        { "GET / HTTP/1.1\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidLineTerminator), 400 },
        { "GET / HTTP/1.1\r\nHost: a\n\r\n", nameof(RequestRejection.InvalidLineTerminator), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\n\n", nameof(RequestRejection.InvalidLineTerminator), 400 },
        { "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidLineTerminator), 400 },
        { "GET / HTTP/1.1\r\nHost: a\rX-A: b\r\n\r\n", nameof(RequestRejection.InvalidLineTerminator), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", nameof(RequestRejection.InvalidLineTerminator), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nX-A\r: b\r\n\r\n", nameof(RequestRejection.InvalidLineTerminator), 400 },
        { "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidLineTerminator), 400 },
        { "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidLineTerminator), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\n\r\r\n", nameof(RequestRejection.InvalidLineTerminator), 400 },

        // Header names and values.
        { "GET / HTTP/1.1\r\nHost : a\r\n\r\n", nameof(RequestRejection.WhitespaceBeforeColon), 400 },
        { "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", nameof(RequestRejection.WhitespaceBeforeColon), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nX A: b\r\n\r\n", nameof(RequestRejection.InvalidHeaderName), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nX@A: b\r\n\r\n", nameof(RequestRejection.InvalidHeaderName), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nX\"A: b\r\n\r\n", nameof(RequestRejection.InvalidHeaderName), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nX\u00e9: b\r\n\r\n", nameof(RequestRejection.InvalidHeaderName), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", nameof(RequestRejection.InvalidHeaderName), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nX\0A: b\r\n\r\n", nameof(RequestRejection.InvalidHeaderName), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", nameof(RequestRejection.InvalidHeaderLine), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n", nameof(RequestRejection.InvalidHeaderValue), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nX-A: \u0001\r\n\r\n", nameof(RequestRejection.InvalidHeaderValue), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u007f\r\n\r\n", nameof(RequestRejection.InvalidHeaderValue), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u001bc\r\n\r\n", nameof(RequestRejection.InvalidHeaderValue), 400 },

        // Host.
        { "GET / HTTP/1.1\r\n\r\n", nameof(RequestRejection.MissingHost), 400 },
        { "GET / HTTP/1.1\r\nX-Host: a\r\n\r\n", nameof(RequestRejection.MissingHost), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", nameof(RequestRejection.MultipleHost), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", nameof(RequestRejection.MultipleHost), 400 },
        { "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", nameof(RequestRejection.InvalidHost), 400 },
        { "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", nameof(RequestRejection.InvalidHost), 400 },
        { "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", nameof(RequestRejection.InvalidHost), 400 },

        // Request line.
        { "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidMethod), 400 },
        { "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidMethod), 400 },
        { " GET / HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidMethod), 400 },
        { "G\0T / HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidMethod), 400 },
        { "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestTarget), 400 },
        { "GET /a\u0001 HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestTarget), 400 },
        { "GET /a\0b HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestTarget), 400 },
        { "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestTarget), 400 },
        { "GET /a\u007f HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestTarget), 400 },
        { "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestLine), 400 },
        { "GET * HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestTarget), 400 },
        { "GET example.com HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestTarget), 400 },
        { "GET http:// HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestTarget), 400 },
        { "GET 1http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestTarget), 400 },
        { "CONNECT /x HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestTarget), 400 },
        { "CONNECT example.com HTTP/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestTarget), 400 },
        { "GET /\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestLine), 400 },
        { "GET\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestLine), 400 },
        { "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestLine), 400 },
        { "GET / http/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestLine), 400 },
        { "GET / HTTPS/1.1\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestLine), 400 },
        { "GET / HTTP/1.1x\r\nHost: a\r\n\r\n", nameof(RequestRejection.InvalidRequestLine), 400 },
        { "GET / HTTP/2.0\r\nHost: a\r\n\r\n", nameof(RequestRejection.UnsupportedHttpVersion), 505 },
        { "GET / HTTP/1.2\r\nHost: a\r\n\r\n", nameof(RequestRejection.UnsupportedHttpVersion), 505 },
        { "GET / HTTP/0.9\r\nHost: a\r\n\r\n", nameof(RequestRejection.UnsupportedHttpVersion), 505 },
        { "GET / HTTP/3\r\nHost: a\r\n\r\n", nameof(RequestRejection.UnsupportedHttpVersion), 505 },

        // Chunked body.
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nG\r\n", nameof(RequestRejection.InvalidChunkSize), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", nameof(RequestRejection.InvalidChunkSize), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n", nameof(RequestRejection.InvalidChunkSize), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\n", nameof(RequestRejection.InvalidChunkSize), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n 5\r\n", nameof(RequestRejection.InvalidChunkSize), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n", nameof(RequestRejection.InvalidChunkSize), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n", nameof(RequestRejection.InvalidChunkSize), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8000000000000000\r\n", nameof(RequestRejection.InvalidChunkSize), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n", nameof(RequestRejection.InvalidChunkSize), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", nameof(RequestRejection.InvalidLineTerminator), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n", nameof(RequestRejection.InvalidChunkTerminator), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n", nameof(RequestRejection.InvalidChunkTerminator), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r0\r\n\r\n", nameof(RequestRejection.InvalidChunkTerminator), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a\u0001\r\nhello\r\n0\r\n\r\n", nameof(RequestRejection.InvalidChunkExtension), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a\rb\r\nhello\r\n0\r\n\r\n", nameof(RequestRejection.InvalidLineTerminator), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: a\r\n b\r\n\r\n", nameof(RequestRejection.ObsoleteLineFolding), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX : a\r\n\r\n", nameof(RequestRejection.WhitespaceBeforeColon), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: a\n\r\n", nameof(RequestRejection.InvalidLineTerminator), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n", nameof(RequestRejection.InvalidLineTerminator), 400 },

        // A body cut short by the peer closing.
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabc", nameof(RequestRejection.UnexpectedEndOfBody), 400 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc", nameof(RequestRejection.UnexpectedEndOfBody), 400 },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Rejection_IsReportedWithItsStatusAndNeverForwarded(string raw, string rejection, int status) =>
        AssertRejected(raw, Enum.Parse<RequestRejection>(rejection), status);

    [Fact]
    public void RejectedParser_StaysRejected()
    {
        var parser = new Http1RequestParser(HttpParserLimits.Default);
        var handler = new RecordingRequestHandler(new Recording());
        var reader = new System.Buffers.SequenceReader<byte>(new System.Buffers.ReadOnlySequence<byte>(Bytes("GET / HTTP/1.1\r\nHost : a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")));

        Assert.Equal(HttpParseStatus.Rejected, parser.TryParseHead(ref reader, ref handler));
        Assert.Equal(HttpParseStatus.Rejected, parser.TryParseHead(ref reader, ref handler));
        Assert.Equal(RequestRejection.WhitespaceBeforeColon, parser.Rejection);
    }
}
