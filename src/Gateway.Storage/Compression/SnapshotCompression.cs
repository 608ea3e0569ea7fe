using Gateway.Storage.Embedded;

namespace Gateway.Storage.Compression;

/// <summary>Picks the codec for new snapshots and dispatches on the codec recorded in existing ones.</summary>
internal static class SnapshotCompression
{
    /// <summary>The codec new snapshots use: LZ4 when preferred and loadable, otherwise Brotli.</summary>
    public static CompressionCodec Choose(SnapshotCodecPreference preference) =>
        preference == SnapshotCodecPreference.Lz4 && Lz4Native.IsAvailable ? CompressionCodec.Lz4Frame : CompressionCodec.Brotli;

    public static byte[] Compress(CompressionCodec codec, ReadOnlySpan<byte> body, out int length) => codec switch
    {
        CompressionCodec.Lz4Frame => Lz4FrameCodec.Compress(body, out length),
        CompressionCodec.Brotli => BrotliCodec.Compress(body, out length),
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "Unknown snapshot codec."),
    };

    /// <summary>Decompresses a body; throws <see cref="InvalidDataException"/> for bad data.</summary>
    public static void Decompress(CompressionCodec codec, ReadOnlySpan<byte> compressed, Span<byte> body)
    {
        switch (codec)
        {
            case CompressionCodec.Lz4Frame:
                if (!Lz4Native.IsAvailable)
                {
                    throw new NotSupportedException(
                        $"The snapshot is LZ4-compressed but the native library '{Lz4Native.LibraryName}' cannot be loaded. Install it (Debian/Ubuntu: liblz4-1).");
                }

                Lz4FrameCodec.Decompress(compressed, body);
                break;
            case CompressionCodec.Brotli:
                BrotliCodec.Decompress(compressed, body);
                break;
            default:
                throw new InvalidDataException($"Unknown snapshot codec {(byte)codec}.");
        }
    }
}
