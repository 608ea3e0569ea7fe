using System.Buffers.Binary;
using System.Numerics;

namespace Gateway.Net.Balancing;

/// <summary>
/// A fixed 64-bit hash for hash balancing: the same key lands on the same member in every process and on every
/// gateway node (unlike <see cref="HashCode"/>, which is seeded per process). Eight bytes per round, then a full
/// avalanche so nearby keys (paths differing in one character, neighbouring addresses) spread over the ring.
/// </summary>
internal static class BalancingHash
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    public static ulong Hash(ReadOnlySpan<byte> data, ulong seed)
    {
        var hash = seed ^ ((ulong)data.Length * Prime1);
        while (data.Length >= 8)
        {
            var block = BinaryPrimitives.ReadUInt64LittleEndian(data) * Prime2;
            hash ^= BitOperations.RotateLeft(block, 31) * Prime1;
            hash = (BitOperations.RotateLeft(hash, 27) * Prime1) + Golden;
            data = data[8..];
        }

        foreach (var b in data)
        {
            hash ^= b * Prime1;
            hash = BitOperations.RotateLeft(hash, 11) * Prime2;
        }

        return Mix(hash);
    }

    /// <summary>The k-th point of a member on a ring: derived from its identity's hash, independent of other members.</summary>
    public static ulong Point(ulong identityHash, int index) => Mix(identityHash + ((ulong)(index + 1) * Golden));

    /// <summary>A 64-bit finalizer (murmur3's): every input bit affects every output bit.</summary>
    public static ulong Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xFF51AFD7ED558CCDUL;
        value ^= value >> 33;
        value *= 0xC4CEB9FE1A85EC53UL;
        value ^= value >> 33;
        return value;
    }
}
