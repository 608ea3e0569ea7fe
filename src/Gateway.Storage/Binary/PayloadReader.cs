using System.Text;

namespace Gateway.Storage.Binary;

/// <summary>
/// Reads the length-prefixed fields of record payloads and snapshot bodies. Every read is bounds-checked: a payload that
/// passed its checksum but does not parse is a format error, never an out-of-range read.
/// </summary>
internal ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public PayloadReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
    }

    /// <summary>The position of the next read.</summary>
    public readonly int Offset => _offset;

    /// <summary>Whether every byte was consumed.</summary>
    public readonly bool End => _offset == _data.Length;

    public bool TryReadVarInt(out ulong value) => VarInt.TryRead(_data, ref _offset, out value);

    public bool TryReadInt64(out long value)
    {
        if (VarInt.TryRead(_data, ref _offset, out var raw) && raw <= long.MaxValue)
        {
            value = (long)raw;
            return true;
        }

        value = 0;
        return false;
    }

    public bool TryReadByte(out byte value)
    {
        if (_offset < _data.Length)
        {
            value = _data[_offset++];
            return true;
        }

        value = 0;
        return false;
    }

    public bool TryReadBytes(out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!VarInt.TryRead(_data, ref _offset, out var length) || length > (ulong)(_data.Length - _offset))
        {
            return false;
        }

        value = _data.Slice(_offset, (int)length);
        _offset += (int)length;
        return true;
    }

    public bool TryReadString(out string value)
    {
        if (TryReadBytes(out var bytes))
        {
            value = Encoding.UTF8.GetString(bytes);
            return true;
        }

        value = string.Empty;
        return false;
    }
}
