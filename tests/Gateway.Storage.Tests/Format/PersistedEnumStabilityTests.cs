using Gateway.Storage.Compression;
using Gateway.Storage.Embedded;
using Gateway.Storage.Wal;
using Gateway.Store;

namespace Gateway.Storage.Format.Tests;

/// <summary>
/// Enum values written to disk must never change: data written by an older build would be read as something else.
/// These lists may only grow. To change a persisted meaning, add a value and bump the format version instead.
/// </summary>
public sealed class PersistedEnumStabilityTests
{
    [Fact]
    public void WalRecordType_Values_AreFrozen() =>
        Assert.Equal([("Commit", 1)], Values<WalRecordType>());

    [Fact]
    public void StoreOperationKind_Values_AreFrozen() =>
        Assert.Equal([("Put", 1), ("Delete", 2), ("DeletePrefix", 3)], Values<StoreOperationKind>());

    [Fact]
    public void CompressionCodec_Values_AreFrozen() =>
        Assert.Equal([("Lz4Frame", 1), ("Brotli", 2)], Values<CompressionCodec>());

    [Fact]
    public void FileNames_AndFormatVersions_AreFrozen()
    {
        var layout = new DataFolderLayout("/data");
        Assert.Equal("/data/wal-00000000000000000042.log", layout.SegmentPath(42));
        Assert.Equal("/data/snapshot-00000000000000000042.snap", layout.SnapshotPath(42));
        Assert.Equal("store.lock", DataFolderLayout.LockFileName);
        Assert.Equal(1, WalFormat.Version);
        Assert.Equal(1, Snapshots.SnapshotHeader.CurrentVersion);
        Assert.Equal(32, WalRecordHeader.Size);
        Assert.Equal(32, WalSegmentHeader.Size);
        Assert.Equal(64, Snapshots.SnapshotHeader.Size);
    }

    private static (string Name, int Value)[] Values<T>()
        where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => (v.ToString(), Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))).ToArray();
}
