namespace Gateway.Storage.Compression;

/// <summary>Whole-buffer LZ4 frame compression through <see cref="Lz4Native"/>.</summary>
internal static unsafe class Lz4FrameCodec
{
    /// <summary>Compresses <paramref name="source"/> into one frame that records its content size and a content checksum.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> source, out int length)
    {
        var preferences = new Lz4Native.Preferences
        {
            ContentChecksumFlag = 1,
            ContentSize = (ulong)source.Length,
        };

        var bound = Lz4Native.LZ4F_compressFrameBound((nuint)source.Length, &preferences);
        ThrowIfError(bound);
        if (bound > (nuint)Array.MaxLength)
        {
            throw new InvalidOperationException($"A snapshot body of {source.Length} bytes is too large to compress in one frame.");
        }

        var destination = GC.AllocateUninitializedArray<byte>((int)bound);
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            var written = Lz4Native.LZ4F_compressFrame(dst, bound, src, (nuint)source.Length, &preferences);
            ThrowIfError(written);
            length = (int)written;
        }

        return destination;
    }

    /// <summary>Decompresses one frame that must fill <paramref name="destination"/> exactly and consume all of <paramref name="source"/>.</summary>
    public static void Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        nint context;
        ThrowIfError(Lz4Native.LZ4F_createDecompressionContext(&context, Lz4Native.FrameApiVersion));
        try
        {
            fixed (byte* src = source)
            fixed (byte* dst = destination)
            {
                nuint consumed = 0;
                nuint produced = 0;
                while (true)
                {
                    var srcSize = (nuint)source.Length - consumed;
                    var dstSize = (nuint)destination.Length - produced;
                    var hint = Lz4Native.LZ4F_decompress(context, dst + produced, &dstSize, src + consumed, &srcSize, null);
                    if (Lz4Native.LZ4F_isError(hint) != 0)
                    {
                        throw new InvalidDataException($"LZ4 frame is invalid: {Lz4Native.ErrorName(hint)}.");
                    }

                    consumed += srcSize;
                    produced += dstSize;
                    if (hint == 0)
                    {
                        break;
                    }

                    if (srcSize == 0 && dstSize == 0)
                    {
                        // No progress: the input ended early or the content is larger than recorded.
                        throw new InvalidDataException("LZ4 frame is truncated or larger than the recorded body length.");
                    }
                }

                if (consumed != (nuint)source.Length || produced != (nuint)destination.Length)
                {
                    throw new InvalidDataException($"LZ4 frame decoded to {produced} bytes from {consumed} of {source.Length} input bytes; expected {destination.Length}.");
                }
            }
        }
        finally
        {
            Lz4Native.LZ4F_freeDecompressionContext(context);
        }
    }

    private static void ThrowIfError(nuint code)
    {
        if (Lz4Native.LZ4F_isError(code) != 0)
        {
            throw new InvalidOperationException($"LZ4 frame operation failed: {Lz4Native.ErrorName(code)}.");
        }
    }
}
