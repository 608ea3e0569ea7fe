using System.IO.Compression;
using Gateway.Storage.Compression;

namespace Gateway.Storage.Compression.Tests;

public sealed class Lz4FrameCodecTests
{
    public static TheoryData<int, bool> Sizes => new()
    {
        { 0, true }, { 1, true }, { 100, false }, { 65_535, true }, { 65_536, false }, { 1_000_003, true }, { 300_000, false },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Lz4_RoundTrips(int size, bool compressible)
    {
        Assert.True(Lz4Native.IsAvailable, $"{Lz4Native.LibraryName} must be installed (Debian: liblz4-1).");
        var data = Data(size, compressible);

        var compressed = Lz4FrameCodec.Compress(data, out var length);
        var restored = new byte[size];
        Lz4FrameCodec.Decompress(compressed.AsSpan(0, length), restored);

        Assert.Equal(data, restored);
        if (compressible && size > 1000)
        {
            Assert.True(length < size / 2);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Brotli_RoundTrips(int size, bool compressible)
    {
        var data = Data(size, compressible);

        var compressed = BrotliCodec.Compress(data, out var length);
        var restored = new byte[size];
        BrotliCodec.Decompress(compressed.AsSpan(0, length), restored);

        Assert.Equal(data, restored);
    }

    [Fact]
    public void Lz4_TruncatedFrame_IsRejected()
    {
        var data = Data(50_000, compressible: true);
        var compressed = Lz4FrameCodec.Compress(data, out var length);

        Assert.Throws<InvalidDataException>(() => Lz4FrameCodec.Decompress(compressed.AsSpan(0, length - 9), new byte[data.Length]));
        Assert.Throws<InvalidDataException>(() => Lz4FrameCodec.Decompress(compressed.AsSpan(0, length), new byte[data.Length - 1]));
        Assert.Throws<InvalidDataException>(() => Lz4FrameCodec.Decompress(compressed.AsSpan(0, length), new byte[data.Length + 1]));
    }

    [Fact]
    public void Lz4_DamagedFrame_IsRejectedByItsContentChecksum()
    {
        var data = Data(50_000, compressible: false);
        var compressed = Lz4FrameCodec.Compress(data, out var length);
        compressed[length / 2] ^= 0x10;

        Assert.Throws<InvalidDataException>(() => Lz4FrameCodec.Decompress(compressed.AsSpan(0, length), new byte[data.Length]));
    }

    [Fact]
    public void Brotli_TruncatedBody_IsRejected()
    {
        var data = Data(50_000, compressible: true);
        var compressed = BrotliCodec.Compress(data, out var length);

        Assert.Throws<InvalidDataException>(() => BrotliCodec.Decompress(compressed.AsSpan(0, length - 3), new byte[data.Length]));
    }

    [Fact]
    public void Choose_HonoursThePreference()
    {
        Assert.Equal(CompressionCodec.Brotli, SnapshotCompression.Choose(Embedded.SnapshotCodecPreference.Brotli));
        Assert.Equal(
            Lz4Native.IsAvailable ? CompressionCodec.Lz4Frame : CompressionCodec.Brotli,
            SnapshotCompression.Choose(Embedded.SnapshotCodecPreference.Lz4));
    }

    private static byte[] Data(int size, bool compressible)
    {
        var random = new Random(size);
        var data = new byte[size];
        if (compressible)
        {
            var words = "{\"id\":\"0123456789abcdef\",\"name\":\"api\",\"path\":\"/v1/items\",\"method\":\"GET\"}"u8;
            for (var i = 0; i < size; i++)
            {
                data[i] = random.Next(50) == 0 ? (byte)random.Next(256) : words[i % words.Length];
            }
        }
        else
        {
            random.NextBytes(data);
        }

        return data;
    }
}
