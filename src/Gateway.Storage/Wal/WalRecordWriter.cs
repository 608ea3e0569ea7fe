using Gateway.Storage.Binary;
using Gateway.Store;

namespace Gateway.Storage.Wal;

/// <summary>Encodes commit records (header + payload) into a batch buffer.</summary>
internal static class WalRecordWriter
{
    public static void Append(GrowableBuffer buffer, long revision, long flushGroupStart, IReadOnlyList<StoreOperation> operations)
    {
        var headerAt = buffer.WrittenCount;
        buffer.GetSpan(WalRecordHeader.Size);
        buffer.Advance(WalRecordHeader.Size);
        TransactionCodec.Write(buffer, operations);
        var payloadLength = buffer.WrittenCount - headerAt - WalRecordHeader.Size;
        if (payloadLength > WalFormat.MaxPayloadLength)
        {
            throw new ArgumentException($"A transaction encodes to {payloadLength} bytes; the limit is {WalFormat.MaxPayloadLength}.", nameof(operations));
        }

        var record = buffer.WrittenSpan[headerAt..];
        var crc = Crc32C.Compute(record[WalRecordHeader.Size..]);
        new WalRecordHeader(payloadLength, WalRecordType.Commit, revision, flushGroupStart, crc).Write(record);
    }
}
