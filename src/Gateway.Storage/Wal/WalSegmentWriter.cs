using Microsoft.Win32.SafeHandles;

namespace Gateway.Storage.Wal;

/// <summary>
/// The open, newest segment file. Appends and flushes are separate steps so that one flush can cover the records of
/// many commits (group commit). Only the store's writer loop calls into it.
/// </summary>
internal sealed class WalSegmentWriter : IDisposable
{
    private readonly SafeFileHandle _handle;

    private WalSegmentWriter(SafeFileHandle handle, string path, long baseRevision, long length)
    {
        _handle = handle;
        Path = path;
        BaseRevision = baseRevision;
        Length = length;
    }

    public string Path { get; }

    public long BaseRevision { get; }

    /// <summary>The number of bytes written so far (header included).</summary>
    public long Length { get; private set; }

    /// <summary>Whether any record was appended after the header.</summary>
    public bool HasRecords => Length > WalSegmentHeader.Size;

    /// <summary>Creates a new segment and makes its header durable. The caller flushes the directory.</summary>
    public static WalSegmentWriter Create(string path, long baseRevision)
    {
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            Span<byte> header = stackalloc byte[WalSegmentHeader.Size];
            new WalSegmentHeader(baseRevision).Write(header);
            RandomAccess.Write(handle, header, 0);
            RandomAccess.FlushToDisk(handle);
            return new WalSegmentWriter(handle, path, baseRevision, WalSegmentHeader.Size);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing segment for appending after its last valid record, cutting off a torn tail first.
    /// A segment whose header is torn is rewritten from scratch.
    /// </summary>
    public static WalSegmentWriter OpenForAppend(string path, long baseRevision, long validLength)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var length = validLength;
            if (validLength < WalSegmentHeader.Size)
            {
                RandomAccess.SetLength(handle, 0);
                Span<byte> header = stackalloc byte[WalSegmentHeader.Size];
                new WalSegmentHeader(baseRevision).Write(header);
                RandomAccess.Write(handle, header, 0);
                length = WalSegmentHeader.Size;
                RandomAccess.FlushToDisk(handle);
            }
            else if (RandomAccess.GetLength(handle) != validLength)
            {
                RandomAccess.SetLength(handle, validLength);
                RandomAccess.FlushToDisk(handle);
            }

            return new WalSegmentWriter(handle, path, baseRevision, length);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Writes encoded records after the current end; not durable until <see cref="Flush"/>.</summary>
    public void Append(ReadOnlySpan<byte> records)
    {
        RandomAccess.Write(_handle, records, Length);
        Length += records.Length;
    }

    /// <summary>
    /// Best effort after a failed append or flush: cuts the file back so the records of commits that were reported as
    /// failed do not reappear at the next start-up. Returns false when even that fails.
    /// </summary>
    public bool TryTruncate(long length)
    {
        try
        {
            RandomAccess.SetLength(_handle, length);
            RandomAccess.FlushToDisk(_handle);
            Length = length;
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Makes everything appended so far durable (fsync).</summary>
    public void Flush() => RandomAccess.FlushToDisk(_handle);

    public void Dispose() => _handle.Dispose();
}
