namespace Gateway.Storage.Wal;

/// <summary>Constants of the write-ahead log format. Persisted: bump <see cref="Version"/> instead of changing a layout.</summary>
internal static class WalFormat
{
    /// <summary>The format version written into segment and record headers.</summary>
    public const ushort Version = 1;

    /// <summary>The largest payload one record may carry; a larger length in a checksummed header is a format error.</summary>
    public const int MaxPayloadLength = 256 * 1024 * 1024;

    /// <summary>"GWWALSEG": the first eight bytes of every segment file.</summary>
    public static ReadOnlySpan<byte> SegmentMagic => "GWWALSEG"u8;
}
