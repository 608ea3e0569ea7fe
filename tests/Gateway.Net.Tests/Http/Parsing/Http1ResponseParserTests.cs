using System.Text;
using Gateway.Net.Http.Parsing;
using Gateway.Net.TestSupport;

namespace Gateway.Net.Http.Parsing.Tests;

public sealed class Http1ResponseParserTests
{
    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    private static RunResult Parse(string raw, params KnownMethod[] methods) =>
        ConnectionSimulator.RunResponses(Bytes(raw), methods.Length == 0 ? [KnownMethod.Get] : methods);

    private static ParsedMessage Single(string raw, KnownMethod method = KnownMethod.Get)
    {
        var result = Parse(raw, method);
        Assert.True(result.Outcome == RunOutcome.Complete, result.ToString());
        return Assert.Single(result.Messages);
    }

    [Fact]
    public void StatusLine_HeadersAndContentLengthBody_AreParsed()
    {
        var message = Single("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
        Assert.Equal(200, message.StatusCode);
        Assert.Equal("OK", message.Reason);
        Assert.Equal(HttpProtocolVersion.Http11, message.Version);
        Assert.Equal(BodyFraming.ContentLength, message.Framing);
        Assert.Equal("hello", Encoding.ASCII.GetString(message.Body));
        Assert.True(message.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 404 Not Found\r\n", 404, "Not Found")]
    [InlineData("HTTP/1.1 204 \r\n", 204, "")]
    [InlineData("HTTP/1.1 204\r\n", 204, "")]
    [InlineData("HTTP/1.0 500 Internal  Server\tError\r\n", 500, "Internal  Server\tError")]
    [InlineData("HTTP/1.1 599 x\r\n", 599, "x")]
    public void StatusLine_Variants_AreAccepted(string statusLine, int code, string reason)
    {
        var message = Single(statusLine + "Content-Length: 0\r\n\r\n");
        Assert.Equal(code, message.StatusCode);
        Assert.Equal(reason, message.Reason);
    }

    [Fact]
    public void ChunkedBody_IsDecodedWithTrailers()
    {
        var message = Single("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n");
        Assert.Equal(BodyFraming.Chunked, message.Framing);
        Assert.Equal("abc", Encoding.ASCII.GetString(message.Body));
        Assert.Equal([(KnownHeader.Unknown, "X-T", "1")], message.Trailers);
    }

    [Fact]
    public void NoFraming_BodyRunsUntilCloseAndTheConnectionIsNotReused()
    {
        var message = Single("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of this until the end");
        Assert.Equal(BodyFraming.CloseDelimited, message.Framing);
        Assert.False(message.KeepAlive);
        Assert.Equal("all of this until the end", Encoding.ASCII.GetString(message.Body));
    }

    [Theory]
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n", nameof(KnownMethod.Get))]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", nameof(KnownMethod.Get))]
    [InlineData("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", nameof(KnownMethod.Get))]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", nameof(KnownMethod.Head))]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", nameof(KnownMethod.Head))]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", nameof(KnownMethod.Head))]
    public void NoBodyResponses_IgnoreTheirFramingFields(string raw, string method)
    {
        var message = Single(raw, Enum.Parse<KnownMethod>(method));
        Assert.Equal(BodyFraming.None, message.Framing);
        Assert.Empty(message.Body);
        Assert.True(message.KeepAlive);
    }

    [Fact]
    public void InterimResponses_PrecedeTheFinalOne()
    {
        var result = Parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", KnownMethod.Post);
        Assert.Equal(RunOutcome.Complete, result.Outcome);
        Assert.Equal([100, 103, 200], result.Messages.Select(m => m.StatusCode));
        Assert.Equal("ok", Encoding.ASCII.GetString(result.Messages[2].Body));
    }

    [Fact]
    public void InterimFlag_IsSetFor1xxExcept101()
    {
        var parser = new Http1ResponseParser(HttpParserLimits.Default);
        var handler = new RecordingResponseHandler(new Recording());
        var reader = new System.Buffers.SequenceReader<byte>(new System.Buffers.ReadOnlySequence<byte>(Bytes("HTTP/1.1 100 Continue\r\n\r\n")));
        Assert.Equal(HttpParseStatus.Complete, parser.TryParseHead(ref reader, ref handler));
        Assert.True(parser.IsInterim);

        parser.Reset(KnownMethod.Get);
        reader = new System.Buffers.SequenceReader<byte>(new System.Buffers.ReadOnlySequence<byte>(Bytes("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n")));
        Assert.Equal(HttpParseStatus.Complete, parser.TryParseHead(ref reader, ref handler));
        Assert.False(parser.IsInterim);
        Assert.True(parser.IsUpgrade);
        Assert.False(parser.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n", true)]
    public void KeepAlive_FollowsVersionAndConnection(string raw, bool keepAlive) =>
        Assert.Equal(keepAlive, Single(raw).KeepAlive);

    [Fact]
    public void Pipeline_OfResponsesToDifferentMethods_IsFramedPerMethod()
    {
        const string raw = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n!\r\n0\r\n\r\n";
        var bytes = Bytes(raw);
        KnownMethod[] methods = [KnownMethod.Head, KnownMethod.Get, KnownMethod.Get];
        var whole = ConnectionSimulator.RunResponses(bytes, methods);
        Assert.Equal(RunOutcome.Complete, whole.Outcome);
        Assert.Equal(["", "hi", "!"], whole.Messages.Select(m => Encoding.ASCII.GetString(m.Body)));

        for (int split = 1; split < bytes.Length; split++)
        {
            Assert.True(whole.SameAs(ConnectionSimulator.RunResponses(bytes, methods, [split])), $"split at {split}");
        }

        Assert.True(whole.SameAs(ConnectionSimulator.RunResponses(bytes, methods, ConnectionSimulator.EveryByte(bytes.Length))));
    }

    public static TheoryData<string, string> Rejections() => new()
    {
        { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", nameof(RequestRejection.ContentLengthWithTransferEncoding) },
        { "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n", nameof(RequestRejection.ContentLengthWithTransferEncoding) },
        { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", nameof(RequestRejection.MultipleContentLength) },
        { "HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n", nameof(RequestRejection.InvalidContentLength) },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", nameof(RequestRejection.UnsupportedTransferEncoding) },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", nameof(RequestRejection.ChunkedNotFinal) },
        { "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", nameof(RequestRejection.TransferEncodingInHttp10) },
        { "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n", nameof(RequestRejection.ObsoleteLineFolding) },
        { "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", nameof(RequestRejection.InvalidLineTerminator) },
        { "HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n", nameof(RequestRejection.InvalidLineTerminator) },
        { "HTTP/1.1 200 O\rK\r\nContent-Length: 0\r\n\r\n", nameof(RequestRejection.InvalidLineTerminator) },
        { "HTTP/1.1 200 OK\r\nX : a\r\n\r\n", nameof(RequestRejection.WhitespaceBeforeColon) },
        { "HTTP/1.1 200 OK\r\nX: a\0\r\n\r\n", nameof(RequestRejection.InvalidHeaderValue) },
        { "HTTP/1.1 200 O\u0001K\r\n\r\n", nameof(RequestRejection.InvalidStatusLine) },
        { "HTTP/1.1 20 OK\r\n\r\n", nameof(RequestRejection.InvalidStatusLine) },
        { "HTTP/1.1 2000 OK\r\n\r\n", nameof(RequestRejection.InvalidStatusLine) },
        { "HTTP/1.1 099 OK\r\n\r\n", nameof(RequestRejection.InvalidStatusLine) },
        { "HTTP/1.1 600 OK\r\n\r\n", nameof(RequestRejection.InvalidStatusLine) },
        { "HTTP/1.1  200 OK\r\n\r\n", nameof(RequestRejection.InvalidStatusLine) },
        { "HTTP/1.1\r\n\r\n", nameof(RequestRejection.InvalidStatusLine) },
        { "HTTP/1.1 abc OK\r\n\r\n", nameof(RequestRejection.InvalidStatusLine) },
        { "ICY 200 OK\r\n\r\n", nameof(RequestRejection.InvalidStatusLine) },
        { "HTTP/2 200 OK\r\n\r\n", nameof(RequestRejection.UnsupportedHttpVersion) },
        { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc", nameof(RequestRejection.UnexpectedEndOfBody) },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n", nameof(RequestRejection.UnexpectedEndOfBody) },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Rejection_IsReportedAndTheSameHoweverTheBytesArrive(string raw, string rejectionName)
    {
        var rejection = Enum.Parse<RequestRejection>(rejectionName);
        var bytes = Bytes(raw);
        var whole = ConnectionSimulator.RunResponses(bytes, [KnownMethod.Get]);
        Assert.True(whole.Outcome == RunOutcome.Rejected && whole.Rejection == rejection, whole.ToString());
        var byteWise = ConnectionSimulator.RunResponses(bytes, [KnownMethod.Get], ConnectionSimulator.EveryByte(bytes.Length));
        Assert.True(whole.SameAs(byteWise), byteWise.ToString());
    }

    [Fact]
    public void StatusLine_OverTheLimit_IsRefused()
    {
        var limits = new HttpParserLimits { MaxRequestLineLength = 32 };
        var result = ConnectionSimulator.RunResponses(Bytes("HTTP/1.1 200 " + new string('k', 40) + "\r\n\r\n"), [KnownMethod.Get], limits: limits);
        Assert.Equal(RequestRejection.StatusLineTooLong, result.Rejection);
        Assert.Equal(502, result.Rejection.ToStatusCode());
    }
}
