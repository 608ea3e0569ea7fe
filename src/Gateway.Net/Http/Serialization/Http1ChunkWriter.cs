using System.Buffers;
using System.Buffers.Text;

namespace Gateway.Net.Http.Serialization;

/// <summary>Chunked transfer-coding framing for bodies the gateway re-chunks on the way out.</summary>
internal static class Http1ChunkWriter
{
    private static readonly StandardFormat Hex = new('X');

    /// <summary>"{size in hex}\r\n" before <paramref name="size"/> bytes of chunk data.</summary>
    public static void WriteChunkHeader(IBufferWriter<byte> output, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var span = output.GetSpan(18);
        Utf8Formatter.TryFormat(size, span, out int written, Hex);
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        output.Advance(written);
    }

    /// <summary>The CRLF after chunk data.</summary>
    public static void WriteChunkEnd(IBufferWriter<byte> output) => output.Write("\r\n"u8);

    /// <summary>The last chunk; trailer fields (if any) and the final CRLF follow.</summary>
    public static void WriteLastChunk(IBufferWriter<byte> output) => output.Write("0\r\n"u8);

    /// <summary>The last chunk with no trailers: the body is complete.</summary>
    public static void WriteLastChunkWithoutTrailers(IBufferWriter<byte> output) => output.Write("0\r\n\r\n"u8);
}
