using System.Buffers.Binary;
using Gateway.Storage.Binary;
using Gateway.Storage.Compression;

namespace Gateway.Storage.Snapshots;

/// <summary>
/// The fixed header of a snapshot file; the compressed body follows it directly. Layout (little-endian, <see cref="Size"/> bytes):
/// <code>
/// 0  magic "GWSNAPSH"        8 bytes
/// 8  format version          u16
/// 10 codec                   u8    <see cref="CompressionCodec"/>
/// 11 reserved (zero)         u8 + u32
/// 16 revision                i64   the store revision the snapshot captures
/// 24 entry count             i64
/// 32 body length             i64   uncompressed
/// 40 compressed body length  i64
/// 48 compressed body CRC-32C u32
/// 52 body CRC-32C            u32   of the uncompressed body, so a codec fault cannot pass unnoticed
/// 56 reserved (zero)         u32
/// 60 header CRC-32C          u32   over bytes [0, 60)
/// </code>
/// </summary>
internal readonly record struct SnapshotHeader(
    ushort Version,
    CompressionCodec Codec,
    long Revision,
    long EntryCount,
    long BodyLength,
    long CompressedLength,
    uint CompressedCrc,
    uint BodyCrc)
{
    public const int Size = 64;

    /// <summary>The snapshot format version this build writes and reads.</summary>
    public const ushort CurrentVersion = 1;

    public static ReadOnlySpan<byte> Magic => "GWSNAPSH"u8;

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], Version);
        destination[10] = (byte)Codec;
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], Revision);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], EntryCount);
        BinaryPrimitives.WriteInt64LittleEndian(destination[32..], BodyLength);
        BinaryPrimitives.WriteInt64LittleEndian(destination[40..], CompressedLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[48..], CompressedCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[52..], BodyCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[60..], Crc32C.Compute(destination[..60]));
    }

    /// <summary>Parses a header; returns a reason when the bytes are not a checksummed snapshot header.</summary>
    public static string? TryRead(ReadOnlySpan<byte> source, out SnapshotHeader header)
    {
        header = default;
        if (source.Length < Size)
        {
            return "incomplete snapshot header";
        }

        if (!source[..8].SequenceEqual(Magic) || BinaryPrimitives.ReadUInt32LittleEndian(source[60..]) != Crc32C.Compute(source[..60]))
        {
            return "snapshot header checksum mismatch";
        }

        header = new SnapshotHeader(
            BinaryPrimitives.ReadUInt16LittleEndian(source[8..]),
            (CompressionCodec)source[10],
            BinaryPrimitives.ReadInt64LittleEndian(source[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[32..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[40..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[48..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[52..]));
        return null;
    }
}
