using Gateway.Storage.Binary;
using Gateway.Storage.Recovery;

namespace Gateway.Storage.Wal;

/// <summary>One checksummed record read back from a segment.</summary>
/// <param name="Offset">The record's offset in its segment file.</param>
/// <param name="Revision">The commit's revision.</param>
/// <param name="Payload">The encoded operations.</param>
internal readonly record struct WalRecord(long Offset, long Revision, ReadOnlyMemory<byte> Payload);

/// <summary>The valid records of one segment, and where a torn tail starts if it has one.</summary>
internal sealed class WalSegmentContents
{
    public required List<WalRecord> Records { get; init; }

    /// <summary>The number of leading bytes that hold the header and valid records; the rest is a torn tail.</summary>
    public required long ValidLength { get; init; }

    /// <summary>Why the bytes after <see cref="ValidLength"/> were rejected, or null when the segment ends cleanly.</summary>
    public string? TornTailReason { get; init; }

    /// <summary>Whether the segment header itself is torn, so the file must be rewritten from scratch.</summary>
    public bool HeaderTorn { get; init; }
}

/// <summary>
/// Reads a segment and classifies damage. The rule that separates a torn final write from corruption:
/// <list type="bullet">
/// <item>Damage is a <b>torn tail</b> only in the newest segment and only when no checksummed record after it belongs
/// to a later flush group. Such bytes were never covered by a completed flush, so no commit in them was acknowledged
/// (in <see cref="Embedded.WalSyncMode.Always"/> mode).</item>
/// <item>A valid record after the damage whose flush group starts after the damaged revision was written after a
/// completed flush, so the damaged record had been durable: that is <b>corruption</b> and
/// <see cref="StoreCorruptedException"/> is thrown. Damage in any older segment is corruption too, because a segment
/// is flushed completely before the next one is created.</item>
/// </list>
/// </summary>
internal static class WalSegmentReader
{
    public static WalSegmentContents Read(string path, ReadOnlyMemory<byte> file, long baseRevision, bool isNewestSegment)
    {
        var data = file.Span;
        var headerProblem = WalSegmentHeader.TryRead(data, out var segmentHeader);
        if (headerProblem is not null)
        {
            // The header is flushed before any record is appended, so any valid record behind a bad header proves damage.
            if (!isNewestSegment || FindLaterFlushGroup(data, 0, baseRevision - 1, anyRecord: true) >= 0)
            {
                throw new StoreCorruptedException(path, 0, headerProblem);
            }

            return new WalSegmentContents { Records = [], ValidLength = 0, TornTailReason = headerProblem, HeaderTorn = true };
        }

        if (segmentHeader.Version != WalFormat.Version)
        {
            throw new StoreCorruptedException(path, 0, $"unsupported write-ahead log format version {segmentHeader.Version} (this build reads {WalFormat.Version})");
        }

        if (segmentHeader.BaseRevision != baseRevision)
        {
            throw new StoreCorruptedException(path, 0, $"the segment header names base revision {segmentHeader.BaseRevision} but the file name says {baseRevision}");
        }

        var records = new List<WalRecord>();
        var offset = WalSegmentHeader.Size;
        var expected = baseRevision;
        while (offset < data.Length)
        {
            var remaining = data[offset..];
            string problem;
            int resumeScanAt;
            if (remaining.Length < WalRecordHeader.Size)
            {
                problem = "incomplete record header";
                resumeScanAt = data.Length;
            }
            else if (!WalRecordHeader.TryRead(remaining, out var header))
            {
                problem = "record header checksum mismatch";
                resumeScanAt = offset + 1;
            }
            else
            {
                var version = WalRecordHeader.VersionOf(remaining);
                if (version != WalFormat.Version || header.Type != WalRecordType.Commit)
                {
                    throw new StoreCorruptedException(path, offset, $"unsupported record (format version {version}, type {(byte)header.Type})");
                }

                if (header.PayloadLength is < 0 or > WalFormat.MaxPayloadLength)
                {
                    throw new StoreCorruptedException(path, offset, $"invalid record length {header.PayloadLength}");
                }

                var end = (long)offset + WalRecordHeader.Size + header.PayloadLength;
                if (end > data.Length)
                {
                    // A trustworthy header whose payload runs past the end: the write was cut short.
                    problem = "record extends past the end of the file";
                    resumeScanAt = data.Length;
                }
                else if (Crc32C.Compute(remaining.Slice(WalRecordHeader.Size, header.PayloadLength)) != header.PayloadCrc)
                {
                    problem = "record payload checksum mismatch";
                    resumeScanAt = (int)end;
                }
                else
                {
                    if (header.Revision != expected)
                    {
                        throw new StoreCorruptedException(path, offset, $"expected revision {expected} but the record holds revision {header.Revision}");
                    }

                    records.Add(new WalRecord(offset, header.Revision, file.Slice(offset + WalRecordHeader.Size, header.PayloadLength)));
                    offset = (int)end;
                    expected++;
                    continue;
                }
            }

            if (!isNewestSegment)
            {
                throw new StoreCorruptedException(path, offset, problem + " in a segment that was already complete");
            }

            var proof = FindLaterFlushGroup(data, resumeScanAt, expected - 1, anyRecord: false);
            if (proof >= 0)
            {
                throw new StoreCorruptedException(path, offset, $"{problem}; a valid record of a later flush follows at offset {proof}, so this data had been acknowledged");
            }

            return new WalSegmentContents { Records = records, ValidLength = offset, TornTailReason = problem };
        }

        return new WalSegmentContents { Records = records, ValidLength = offset };
    }

    /// <summary>
    /// Scans byte by byte from <paramref name="from"/> for a checksummed record newer than <paramref name="lastGoodRevision"/>
    /// whose flush group started after the damaged record (or any such record when <paramref name="anyRecord"/>).
    /// Runs only on the damaged path, so its cost does not matter for normal start-up.
    /// </summary>
    private static long FindLaterFlushGroup(ReadOnlySpan<byte> data, int from, long lastGoodRevision, bool anyRecord)
    {
        for (var q = Math.Max(from, 0); q + WalRecordHeader.Size <= data.Length; q++)
        {
            var candidate = data[q..];
            if (!WalRecordHeader.LooksLikeHeader(candidate) || !WalRecordHeader.TryRead(candidate, out var header))
            {
                continue;
            }

            if (header.PayloadLength is < 0 or > WalFormat.MaxPayloadLength ||
                (long)q + WalRecordHeader.Size + header.PayloadLength > data.Length ||
                Crc32C.Compute(candidate.Slice(WalRecordHeader.Size, header.PayloadLength)) != header.PayloadCrc)
            {
                continue;
            }

            if (header.Revision > lastGoodRevision && (anyRecord || header.FlushGroupStart > lastGoodRevision + 1))
            {
                return q;
            }
        }

        return -1;
    }
}
