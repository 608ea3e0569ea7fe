using Gateway.Storage.Binary;
using Gateway.Storage.Compression;
using Gateway.Storage.Recovery;
using Gateway.Store;

namespace Gateway.Storage.Snapshots;

/// <summary>What a snapshot write produced.</summary>
internal readonly record struct SnapshotWriteResult(string Path, long Revision, CompressionCodec Codec, long EntryCount, long BodyLength, long FileLength);

/// <summary>Writes and reads whole snapshot files.</summary>
internal static class SnapshotFile
{
    /// <summary>
    /// Writes the state to <paramref name="temporaryPath"/>, makes it durable and renames it to <paramref name="path"/>.
    /// The rename is atomic, so a reader sees either no file or a complete one; the caller flushes the directory so the
    /// rename itself survives a crash.
    /// </summary>
    public static SnapshotWriteResult Write(string path, string temporaryPath, InMemoryResourceStore.State state, CompressionCodec codec)
    {
        var body = new GrowableBuffer(64 * 1024);
        var count = SnapshotBody.Write(body, state);
        var compressed = SnapshotCompression.Compress(codec, body.WrittenSpan, out var compressedLength);
        var compressedSpan = compressed.AsSpan(0, compressedLength);
        var header = new SnapshotHeader(
            SnapshotHeader.CurrentVersion,
            codec,
            state.Revision,
            count,
            body.WrittenCount,
            compressedLength,
            Crc32C.Compute(compressedSpan),
            Crc32C.Compute(body.WrittenSpan));
        Span<byte> headerBytes = stackalloc byte[SnapshotHeader.Size];
        header.Write(headerBytes);

        using (var stream = new FileStream(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Write(headerBytes);
            stream.Write(compressedSpan);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporaryPath, path, overwrite: true);
        return new SnapshotWriteResult(path, state.Revision, codec, count, body.WrittenCount, SnapshotHeader.Size + compressedLength);
    }

    /// <summary>Reads and verifies a snapshot. Damage throws <see cref="StoreCorruptedException"/>.</summary>
    public static (InMemoryResourceStore.State State, SnapshotHeader Header) Read(string path, long expectedRevision)
    {
        var data = File.ReadAllBytes(path);
        var problem = SnapshotHeader.TryRead(data, out var header);
        if (problem is not null)
        {
            throw new StoreCorruptedException(path, 0, problem);
        }

        if (header.Version != SnapshotHeader.CurrentVersion)
        {
            throw new StoreCorruptedException(path, 0, $"unsupported snapshot format version {header.Version} (this build reads {SnapshotHeader.CurrentVersion})");
        }

        if (header.Revision != expectedRevision)
        {
            throw new StoreCorruptedException(path, 0, $"the header names revision {header.Revision} but the file name says {expectedRevision}");
        }

        if (header.CompressedLength != data.Length - SnapshotHeader.Size || header.BodyLength is < 0 or > int.MaxValue || header.EntryCount < 0)
        {
            throw new StoreCorruptedException(path, SnapshotHeader.Size, $"the body is {data.Length - SnapshotHeader.Size} bytes but the header says {header.CompressedLength}");
        }

        var compressed = data.AsSpan(SnapshotHeader.Size);
        if (Crc32C.Compute(compressed) != header.CompressedCrc)
        {
            throw new StoreCorruptedException(path, SnapshotHeader.Size, "snapshot body checksum mismatch");
        }

        var body = GC.AllocateUninitializedArray<byte>((int)header.BodyLength);
        try
        {
            SnapshotCompression.Decompress(header.Codec, compressed, body);
        }
        catch (InvalidDataException ex)
        {
            throw new StoreCorruptedException(path, SnapshotHeader.Size, ex.Message, ex);
        }

        if (Crc32C.Compute(body) != header.BodyCrc)
        {
            throw new StoreCorruptedException(path, SnapshotHeader.Size, "decompressed body checksum mismatch");
        }

        problem = SnapshotBody.TryRead(body, header.Revision, header.EntryCount, out var state, out var errorOffset);
        if (problem is not null)
        {
            // The offset is inside the decompressed body; say so rather than pretend it is a file offset.
            throw new StoreCorruptedException(path, SnapshotHeader.Size, $"{problem} (at offset {errorOffset} of the decompressed body)");
        }

        return (state, header);
    }
}
