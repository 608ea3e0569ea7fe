using System.Text;
using Gateway.Net.Http.Parsing;
using Gateway.Net.TestSupport;

namespace Gateway.Net.Http.Parsing.Tests;

public sealed class HttpParserLimitsTests
{
    private static readonly HttpParserLimits Small = new()
    {
        MaxRequestLineLength = 64,
        MaxHeaderCount = 4,
        MaxHeaderBytes = 128,
        MaxRequestBodySize = 100,
        MaxChunkLineLength = 16,
        MaxTrailerCount = 2,
        MaxTrailerBytes = 40,
    };

    private static void AssertVerdict(string raw, RunOutcome outcome, RequestRejection rejection = RequestRejection.None)
    {
        var bytes = Encoding.Latin1.GetBytes(raw);
        var whole = ConnectionSimulator.RunRequests(bytes, limits: Small);
        Assert.True(whole.Outcome == outcome && whole.Rejection == rejection, whole.ToString());

        var byteWise = ConnectionSimulator.RunRequests(bytes, ConnectionSimulator.EveryByte(bytes.Length), Small);
        Assert.True(whole.SameAs(byteWise), $"{whole} vs {byteWise}");
    }

    private static string RequestLineOfLength(int length)
    {
        // "GET " + target + " HTTP/1.1\r\n" is 15 bytes around the target.
        return "GET /" + new string('a', length - 16) + " HTTP/1.1\r\n";
    }

    [Fact]
    public void RequestLine_AtTheLimit_IsAccepted() =>
        AssertVerdict(RequestLineOfLength(64) + "Host: a\r\n\r\n", RunOutcome.Complete);

    [Fact]
    public void RequestLine_OverTheLimit_Is414() =>
        AssertVerdict(RequestLineOfLength(65) + "Host: a\r\n\r\n", RunOutcome.Rejected, RequestRejection.RequestLineTooLong);

    [Fact]
    public void RequestLine_WithoutEndOverTheLimit_Is414BeforeTheLineEnds() =>
        AssertVerdict("GET /" + new string('a', 100), RunOutcome.Rejected, RequestRejection.RequestLineTooLong);

    [Fact]
    public void RequestLine_WithoutEndUnderTheLimit_WaitsForMore() =>
        AssertVerdict("GET /" + new string('a', 58), RunOutcome.Incomplete);

    [Fact]
    public void EmptyLinesBeforeTheRequestLine_CountTowardsItsLimit() =>
        AssertVerdict(string.Concat(Enumerable.Repeat("\r\n", 30)) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n", RunOutcome.Rejected, RequestRejection.RequestLineTooLong);

    [Fact]
    public void HeaderCount_AtTheLimit_IsAccepted() =>
        AssertVerdict("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", RunOutcome.Complete);

    [Fact]
    public void HeaderCount_OverTheLimit_Is431()
    {
        AssertVerdict("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", RunOutcome.Rejected, RequestRejection.TooManyHeaders);
        Assert.Equal(431, RequestRejection.TooManyHeaders.ToStatusCode());
    }

    [Fact]
    public void HeaderBytes_ExactlyAtTheLimit_IsAccepted()
    {
        // Host line 9 bytes + one line of 119 bytes = 128.
        AssertVerdict("GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', 114) + "\r\n\r\n", RunOutcome.Complete);
    }

    [Fact]
    public void HeaderBytes_OverTheLimit_Is431()
    {
        AssertVerdict("GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', 115) + "\r\n\r\n", RunOutcome.Rejected, RequestRejection.HeadersTooLarge);
        Assert.Equal(431, RequestRejection.HeadersTooLarge.ToStatusCode());
    }

    [Fact]
    public void HeaderLine_WithoutEndOverTheLimit_Is431BeforeTheLineEnds() =>
        AssertVerdict("GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', 500), RunOutcome.Rejected, RequestRejection.HeadersTooLarge);

    [Fact]
    public void ContentLength_OverTheBodyLimit_Is413Upfront()
    {
        AssertVerdict("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n", RunOutcome.Rejected, RequestRejection.BodyTooLarge);
        Assert.Equal(413, RequestRejection.BodyTooLarge.ToStatusCode());
    }

    [Fact]
    public void ContentLength_AtTheBodyLimit_IsAccepted() =>
        AssertVerdict("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n" + new string('b', 100), RunOutcome.Complete);

    [Fact]
    public void ChunkedBody_OverTheLimit_Is413WhileDecoding() =>
        AssertVerdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n32\r\n" + new string('b', 50) + "\r\n33\r\n", RunOutcome.Rejected, RequestRejection.BodyTooLarge);

    [Fact]
    public void ChunkedBody_AtTheLimit_IsAccepted() =>
        AssertVerdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n32\r\n" + new string('b', 50) + "\r\n32\r\n" + new string('c', 50) + "\r\n0\r\n\r\n", RunOutcome.Complete);

    [Fact]
    public void ChunkSizeLine_OverTheLimit_IsRefused() =>
        AssertVerdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=aaaaaaaaaaaaaaaa\r\nhello\r\n0\r\n\r\n", RunOutcome.Rejected, RequestRejection.ChunkLineTooLong);

    [Fact]
    public void ChunkSizeLine_WithoutEndOverTheLimit_IsRefusedBeforeTheLineEnds() =>
        AssertVerdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0000000000000000000000000005", RunOutcome.Rejected, RequestRejection.ChunkLineTooLong);

    [Fact]
    public void Trailers_OverTheCount_Are431() =>
        AssertVerdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", RunOutcome.Rejected, RequestRejection.TooManyTrailers);

    [Fact]
    public void Trailers_OverTheBytes_Are431() =>
        AssertVerdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: " + new string('x', 40) + "\r\n\r\n", RunOutcome.Rejected, RequestRejection.TrailersTooLarge);

    [Fact]
    public void Limits_RejectNonsenseWhereTheyAreSet()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpParserLimits { MaxRequestLineLength = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpParserLimits { MaxHeaderCount = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpParserLimits { MaxHeaderBytes = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpParserLimits { MaxRequestBodySize = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpParserLimits { MaxChunkLineLength = 2 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpParserLimits { MaxTrailerBytes = -1 });
    }
}
