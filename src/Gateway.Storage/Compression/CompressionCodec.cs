namespace Gateway.Storage.Compression;

/// <summary>The codec of a snapshot body, recorded in the snapshot header. Persisted: existing values must never change.</summary>
internal enum CompressionCodec : byte
{
    /// <summary>LZ4 frame format (readable by the <c>lz4</c> command line tool).</summary>
    Lz4Frame = 1,

    /// <summary>Brotli, used when the native LZ4 library cannot be loaded or is not wanted.</summary>
    Brotli = 2,
}
