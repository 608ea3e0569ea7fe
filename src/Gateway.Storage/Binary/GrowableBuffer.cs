using System.Buffers;

namespace Gateway.Storage.Binary;

/// <summary>
/// A reusable <see cref="IBufferWriter{T}"/> over one array that also allows patching bytes already written
/// (record headers are filled in after their payload, once its length and checksum are known).
/// </summary>
internal sealed class GrowableBuffer(int initialCapacity = 4096) : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[initialCapacity];
    private int _written;

    public int WrittenCount => _written;

    public Span<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Clear() => _written = 0;

    /// <summary>Drops everything written after <paramref name="length"/> bytes.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)_written, nameof(length));
        _written = length;
    }

    /// <summary>Drops an oversized array after a rare huge batch so one burst does not pin memory forever.</summary>
    public void Trim(int maxRetainedCapacity)
    {
        if (_written == 0 && _buffer.Length > maxRetainedCapacity)
        {
            _buffer = new byte[maxRetainedCapacity];
        }
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _buffer.Length)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        var size = Math.Max((long)_buffer.Length * 2, (long)_written + needed);
        if (size > Array.MaxLength)
        {
            size = Math.Max(Array.MaxLength, _written + needed);
        }

        Array.Resize(ref _buffer, (int)size);
    }
}
