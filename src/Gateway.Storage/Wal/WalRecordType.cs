namespace Gateway.Storage.Wal;

/// <summary>The kind of a write-ahead log record. Persisted: existing values must never change.</summary>
internal enum WalRecordType : byte
{
    /// <summary>One committed transaction: its operations in order.</summary>
    Commit = 1,
}
