using System.Buffers.Binary;
using System.Numerics;

namespace Gateway.Storage.Binary;

/// <summary>CRC-32C (Castagnoli) over spans, built on the hardware-accelerated <see cref="BitOperations.Crc32C(uint, ulong)"/>.</summary>
internal static class Crc32C
{
    /// <summary>Computes the CRC-32C of <paramref name="data"/> (standard init and final inversion).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(~0u, data);

    /// <summary>Computes the CRC-32C of two spans as if they were one.</summary>
    public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) => ~Append(Append(~0u, first), second);

    private static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        // Eight bytes per step keeps the CRC instruction busy; the tail is folded in byte by byte.
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
}
