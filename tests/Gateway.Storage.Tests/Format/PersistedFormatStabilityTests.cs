using Gateway.Storage.Compression;
using Gateway.Storage.Embedded;
using Gateway.Storage.Snapshots;
using Gateway.Storage.TestSupport;
using Gateway.Storage.Wal;
using Gateway.Store;
using static Gateway.Storage.TestSupport.StoreContents;

namespace Gateway.Storage.Format.Tests;

/// <summary>
/// Guards the on-disk format. The folders under <c>Data/format-v1</c> were written by format version 1 and are checked in:
/// every later build must read them to exactly the same contents. If a test here fails because the format changed on
/// purpose, bump the format version (and keep a reader for version 1) rather than regenerating the data.
/// </summary>
public sealed class PersistedFormatStabilityTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, SnapshotCodecPreference> Codecs => new()
    {
        { "lz4", SnapshotCodecPreference.Lz4 },
        { "brotli", SnapshotCodecPreference.Brotli },
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task CheckedInFolder_LoadsToItsExactContents(string name, SnapshotCodecPreference codec)
    {
        var folder = CopyCheckedIn(name);

        await using var store = await StoreFactory.OpenAsync(folder, codec);

        Assert.Equal(FormatV1Data.FinalRevision, store.Revision);
        Assert.Equal(
            FormatV1Data.FinalEntries.Select(e => $"{e.Key}={e.Value}@{e.Create}/{e.Mod}"),
            (await ReadAllAsync(store)).Select(e => $"{e.Key}={Text(e.Value)}@{e.CreateRevision}/{e.ModRevision}"));
        Assert.Empty(await store.ListAsync("apis/0001/versions/"));

        var changes = new List<StoreChange>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var change in store.WatchAsync(FormatV1Data.SnapshotRevision, timeout.Token))
        {
            changes.Add(change);
            if (change.Revision == FormatV1Data.FinalRevision)
            {
                break;
            }
        }

        Assert.Equal(
            ["7:apis/0002=-", "8:apis/0003=+,groups/g2=+", "9:apis/0001/versions/v1=-", "10:apis/0001=+"],
            changes.Select(c => $"{c.Revision}:" + string.Join(",", c.Items.Select(i => i.Key + (i.Value is null ? "=-" : "=+")))));
        await Assert.ThrowsAsync<ChangeFeedCompactedException>(async () =>
        {
            await foreach (var change in store.WatchAsync(FormatV1Data.SnapshotRevision - 1, timeout.Token))
            {
            }
        });
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void CheckedInFiles_HaveTheVersion1Headers(string name, SnapshotCodecPreference codec)
    {
        var source = CheckedInPath(name);
        var snapshot = File.ReadAllBytes(Path.Combine(source, "snapshot-00000000000000000006.snap"));
        var segment = File.ReadAllBytes(Path.Combine(source, "wal-00000000000000000007.log"));

        Assert.Equal("GWSNAPSH"u8.ToArray(), snapshot[..8]);
        Assert.Equal([1, 0], snapshot[8..10]);
        Assert.Equal(codec == SnapshotCodecPreference.Lz4 ? (byte)CompressionCodec.Lz4Frame : (byte)CompressionCodec.Brotli, snapshot[10]);
        Assert.Null(SnapshotHeader.TryRead(snapshot, out var header));
        Assert.Equal(6, header.Revision);
        Assert.Equal(5, header.EntryCount);

        Assert.Equal("GWWALSEG"u8.ToArray(), segment[..8]);
        Assert.Equal([1, 0], segment[8..10]);
        var records = WalSegmentReader.Read("wal", segment, 7, isNewestSegment: true).Records;
        Assert.Equal([7L, 8, 9, 10], records.Select(r => r.Revision));
        Assert.Equal(segment.Length, records[^1].Offset + WalRecordHeader.Size + records[^1].Payload.Length);
        Assert.Equal([1, 0, 1, 0], segment.AsSpan(WalSegmentHeader.Size + 4, 4).ToArray()); // version 1, type Commit, no flags
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task CurrentWriter_ProducesTheCheckedInBytes(string name, SnapshotCodecPreference codec)
    {
        var generated = _folder.Combine("generated-" + name);
        await FormatV1Data.WriteAsync(generated, codec);

        var target = Environment.GetEnvironmentVariable("GATEWAY_WRITE_FORMAT_DATA");
        if (!string.IsNullOrEmpty(target))
        {
            var destination = Path.Combine(target, name);
            Directory.CreateDirectory(destination);
            foreach (var file in Directory.EnumerateFiles(generated).Where(f => !f.EndsWith(DataFolderLayout.LockFileName, StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
            }
        }

        var source = CheckedInPath(name);
        var files = new[] { "snapshot-00000000000000000006.snap", "wal-00000000000000000007.log" };
        Assert.Equal(files, Directory.EnumerateFiles(source).Select(Path.GetFileName).Order());

        // The log has no compression in it, so it must match byte for byte.
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, files[1])), File.ReadAllBytes(Path.Combine(generated, files[1])));

        // Compressed bytes may differ between codec library versions; the uncompressed body must not.
        var (checkedInState, checkedInHeader) = SnapshotFile.Read(Path.Combine(source, files[0]), 6);
        var (generatedState, generatedHeader) = SnapshotFile.Read(Path.Combine(generated, files[0]), 6);
        Assert.Equal(checkedInHeader.BodyCrc, generatedHeader.BodyCrc);
        Assert.Equal(checkedInHeader.BodyLength, generatedHeader.BodyLength);
        Assert.Equal(checkedInHeader.Codec, generatedHeader.Codec);
        Assert.Equal(StoreContents.Of(checkedInState, FormatV1Data.Collections), StoreContents.Of(generatedState, FormatV1Data.Collections));
    }

    private static string CheckedInPath(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "format-v1", name);

    private string CopyCheckedIn(string name)
    {
        // The store takes a lock and may repair files, so it opens a copy rather than the checked-in folder.
        var destination = _folder.Combine(name);
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(CheckedInPath(name)))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        return destination;
    }

    private static async Task<List<StoreEntry>> ReadAllAsync(IResourceStore store)
    {
        var entries = new List<StoreEntry>();
        foreach (var collection in FormatV1Data.Collections)
        {
            entries.AddRange(await store.ListAsync(collection));
        }

        return entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
    }
}
