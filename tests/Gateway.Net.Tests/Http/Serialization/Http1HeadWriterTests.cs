using System.Buffers;
using System.Text;
using Gateway.Net.Http.Parsing;
using Gateway.Net.Http.Serialization;

namespace Gateway.Net.Http.Serialization.Tests;

public sealed class Http1HeadWriterTests
{
    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    [Fact]
    public void RequestHead_IsWrittenInWireFormat()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new Http1HeadWriter(output);
        writer.WriteRequestLine(KnownMethod.Post, "/a?b=1"u8, HttpProtocolVersion.Http11);
        writer.WriteHeader(KnownHeaders.Host, "example.com"u8);
        writer.WriteContentLength(1234567890123);
        writer.WriteEndOfHead();
        writer.Commit();

        Assert.Equal("POST /a?b=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 1234567890123\r\n\r\n", Text(output.WrittenSpan));
    }

    [Theory]
    [InlineData(200, "HTTP/1.1 200 OK\r\n")]
    [InlineData(404, "HTTP/1.1 404 Not Found\r\n")]
    [InlineData(431, "HTTP/1.1 431 Request Header Fields Too Large\r\n")]
    [InlineData(505, "HTTP/1.1 505 HTTP Version Not Supported\r\n")]
    [InlineData(299, "HTTP/1.1 299 \r\n")]
    [InlineData(799, "HTTP/1.1 799 \r\n")]
    public void StatusLine_UsesPrecomputedLinesOrAnEmptyReason(int code, string expected)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new Http1HeadWriter(output);
        writer.WriteStatusLine(code);
        writer.Commit();
        Assert.Equal(expected, Text(output.WrittenSpan));
    }

    [Fact]
    public void StatusLine_WithCustomReasonAndVersion()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new Http1HeadWriter(output);
        writer.WriteStatusLine(HttpProtocolVersion.Http10, 201, "Made"u8);
        writer.WriteTransferEncodingChunked();
        writer.WriteConnectionClose();
        writer.WriteEndOfHead();
        writer.Commit();
        Assert.Equal("HTTP/1.0 201 Made\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", Text(output.WrittenSpan));
    }

    [Fact]
    public void ReasonPhrases_MatchThePrecomputedLines()
    {
        Assert.Equal("Bad Gateway", Text(HttpStatusLines.GetReasonPhrase(502)));
        Assert.Equal("", Text(HttpStatusLines.GetReasonPhrase(299)));
    }

    [Fact]
    public void Writer_WorksWhenTheOutputHandsOutTinySpans()
    {
        var output = new TinySpanWriter(3);
        var writer = new Http1HeadWriter(output);
        writer.WriteRequestLine("PURGE"u8, "/cache/key"u8, HttpProtocolVersion.Http10);
        writer.WriteHeader("X-Long"u8, Encoding.ASCII.GetBytes(new string('v', 100)));
        writer.WriteHeader("X-Number"u8, -42);
        writer.WriteEndOfHead();
        writer.Commit();

        Assert.Equal("PURGE /cache/key HTTP/1.0\r\nX-Long: " + new string('v', 100) + "\r\nX-Number: -42\r\n\r\n", Text(output.Written));
    }

    [Fact]
    public void ChunkFraming_IsHexWithCrlf()
    {
        var output = new ArrayBufferWriter<byte>();
        Http1ChunkWriter.WriteChunkHeader(output, 0x1A2B);
        output.Write("data"u8);
        Http1ChunkWriter.WriteChunkEnd(output);
        Http1ChunkWriter.WriteLastChunkWithoutTrailers(output);
        Assert.Equal("1A2B\r\ndata\r\n0\r\n\r\n", Text(output.WrittenSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => Http1ChunkWriter.WriteChunkHeader(output, 0));
    }

    [Fact]
    public void Writing_AHead_DoesNotAllocate()
    {
        var output = new ArrayBufferWriter<byte>(4096);
        WriteHead(output);
        output.ResetWrittenCount();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            WriteHead(output);
            output.ResetWrittenCount();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void WriteHead(ArrayBufferWriter<byte> output)
        {
            var writer = new Http1HeadWriter(output);
            writer.WriteStatusLine(200);
            writer.WriteHeader(KnownHeaders.ContentType, "application/json"u8);
            writer.WriteContentLength(12345);
            writer.WriteEndOfHead();
            writer.Commit();
        }
    }

    /// <summary>An output that never offers more than the size hint (or a few bytes), to force the writer to flush often.</summary>
    private sealed class TinySpanWriter(int chunk) : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public byte[] Written => _written.ToArray();

        public void Advance(int count) => _written.AddRange(_current.AsSpan(0, count).ToArray());

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, chunk)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
