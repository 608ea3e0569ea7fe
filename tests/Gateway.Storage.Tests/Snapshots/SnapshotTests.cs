using System.Diagnostics;
using System.IO.Compression;
using Gateway.Storage.Binary;
using Gateway.Storage.Compression;
using Gateway.Storage.Embedded;
using Gateway.Storage.Recovery;
using Gateway.Storage.Snapshots;
using Gateway.Storage.TestSupport;
using Gateway.Store;

namespace Gateway.Storage.Snapshots.Tests;

public sealed class SnapshotTests : IDisposable
{
    private static readonly string[] Collections = ["apis/", "apis/a/versions/", "groups/", "top/"];
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(SnapshotCodecPreference.Lz4)]
    [InlineData(SnapshotCodecPreference.Brotli)]
    public async Task SnapshotThenMoreCommits_Reopen_GivesIdenticalStateAndRevision(SnapshotCodecPreference codec)
    {
        var commits = Commits(seed: 7, count: 120);
        List<string> before;
        long revision;
        await using (var store = await StoreFactory.OpenAsync(_folder.Path, codec))
        {
            await Scenario.CommitAllAsync(store, commits[..80]);
            Assert.Equal(80, await store.SnapshotAsync());
            await Scenario.CommitAllAsync(store, []);
            foreach (var operations in commits[80..])
            {
                await store.CommitAsync(Scenario.ToTransaction(operations));
            }

            before = await StoreContents.ReadAsync(store, Collections);
            revision = store.Revision;
        }

        var layout = new DataFolderLayout(_folder.Path);
        Assert.Equal([80L], layout.ListSnapshots().Select(s => s.Revision));
        Assert.Equal([81L], layout.ListSegments().Select(s => s.BaseRevision));

        await using var reopened = await StoreFactory.OpenAsync(_folder.Path, codec);
        Assert.Equal(120, revision);
        Assert.Equal(revision, reopened.Revision);
        Assert.Equal(before, await StoreContents.ReadAsync(reopened, Collections));
        Assert.Equal(ExpectedContents(commits), before);
    }

    [Fact]
    public async Task Lz4SnapshotBody_IsAStandardLz4Frame()
    {
        Assert.True(Lz4Native.IsAvailable, $"{Lz4Native.LibraryName} must be installed (Debian: liblz4-1).");
        var commits = Commits(seed: 11, count: 60);
        await using (var store = await StoreFactory.OpenAsync(_folder.Path, SnapshotCodecPreference.Lz4))
        {
            await Scenario.CommitAllAsync(store, commits);
            await store.SnapshotAsync();
        }

        var file = File.ReadAllBytes(new DataFolderLayout(_folder.Path).SnapshotPath(60));
        Assert.Equal((byte)CompressionCodec.Lz4Frame, file[10]);
        var frame = file[SnapshotHeader.Size..];
        Assert.Equal([0x04, 0x22, 0x4D, 0x18], frame[..4]); // LZ4 frame magic number

        var expected = ExpectedBody(commits);
        Assert.Equal(expected, await DecompressWithLz4ToolAsync(frame));
    }

    [Fact]
    public async Task BrotliSnapshot_RecordsItsCodec_AndRoundTrips()
    {
        var commits = Commits(seed: 13, count: 40);
        await using (var store = await StoreFactory.OpenAsync(_folder.Path, SnapshotCodecPreference.Brotli))
        {
            await Scenario.CommitAllAsync(store, commits);
            await store.SnapshotAsync();
        }

        var file = File.ReadAllBytes(new DataFolderLayout(_folder.Path).SnapshotPath(40));
        Assert.Equal((byte)CompressionCodec.Brotli, file[10]);
        var expected = ExpectedBody(commits);
        var body = new byte[expected.Length];
        Assert.True(BrotliDecoder.TryDecompress(file.AsSpan(SnapshotHeader.Size), body, out var written));
        Assert.Equal(expected.Length, written);
        Assert.Equal(expected, body);

        // A store that prefers LZ4 still reads the Brotli snapshot: the header decides.
        await using var reopened = await StoreFactory.OpenAsync(_folder.Path, SnapshotCodecPreference.Lz4);
        Assert.Equal(ExpectedContents(commits), await StoreContents.ReadAsync(reopened, Collections));
    }

    [Fact]
    public async Task WalSizeThreshold_TakesSnapshotsInTheBackground_AndRemovesReplacedLog()
    {
        var options = StoreFactory.Options(_folder.Path);
        options.SnapshotThresholdBytes = 4096;
        var commits = Commits(seed: 17, count: 300);
        await using (var store = await EmbeddedResourceStore.OpenAsync(options))
        {
            foreach (var operations in commits)
            {
                await store.CommitAsync(Scenario.ToTransaction(operations));
            }
        }

        var layout = new DataFolderLayout(_folder.Path);
        var snapshot = Assert.Single(layout.ListSnapshots());
        Assert.True(snapshot.Revision > 0);
        Assert.All(layout.ListSegments(), s => Assert.True(s.BaseRevision > snapshot.Revision));
        Assert.True(layout.ListSegments().Sum(s => new FileInfo(s.Path).Length) < 3 * 4096 + 8192);

        await using var reopened = await StoreFactory.OpenAsync(_folder.Path);
        Assert.Equal(300, reopened.Revision);
        Assert.Equal(ExpectedContents(commits), await StoreContents.ReadAsync(reopened, Collections));
    }

    [Theory]
    [InlineData(SnapshotCodecPreference.Lz4)]
    [InlineData(SnapshotCodecPreference.Brotli)]
    public async Task SnapshotOfAnEmptyState_AtANonZeroRevision_RoundTrips(SnapshotCodecPreference codec)
    {
        await using (var store = await StoreFactory.OpenAsync(_folder.Path, codec, snapshotOnDispose: true))
        {
            await store.CommitAsync(new StoreTransaction().Put("apis/a", StoreContents.Utf8("1")));
            await store.CommitAsync(new StoreTransaction().DeletePrefix("apis/"));
        }

        await using var reopened = await StoreFactory.OpenAsync(_folder.Path, codec);
        Assert.Equal(2, reopened.Revision);
        Assert.Empty(await reopened.ListAsync("apis/"));
    }

    [Fact]
    public async Task SnapshotAsync_WithNothingNew_ReturnsTheExistingRevision()
    {
        await using var store = await StoreFactory.OpenAsync(_folder.Path);
        await store.CommitAsync(new StoreTransaction().Put("apis/a", StoreContents.Utf8("1")));
        Assert.Equal(1, await store.SnapshotAsync());
        Assert.Equal(1, await store.SnapshotAsync());
        Assert.Single(new DataFolderLayout(_folder.Path).ListSnapshots());
    }

    /// <summary>Decompresses with the reference command line tool when it is installed, otherwise with our own LZ4F binding.</summary>
    private async Task<byte[]> DecompressWithLz4ToolAsync(byte[] frame)
    {
        var tool = new[] { "/usr/bin/lz4", "/usr/local/bin/lz4" }.FirstOrDefault(File.Exists);
        if (tool is null)
        {
            var header = SnapshotHeader.TryRead(File.ReadAllBytes(new DataFolderLayout(_folder.Path).ListSnapshots().Single().Path), out var parsed);
            Assert.Null(header);
            var body = new byte[parsed.BodyLength];
            Lz4FrameCodec.Decompress(frame, body);
            return body;
        }

        var input = _folder.Combine("body.lz4");
        await File.WriteAllBytesAsync(input, frame);
        using var process = Process.Start(new ProcessStartInfo(tool, ["-d", "-c", input])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await copy;
        Assert.True(process.ExitCode == 0, await errors);
        return output.ToArray();
    }

    private static StoreOperation[][] Commits(int seed, int count)
    {
        var random = new Random(seed);
        string[] keys = ["apis/a", "apis/b", "apis/c", "apis/a/versions/v1", "apis/a/versions/v2", "groups/g1", "groups/g2", "top/x"];
        var commits = new StoreOperation[count][];
        for (var i = 0; i < count; i++)
        {
            var operations = new StoreOperation[random.Next(1, 4)];
            for (var j = 0; j < operations.Length; j++)
            {
                var roll = random.Next(10);
                var key = keys[random.Next(keys.Length)];
                operations[j] = roll switch
                {
                    < 7 => new StoreOperation(StoreOperationKind.Put, key, StoreContents.Utf8($"{{\"name\":\"{key}\",\"n\":{i},\"pad\":\"{new string('x', random.Next(0, 64))}\"}}")),
                    < 9 => new StoreOperation(StoreOperationKind.Delete, key, default),
                    _ => new StoreOperation(StoreOperationKind.DeletePrefix, "apis/a/", default),
                };
            }

            commits[i] = operations;
        }

        return commits;
    }

    private static InMemoryResourceStore.State Model(StoreOperation[][] commits)
    {
        var state = StoreRecovery.EmptyState;
        foreach (var operations in commits)
        {
            state = InMemoryResourceStore.Apply(state, operations).Next;
        }

        return state;
    }

    private static List<string> ExpectedContents(StoreOperation[][] commits) => StoreContents.Of(Model(commits), Collections);

    private static byte[] ExpectedBody(StoreOperation[][] commits)
    {
        var buffer = new GrowableBuffer();
        SnapshotBody.Write(buffer, Model(commits));
        return buffer.WrittenSpan.ToArray();
    }
}
