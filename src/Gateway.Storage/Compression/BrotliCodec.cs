using System.IO.Compression;

namespace Gateway.Storage.Compression;

/// <summary>Whole-buffer Brotli compression from the base library: the fallback when LZ4 is unavailable.</summary>
internal static class BrotliCodec
{
    // Quality 5 with a 4 MiB window: close to LZ4's speed class while still compressing JSON well.
    private const int Quality = 5;
    private const int Window = 22;

    public static byte[] Compress(ReadOnlySpan<byte> source, out int length)
    {
        var destination = GC.AllocateUninitializedArray<byte>(BrotliEncoder.GetMaxCompressedLength(source.Length));
        if (!BrotliEncoder.TryCompress(source, destination, out length, Quality, Window))
        {
            throw new InvalidOperationException("Brotli compression of the snapshot body failed.");
        }

        return destination;
    }

    public static void Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        using var decoder = new BrotliDecoder();
        var status = decoder.Decompress(source, destination, out var consumed, out var written);
        if (status == System.Buffers.OperationStatus.DestinationTooSmall && written == destination.Length)
        {
            // A full destination (always the case for an empty body) is reported as too small until the decoder has
            // also read the end of the stream; one more call with spare room tells a proper end from surplus content.
            Span<byte> spare = stackalloc byte[1];
            status = decoder.Decompress(source[consumed..], spare, out var moreConsumed, out var surplus);
            consumed += moreConsumed;
            written += surplus;
        }

        if (status != System.Buffers.OperationStatus.Done || consumed != source.Length || written != destination.Length)
        {
            throw new InvalidDataException($"Brotli body is invalid ({status}, {written} of {destination.Length} bytes from {consumed} of {source.Length}).");
        }
    }
}
