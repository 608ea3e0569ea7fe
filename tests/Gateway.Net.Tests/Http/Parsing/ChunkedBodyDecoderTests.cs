using System.Buffers;
using System.Text;
using Gateway.Net.Http.Parsing;
using Gateway.Net.TestSupport;

namespace Gateway.Net.Http.Parsing.Tests;

public sealed class ChunkedBodyDecoderTests
{
    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    private static (BodyReadStatus Status, string Body, long Consumed, Recording Trailers, RequestRejection Rejection) DecodeAll(ReadOnlySequence<byte> input, HttpParserLimits? limits = null)
    {
        var decoder = new ChunkedBodyDecoder(limits ?? HttpParserLimits.Default, long.MaxValue);
        var recording = new Recording();
        var trailers = new RecordingTrailersHandler(recording);
        var reader = new SequenceReader<byte>(input);
        var body = new StringBuilder();
        BodyReadStatus status;
        while ((status = decoder.Read(ref reader, out var data, ref trailers)) == BodyReadStatus.Data)
        {
            Assert.False(data.IsEmpty);
            body.Append(Encoding.Latin1.GetString(data.ToArray()));
        }

        return (status, body.ToString(), reader.Consumed, recording, decoder.Rejection);
    }

    [Theory]
    [InlineData("5\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("A\r\n0123456789\r\n0\r\n\r\n", "0123456789")]
    [InlineData("a\r\n0123456789\r\n0\r\n\r\n", "0123456789")]
    [InlineData("000a\r\n0123456789\r\n000\r\n\r\n", "0123456789")]
    [InlineData("1;a=b\r\nx\r\n1;a=\"q;\\\"uoted\"\r\ny\r\n0;last\r\n\r\n", "xy")]
    [InlineData("1\t;\ta\r\nx\r\n0\r\n\r\n", "x")]
    [InlineData("0\r\n\r\n", "")]
    public void Decode_ProducesTheBody(string chunked, string body)
    {
        var result = DecodeAll(new ReadOnlySequence<byte>(Bytes(chunked)));
        Assert.Equal(BodyReadStatus.Completed, result.Status);
        Assert.Equal(body, result.Body);
        Assert.Equal(chunked.Length, result.Consumed);
    }

    [Fact]
    public void Decode_StopsAtTheEndOfTheBodyAndLeavesTheNextMessage()
    {
        var result = DecodeAll(new ReadOnlySequence<byte>(Bytes("3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n")));
        Assert.Equal(BodyReadStatus.Completed, result.Status);
        Assert.Equal("3\r\nabc\r\n0\r\n\r\n".Length, result.Consumed);
    }

    [Fact]
    public void Decode_HandsTrailersToTheHandler()
    {
        var result = DecodeAll(new ReadOnlySequence<byte>(Bytes("1\r\nx\r\n0\r\nContent-MD5: abc\r\nTE: trailers\r\n\r\n")));
        Assert.Equal([(KnownHeader.Unknown, "Content-MD5", "abc"), (KnownHeader.TE, "TE", "trailers")], result.Trailers.Trailers);
    }

    [Fact]
    public void Decode_ForwardsDataAsItArrivesWithoutWaitingForTheWholeChunk()
    {
        var decoder = new ChunkedBodyDecoder(HttpParserLimits.Default, long.MaxValue);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Bytes("A\r\n0123")));

        Assert.Equal(BodyReadStatus.Data, decoder.Read(ref reader, out var data));
        Assert.Equal("0123", Encoding.ASCII.GetString(data.ToArray()));
        Assert.Equal(BodyReadStatus.NeedMoreData, decoder.Read(ref reader, out _));
        Assert.Equal(7, reader.Consumed);

        reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Bytes("456789\r\n0\r\n\r\n")));
        Assert.Equal(BodyReadStatus.Data, decoder.Read(ref reader, out data));
        Assert.Equal("456789", Encoding.ASCII.GetString(data.ToArray()));
        Assert.Equal(BodyReadStatus.Completed, decoder.Read(ref reader, out _));
        Assert.True(decoder.IsCompleted);
        Assert.Equal(10, decoder.BodyLength);
    }

    [Fact]
    public void Decode_DataSlicesSpanSegmentsWithoutCopying()
    {
        var input = SegmentedSequence.Create(Bytes("8\r\nab"), Bytes("cd"), Bytes("efgh\r\n0\r\n\r\n"));
        var decoder = new ChunkedBodyDecoder(HttpParserLimits.Default, long.MaxValue);
        var reader = new SequenceReader<byte>(input);

        Assert.Equal(BodyReadStatus.Data, decoder.Read(ref reader, out var data));
        Assert.Equal("abcdefgh", Encoding.ASCII.GetString(data.ToArray()));
        Assert.False(data.IsSingleSegment);
        Assert.Equal(BodyReadStatus.Completed, decoder.Read(ref reader, out _));
    }

    [Fact]
    public void Decode_EverySplitPoint_GivesTheSameBody()
    {
        var bytes = Bytes("4;x=y\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n");
        var whole = DecodeAll(new ReadOnlySequence<byte>(bytes));
        Assert.Equal("Wikipedia in\r\n\r\nchunks.", whole.Body);

        for (int split = 0; split <= bytes.Length; split++)
        {
            var parted = DecodeAll(SegmentedSequence.Split(bytes, split));
            Assert.Equal(whole.Status, parted.Status);
            Assert.Equal(whole.Body, parted.Body);
            Assert.Equal(whole.Trailers.Trailers, parted.Trailers.Trailers);
        }

        var byteWise = DecodeAll(SegmentedSequence.OneBytePerSegment(bytes));
        Assert.Equal(whole.Body, byteWise.Body);
    }

    [Fact]
    public void Decode_EveryProperPrefix_NeedsMoreDataAndNeverRejects()
    {
        var bytes = Bytes("4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nA: b\r\n\r\n");
        for (int length = 0; length < bytes.Length; length++)
        {
            var result = DecodeAll(new ReadOnlySequence<byte>(bytes, 0, length));
            Assert.Equal(BodyReadStatus.NeedMoreData, result.Status);
        }
    }

    [Theory]
    [InlineData("5\r\nhelloXY", nameof(RequestRejection.InvalidChunkTerminator))]
    [InlineData("5\r\nhello\r", null)]
    [InlineData("5\r\nhelloX", nameof(RequestRejection.InvalidChunkTerminator))]
    [InlineData("Z\r\n", nameof(RequestRejection.InvalidChunkSize))]
    [InlineData("5;\u0000\r\n", nameof(RequestRejection.InvalidChunkExtension))]
    public void Decode_RefusesBadFramingAsSoonAsItIsCertain(string chunked, string? rejectionName)
    {
        RequestRejection? rejection = rejectionName is null ? null : Enum.Parse<RequestRejection>(rejectionName);
        var result = DecodeAll(new ReadOnlySequence<byte>(Bytes(chunked)));
        Assert.Equal(rejection is null ? BodyReadStatus.NeedMoreData : BodyReadStatus.Rejected, result.Status);
        Assert.Equal(rejection ?? RequestRejection.None, result.Rejection);
    }

    [Fact]
    public void Decode_MaxBodySizeIsCheckedOnTheDeclaredSizeBeforeTheData()
    {
        var decoder = new ChunkedBodyDecoder(HttpParserLimits.Default, maxBodySize: 10);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Bytes("B\r\n")));
        Assert.Equal(BodyReadStatus.Rejected, decoder.Read(ref reader, out _));
        Assert.Equal(RequestRejection.BodyTooLarge, decoder.Rejection);
    }
}
