using System.Buffers.Binary;
using Gateway.Storage.Binary;

namespace Gateway.Storage.Wal;

/// <summary>
/// The fixed header in front of every record. Layout (little-endian, <see cref="Size"/> bytes):
/// <code>
/// 0  payload length       u32
/// 4  format version       u16
/// 6  record type          u8    <see cref="WalRecordType"/>
/// 7  flags (zero)         u8
/// 8  revision             i64   the commit's revision
/// 16 flush group start    i64   first revision written since the last completed flush
/// 24 payload CRC-32C      u32
/// 28 header CRC-32C       u32   over bytes [0, 28)
/// </code>
/// The header has its own checksum so that a valid header can be trusted for the length even when the payload is
/// damaged. The flush group start lets recovery tell a torn final write (damage inside the last flush group) from
/// damage to data that an earlier, completed flush had already made durable.
/// </summary>
internal readonly record struct WalRecordHeader(int PayloadLength, WalRecordType Type, long Revision, long FlushGroupStart, uint PayloadCrc)
{
    public const int Size = 32;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, PayloadLength);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], WalFormat.Version);
        destination[6] = (byte)Type;
        destination[7] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], Revision);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], FlushGroupStart);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], PayloadCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], Crc32C.Compute(destination[..28]));
    }

    /// <summary>Cheap pre-check used while scanning damaged regions: version and type bytes look like a record.</summary>
    public static bool LooksLikeHeader(ReadOnlySpan<byte> source) =>
        source.Length >= Size &&
        BinaryPrimitives.ReadUInt16LittleEndian(source[4..]) == WalFormat.Version &&
        source[6] == (byte)WalRecordType.Commit &&
        source[7] == 0;

    /// <summary>Whether the header checksum matches; says nothing about the payload.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out WalRecordHeader header)
    {
        header = default;
        if (source.Length < Size || BinaryPrimitives.ReadUInt32LittleEndian(source[28..]) != Crc32C.Compute(source[..28]))
        {
            return false;
        }

        header = new WalRecordHeader(
            BinaryPrimitives.ReadInt32LittleEndian(source),
            (WalRecordType)source[6],
            BinaryPrimitives.ReadInt64LittleEndian(source[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[24..]));
        return true;
    }

    /// <summary>The format version of a header whose checksum matched.</summary>
    public static ushort VersionOf(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt16LittleEndian(source[4..]);
}
