using System.Buffers;
using System.Text;
using Gateway.Net.Http.Parsing;
using Gateway.Net.TestSupport;

namespace Gateway.Net.Http.Parsing.Tests;

/// <summary>The steady-state hot path allocates nothing, whether lines sit in one segment or cross several.</summary>
public sealed class Http1ParserAllocationTests
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes(
        "POST /orders?x=1 HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: test\r\nAccept: */*\r\nConnection: keep-alive\r\n"
        + "X-Long: " + new string('v', 400) + "\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");

    private static readonly byte[] Response = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello");

    [Fact]
    public void ParsingRequestsAndBodies_DoesNotAllocate()
    {
        var parser = new Http1RequestParser(HttpParserLimits.Default);
        var whole = new ReadOnlySequence<byte>(Request);
        var segmented = SegmentedSequence.Split(Request, 10, 60, 61, 200, 300, 520, 530);

        ParseRequest(parser, whole);
        ParseRequest(parser, segmented);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            ParseRequest(parser, whole);
            ParseRequest(parser, segmented);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ParsingResponses_DoesNotAllocate()
    {
        var parser = new Http1ResponseParser(HttpParserLimits.Default);
        var segmented = SegmentedSequence.Split(Response, 5, 20, 40);
        ParseResponse(parser, segmented);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            ParseResponse(parser, segmented);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void ParseRequest(Http1RequestParser parser, ReadOnlySequence<byte> input)
    {
        parser.Reset();
        var reader = new SequenceReader<byte>(input);
        var handler = new NullHandler();
        if (parser.TryParseHead(ref reader, ref handler) != HttpParseStatus.Complete)
        {
            throw new InvalidOperationException(parser.Rejection.ToString());
        }

        var body = HttpBodyReader.ForRequest(parser);
        while (body.Read(ref reader, true, out _, ref handler) == BodyReadStatus.Data)
        {
        }

        if (!body.IsCompleted || !reader.End)
        {
            throw new InvalidOperationException(body.Rejection.ToString());
        }
    }

    private static void ParseResponse(Http1ResponseParser parser, ReadOnlySequence<byte> input)
    {
        parser.Reset(KnownMethod.Get);
        var reader = new SequenceReader<byte>(input);
        var handler = new NullHandler();
        if (parser.TryParseHead(ref reader, ref handler) != HttpParseStatus.Complete)
        {
            throw new InvalidOperationException(parser.Rejection.ToString());
        }

        var body = HttpBodyReader.ForResponse(parser);
        while (body.Read(ref reader, true, out _) == BodyReadStatus.Data)
        {
        }
    }

    private struct NullHandler : IHttpRequestHandler, IHttpResponseHandler
    {
        public readonly void OnRequestLine(HttpRequestLine requestLine)
        {
        }

        public readonly void OnStatusLine(HttpStatusLine statusLine)
        {
        }

        public readonly void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
        }
    }
}
