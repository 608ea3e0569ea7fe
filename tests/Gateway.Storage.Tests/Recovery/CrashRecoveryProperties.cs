using FsCheck;
using FsCheck.Fluent;
using Gateway.Storage.Embedded;
using Gateway.Storage.TestSupport;
using Gateway.Storage.Wal;
using Gateway.Store;

namespace Gateway.Storage.Recovery.Tests;

/// <summary>
/// A crash is simulated on a closed store by cutting the log at any offset or by damaging its final record. Recovery must
/// then yield exactly the commits whose records are intact, which is always a prefix of the acknowledged ones.
/// </summary>
public sealed class CrashRecoveryProperties
{
    public sealed record Crash(StoreOperation[][] Commits, bool Truncate, int Position, byte Mask)
    {
        public override string ToString() => $"{Commits.Length} commits, {(Truncate ? "truncate" : "corrupt last record")}, position seed {Position}, mask {Mask}";
    }

    public sealed record MidLogDamage(StoreOperation[][] Commits, int RecordSeed, int Position, byte Mask)
    {
        public override string ToString() => $"{Commits.Length} commits, record seed {RecordSeed}, position seed {Position}, mask {Mask}";
    }

    [Fact]
    public void TruncatedOrDamagedTail_RecoversExactlyTheIntactPrefix()
    {
        var crashes =
            from commits in Scenario.Commits(1, 12)
            from truncate in Gen.Elements(true, false)
            from position in Gen.Choose(0, int.MaxValue - 1)
            from mask in Gen.Choose(1, 255)
            select new Crash(commits, truncate, position, (byte)mask);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), Prop.ForAll(crashes.ToArbitrary(), crash => RunCrash(crash).GetAwaiter().GetResult()));
    }

    [Fact]
    public void DamageBeforeTheTail_StopsStartUp_NamingFileAndOffset()
    {
        var damages =
            from commits in Scenario.Commits(2, 10)
            from record in Gen.Choose(0, int.MaxValue - 1)
            from position in Gen.Choose(0, int.MaxValue - 1)
            from mask in Gen.Choose(1, 255)
            select new MidLogDamage(commits, record, position, (byte)mask);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(damages.ToArbitrary(), damage => RunMidLogDamage(damage).GetAwaiter().GetResult()));
    }

    private static async Task RunCrash(Crash crash)
    {
        using var folder = new TempDirectory();
        var states = await WriteAsync(folder.Path, crash.Commits);
        var (path, bytes, records) = ReadSegment(folder.Path);

        int survivors;
        bool torn;
        if (crash.Truncate)
        {
            var cut = crash.Position % (bytes.Length + 1);
            File.WriteAllBytes(path, bytes[..cut]);
            survivors = records.Count(r => End(records, r, bytes.Length) <= cut);
            // A cut exactly between records leaves nothing torn to report.
            torn = cut != WalSegmentHeader.Size && !records.Any(r => End(records, r, bytes.Length) == cut);
        }
        else
        {
            var last = records[^1];
            var at = (int)last.Offset + (crash.Position % (bytes.Length - (int)last.Offset));
            bytes[at] ^= crash.Mask;
            File.WriteAllBytes(path, bytes);
            survivors = records.Count - 1;
            torn = true;
        }

        var logger = new ListLogger();
        await using (var store = await EmbeddedResourceStore.OpenAsync(StoreFactory.Options(folder.Path), logger))
        {
            Assert.Equal(survivors, store.Revision);
            Assert.Equal(StoreContents.Of(states[survivors], Scenario.Collections), await StoreContents.ReadAsync(store, Scenario.Collections));
            Assert.Equal(torn, logger.Entries.Any(e => e.EventId.Id == 2));

            // The repaired log must take new commits and keep them.
            var result = await store.CommitAsync(new StoreTransaction().Put("z/after", new byte[] { 1, 2, 3 }));
            Assert.Equal(survivors + 1, result.Revision);
        }

        await using (var store = await StoreFactory.OpenAsync(folder.Path))
        {
            Assert.Equal(survivors + 1, store.Revision);
            Assert.Equal([1, 2, 3], (await store.GetAsync("z/after"))!.Value.ToArray());
            Assert.Equal(StoreContents.Of(states[survivors], Scenario.Collections), await StoreContents.ReadAsync(store, Scenario.Collections));
        }
    }

    private static async Task RunMidLogDamage(MidLogDamage damage)
    {
        using var folder = new TempDirectory();
        await WriteAsync(folder.Path, damage.Commits);
        var (path, bytes, records) = ReadSegment(folder.Path);
        var target = records[damage.RecordSeed % (records.Count - 1)];
        var length = (int)(End(records, target, bytes.Length) - target.Offset);
        bytes[(int)target.Offset + (damage.Position % length)] ^= damage.Mask;
        File.WriteAllBytes(path, bytes);

        var error = await Assert.ThrowsAsync<StoreCorruptedException>(() => StoreFactory.OpenAsync(folder.Path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(target.Offset, error.Offset);
        Assert.Contains(path, error.Message);
        Assert.Contains($"offset {target.Offset}", error.Message);
        Assert.Equal(bytes, File.ReadAllBytes(path)); // nothing was "repaired"
    }

    private static async Task<List<InMemoryResourceStore.State>> WriteAsync(string folder, StoreOperation[][] commits)
    {
        await using var store = await StoreFactory.OpenAsync(folder);
        return await Scenario.CommitAllAsync(store, commits);
    }

    private static (string Path, byte[] Bytes, List<WalRecord> Records) ReadSegment(string folder)
    {
        var (baseRevision, path) = new DataFolderLayout(folder).ListSegments().Single();
        var bytes = File.ReadAllBytes(path);
        var records = WalSegmentReader.Read(path, bytes.ToArray(), baseRevision, isNewestSegment: true).Records;
        return (path, bytes, records);
    }

    private static long End(List<WalRecord> records, WalRecord record, long fileLength)
    {
        var index = records.IndexOf(record);
        return index + 1 < records.Count ? records[index + 1].Offset : fileLength;
    }
}
