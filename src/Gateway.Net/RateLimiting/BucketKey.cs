using System.Buffers.Binary;

namespace Gateway.Net.RateLimiting;

/// <summary>
/// A 128-bit bucket key: a 32-bit scope (for example the ordinal of an API in the runtime snapshot, or 0 for a shared
/// policy) and the subject it limits (a source address, an APP or a user ordinal).
/// </summary>
/// <remarks>
/// Equality is exact; the hash code uses <see cref="HashCode"/>, which is seeded randomly per process, so clients cannot
/// pick addresses that collide in a table.
/// </remarks>
internal readonly struct BucketKey : IEquatable<BucketKey>
{
    private const uint AddressV4 = 4;
    private const uint AddressV6 = 6;
    private const uint Subject = 1;

    private readonly ulong _upper;
    private readonly ulong _lower;

    public BucketKey(ulong upper, ulong lower)
    {
        _upper = upper;
        _lower = lower;
    }

    public ulong Upper => _upper;

    public ulong Lower => _lower;

    /// <summary>
    /// A key for a source address: IPv4 (4 bytes, or IPv4-mapped IPv6) exactly, IPv6 by its /64 prefix. One host usually
    /// owns a whole /64, so a per-/128 limit would be bypassed by rotating the interface identifier.
    /// </summary>
    public static BucketKey ForAddress(uint scope, ReadOnlySpan<byte> address)
    {
        if (address.Length == 4)
        {
            return new BucketKey(((ulong)scope << 32) | AddressV4, BinaryPrimitives.ReadUInt32BigEndian(address));
        }

        if (address.Length != 16)
        {
            throw new ArgumentException("An address has 4 or 16 bytes.", nameof(address));
        }

        if (BinaryPrimitives.ReadUInt64BigEndian(address) == 0 && BinaryPrimitives.ReadUInt32BigEndian(address[8..]) == 0xFFFF)
        {
            return new BucketKey(((ulong)scope << 32) | AddressV4, BinaryPrimitives.ReadUInt32BigEndian(address[12..]));
        }

        return new BucketKey(((ulong)scope << 32) | AddressV6, BinaryPrimitives.ReadUInt64BigEndian(address));
    }

    /// <summary>A key for a numbered subject (an APP or user ordinal) within <paramref name="scope"/>.</summary>
    public static BucketKey ForSubject(uint scope, ulong subject) => new(((ulong)scope << 32) | Subject, subject);

    public bool Equals(BucketKey other) => _upper == other._upper && _lower == other._lower;

    public override bool Equals(object? obj) => obj is BucketKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_upper, _lower);

    public override string ToString() => $"{_upper:x16}{_lower:x16}";

    public static bool operator ==(BucketKey left, BucketKey right) => left.Equals(right);

    public static bool operator !=(BucketKey left, BucketKey right) => !left.Equals(right);
}
