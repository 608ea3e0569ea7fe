using System.Runtime.CompilerServices;

namespace Gateway.Net.Routing;

/// <summary>
/// An immutable map from byte strings to values, looked up by <see cref="ReadOnlySpan{T}"/> without allocating:
/// open addressing over a power-of-two table, built once when a route snapshot is compiled.
/// </summary>
internal sealed class ByteKeyMap<TValue>
    where TValue : class
{
    private readonly byte[][] _keys;
    private readonly TValue?[] _values;
    private readonly uint[] _hashes;
    private readonly int _mask;

    public ByteKeyMap(IReadOnlyList<KeyValuePair<byte[], TValue>> entries, bool ignoreAsciiCase = false)
    {
        IgnoreAsciiCase = ignoreAsciiCase;
        var size = 4;
        while (size < entries.Count * 2)
        {
            size <<= 1;
        }

        _keys = new byte[size][];
        _values = new TValue?[size];
        _hashes = new uint[size];
        _mask = size - 1;
        foreach (var (key, value) in entries)
        {
            var hash = Hash(key);
            var slot = (int)(hash & (uint)_mask);
            while (_keys[slot] is { } existing)
            {
                if (_hashes[slot] == hash && KeyEquals(existing, key))
                {
                    throw new ArgumentException("Duplicate key.", nameof(entries));
                }

                slot = (slot + 1) & _mask;
            }

            _keys[slot] = key;
            _values[slot] = value;
            _hashes[slot] = hash;
        }

        Count = entries.Count;
    }

    public int Count { get; }

    public bool IgnoreAsciiCase { get; }

    public TValue? Find(ReadOnlySpan<byte> key)
    {
        if (Count == 0)
        {
            return null;
        }

        var hash = Hash(key);
        var slot = (int)(hash & (uint)_mask);
        while (_keys[slot] is { } candidate)
        {
            if (_hashes[slot] == hash && KeyEquals(candidate, key))
            {
                return _values[slot];
            }

            slot = (slot + 1) & _mask;
        }

        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool KeyEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        IgnoreAsciiCase ? System.Text.Ascii.EqualsIgnoreCase(a, b) : a.SequenceEqual(b);

    private uint Hash(ReadOnlySpan<byte> key)
    {
        // FNV-1a: short keys (path segments, host names), no allocation, case folded when asked.
        var hash = 2166136261u;
        foreach (var b in key)
        {
            var c = IgnoreAsciiCase && b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
