using System.Buffers;
using Gateway.Storage.Binary;
using Gateway.Store;

namespace Gateway.Storage.Wal;

/// <summary>
/// Encodes the operations of a commit as a record payload:
/// <c>varint count</c>, then per operation <c>u8 kind</c> (<see cref="StoreOperationKind"/>, persisted values),
/// <c>varint length + UTF-8 key</c> and, for puts, <c>varint length + value bytes</c>.
/// Conditions are not stored: they were checked before the record was written.
/// </summary>
internal static class TransactionCodec
{
    public static void Write(IBufferWriter<byte> writer, IReadOnlyList<StoreOperation> operations)
    {
        PayloadWriter.WriteVarInt(writer, (ulong)operations.Count);
        foreach (var operation in operations)
        {
            PayloadWriter.WriteByte(writer, (byte)operation.Kind);
            PayloadWriter.WriteString(writer, operation.Key);
            if (operation.Kind == StoreOperationKind.Put)
            {
                PayloadWriter.WriteBytes(writer, operation.Value.Span);
            }
        }
    }

    /// <summary>
    /// Decodes a payload; returns a reason when it does not parse. Put values are slices of <paramref name="payload"/>
    /// (the store's apply step copies them).
    /// </summary>
    public static string? TryRead(ReadOnlyMemory<byte> payload, out StoreOperation[] operations)
    {
        operations = [];
        var reader = new PayloadReader(payload.Span);
        // Every operation takes at least two bytes, which bounds the count before anything is allocated.
        if (!reader.TryReadVarInt(out var count) || count > (ulong)payload.Length / 2)
        {
            return "invalid operation count";
        }

        var result = new StoreOperation[(int)count];
        for (var i = 0; i < result.Length; i++)
        {
            if (!reader.TryReadByte(out var kind) || !reader.TryReadString(out var key))
            {
                return "truncated operation";
            }

            switch ((StoreOperationKind)kind)
            {
                case StoreOperationKind.Put:
                    if (!reader.TryReadBytes(out var value))
                    {
                        return "truncated value";
                    }

                    result[i] = new StoreOperation(StoreOperationKind.Put, key, payload.Slice(reader.Offset - value.Length, value.Length));
                    break;
                case StoreOperationKind.Delete:
                case StoreOperationKind.DeletePrefix:
                    result[i] = new StoreOperation((StoreOperationKind)kind, key, default);
                    break;
                default:
                    return $"unknown operation kind {kind}";
            }
        }

        if (!reader.End)
        {
            return "trailing bytes after the last operation";
        }

        operations = result;
        return null;
    }
}
