using System.Buffers;
using System.Text;

namespace Gateway.Hosting.Authentication;

/// <summary>
/// Growable byte buffer backed by <see cref="ArrayPool{T}"/>; used to assemble canonical requests without
/// intermediate strings. Pass it by <c>ref</c> and dispose it to return the array to the pool.
/// </summary>
internal ref struct PooledByteBuilder
{
    private byte[] _buffer;
    private int _length;

    public PooledByteBuilder(int initialCapacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 64));
        _length = 0;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Append(byte value)
    {
        if (_length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_length++] = value;
    }

    public void Append(scoped ReadOnlySpan<byte> bytes)
    {
        if (_buffer.Length - _length < bytes.Length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Appends the UTF-8 encoding of <paramref name="text"/> (lone surrogates become U+FFFD).</summary>
    public void AppendUtf8(scoped ReadOnlySpan<char> text)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_buffer.Length - _length < maxBytes)
        {
            Grow(maxBytes);
        }

        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    /// <summary>Returns a writable span of exactly <paramref name="count"/> bytes at the end and counts them as written.</summary>
    public Span<byte> AppendSpan(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Grow(count);
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    /// <summary>Returns at least <paramref name="sizeHint"/> writable bytes at the end; commit what was used with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int sizeHint)
    {
        if (_buffer.Length - _length < sizeHint)
        {
            Grow(sizeHint);
        }

        return _buffer.AsSpan(_length);
    }

    /// <summary>Counts <paramref name="count"/> bytes written into the span of <see cref="GetSpan"/>.</summary>
    public void Advance(int count) => _length += count;

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Grow(int additional)
    {
        var required = checked(_length + additional);
        var replacement = ArrayPool<byte>.Shared.Rent(Math.Max(required, _buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(replacement);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = replacement;
    }
}
