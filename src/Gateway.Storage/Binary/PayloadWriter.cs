using System.Buffers;
using System.Text;

namespace Gateway.Storage.Binary;

/// <summary>Writes the length-prefixed fields read back by <see cref="PayloadReader"/>.</summary>
internal static class PayloadWriter
{
    // Strict: a key with a lone surrogate would otherwise be stored as U+FFFD and come back as a different key after a
    // restart. Throwing (an ArgumentException) fails just that commit instead.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void WriteVarInt(IBufferWriter<byte> writer, ulong value) => VarInt.Write(writer, value);

    public static void WriteByte(IBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    public static void WriteBytes(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        VarInt.Write(writer, (ulong)value.Length);
        writer.Write(value);
    }

    public static void WriteString(IBufferWriter<byte> writer, string value)
    {
        var length = s_strictUtf8.GetByteCount(value);
        VarInt.Write(writer, (ulong)length);
        var span = writer.GetSpan(length);
        s_strictUtf8.GetBytes(value, span);
        writer.Advance(length);
    }
}
