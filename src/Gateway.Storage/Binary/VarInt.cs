using System.Buffers;

namespace Gateway.Storage.Binary;

/// <summary>Unsigned LEB128 integers, used inside record payloads and snapshot bodies to keep small numbers small.</summary>
internal static class VarInt
{
    /// <summary>The longest encoding of a 64-bit value.</summary>
    public const int MaxLength = 10;

    /// <summary>Appends <paramref name="value"/> to <paramref name="writer"/>.</summary>
    public static void Write(IBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(MaxLength);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        writer.Advance(i);
    }

    /// <summary>Reads a value at <paramref name="offset"/> and moves past it; false when the input ends early or overflows.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, ref int offset, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (offset >= data.Length)
            {
                return false;
            }

            var b = data[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                // The tenth byte may only carry the top bit of a 64-bit value.
                return shift < 63 || b <= 1;
            }
        }

        return false;
    }
}
