using System.Buffers.Binary;
using Gateway.Storage.Binary;

namespace Gateway.Storage.Wal;

/// <summary>
/// The fixed header at the start of every segment file. Layout (little-endian, <see cref="Size"/> bytes):
/// <code>
/// 0  magic "GWWALSEG"     8 bytes
/// 8  format version       u16
/// 10 reserved (zero)      u16 + u32
/// 16 base revision        i64   revision of the first record the segment holds
/// 24 header CRC-32C       u32   over bytes [0, 24)
/// 28 reserved (zero)      u32
/// </code>
/// </summary>
internal readonly record struct WalSegmentHeader(long BaseRevision, ushort Version = WalFormat.Version)
{
    public const int Size = 32;

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        WalFormat.SegmentMagic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], WalFormat.Version);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], BaseRevision);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], Crc32C.Compute(destination[..24]));
    }

    /// <summary>Parses a header; returns a reason when the bytes are not a checksummed segment header.</summary>
    public static string? TryRead(ReadOnlySpan<byte> source, out WalSegmentHeader header)
    {
        header = default;
        if (source.Length < Size)
        {
            return "incomplete segment header";
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(source[24..]) != Crc32C.Compute(source[..24]) ||
            !source[..8].SequenceEqual(WalFormat.SegmentMagic))
        {
            return "segment header checksum mismatch";
        }

        header = new WalSegmentHeader(BinaryPrimitives.ReadInt64LittleEndian(source[16..]), BinaryPrimitives.ReadUInt16LittleEndian(source[8..]));
        return null;
    }
}
