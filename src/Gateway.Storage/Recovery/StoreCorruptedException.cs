namespace Gateway.Storage.Recovery;

/// <summary>
/// Thrown when an embedded store's data folder holds damage that recovery must not repair by itself, because repairing it
/// would drop acknowledged commits: a bad record followed by newer valid records, a missing write-ahead log segment,
/// an unreadable snapshot without the log that would replace it, or a file written by a newer format version.
/// </summary>
/// <remarks>
/// Only a damaged <em>tail</em> of the newest write-ahead log segment (a write the crash interrupted, never acknowledged)
/// is truncated automatically. Anything else stops start-up with this exception so an operator can restore a backup
/// or inspect the file at <see cref="FilePath"/> and <see cref="Offset"/>.
/// </remarks>
public sealed class StoreCorruptedException : IOException
{
    internal StoreCorruptedException(string filePath, long offset, string reason, Exception? innerException = null)
        : base($"The store file '{filePath}' is corrupted at offset {offset}: {reason}", innerException)
    {
        FilePath = filePath;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The full path of the damaged file.</summary>
    public string FilePath { get; }

    /// <summary>The byte offset in <see cref="FilePath"/> where the damage starts.</summary>
    public long Offset { get; }

    /// <summary>What is wrong at <see cref="Offset"/>.</summary>
    public string Reason { get; }
}
