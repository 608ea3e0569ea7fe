using System.Globalization;

namespace Gateway.Storage.Embedded;

/// <summary>
/// The naming scheme of a data folder: <c>wal-&lt;base revision&gt;.log</c> segments, <c>snapshot-&lt;revision&gt;.snap</c>
/// snapshots (both zero-padded to 20 digits so names sort by revision), <c>*.tmp</c> files of unfinished snapshots,
/// and the <c>store.lock</c> file.
/// </summary>
internal sealed class DataFolderLayout(string root)
{
    public const string LockFileName = "store.lock";
    public const string TemporarySuffix = ".tmp";
    private const string SegmentPrefix = "wal-";
    private const string SegmentSuffix = ".log";
    private const string SnapshotPrefix = "snapshot-";
    private const string SnapshotSuffix = ".snap";

    public string Root { get; } = Path.GetFullPath(root);

    public string LockPath => Path.Combine(Root, LockFileName);

    public string SegmentPath(long baseRevision) => Path.Combine(Root, Name(SegmentPrefix, baseRevision, SegmentSuffix));

    public string SnapshotPath(long revision) => Path.Combine(Root, Name(SnapshotPrefix, revision, SnapshotSuffix));

    /// <summary>The segments in the folder, ordered by base revision.</summary>
    public List<(long BaseRevision, string Path)> ListSegments() => List(SegmentPrefix, SegmentSuffix);

    /// <summary>The snapshots in the folder, ordered by revision.</summary>
    public List<(long Revision, string Path)> ListSnapshots() => List(SnapshotPrefix, SnapshotSuffix);

    /// <summary>The leftovers of snapshot writes a crash interrupted.</summary>
    public IEnumerable<string> ListTemporaryFiles() => Directory.EnumerateFiles(Root, "*" + TemporarySuffix);

    private static string Name(string prefix, long revision, string suffix) =>
        prefix + revision.ToString("D20", CultureInfo.InvariantCulture) + suffix;

    private List<(long, string)> List(string prefix, string suffix)
    {
        var result = new List<(long, string)>();
        foreach (var path in Directory.EnumerateFiles(Root, prefix + "*" + suffix))
        {
            var name = Path.GetFileName(path.AsSpan());
            var digits = name[prefix.Length..^suffix.Length];
            // Only names this scheme produces count; anything else in the folder is left alone.
            if (digits.Length == 20 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
            {
                result.Add((revision, path));
            }
        }

        result.Sort(static (a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }
}
