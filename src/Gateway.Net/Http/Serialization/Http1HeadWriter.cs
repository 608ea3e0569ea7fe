using System.Buffers;
using System.Buffers.Text;
using Gateway.Net.Http.Parsing;

namespace Gateway.Net.Http.Serialization;

/// <summary>
/// Writes an HTTP/1.x head (start line, fields, final CRLF) into an <see cref="IBufferWriter{T}"/> without allocating.
/// Bytes are gathered in the writer's current span and handed over by <see cref="Commit"/>; values are written as
/// given, so callers pass fields that came out of the parser or constants.
/// </summary>
internal ref struct Http1HeadWriter
{
    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;

    public Http1HeadWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = output.GetSpan();
        _buffered = 0;
    }

    /// <summary>Bytes written since the last <see cref="Commit"/>.</summary>
    public readonly int Buffered => _buffered;

    public void WriteRequestLine(KnownMethod method, ReadOnlySpan<byte> target, HttpProtocolVersion version) =>
        WriteRequestLine(KnownMethods.GetName(method), target, version);

    public void WriteRequestLine(ReadOnlySpan<byte> method, ReadOnlySpan<byte> target, HttpProtocolVersion version)
    {
        var span = Reserve(method.Length + target.Length + 12);
        method.CopyTo(span);
        int written = method.Length;
        span[written++] = HttpCharacters.Space;
        target.CopyTo(span[written..]);
        written += target.Length;
        span[written++] = HttpCharacters.Space;
        VersionToken(version).CopyTo(span[written..]);
        written += 8;
        span[written++] = HttpCharacters.CR;
        span[written++] = HttpCharacters.LF;
        _buffered += written;
    }

    /// <summary>An HTTP/1.1 status line with the standard reason phrase (empty for uncommon codes).</summary>
    public void WriteStatusLine(int statusCode)
    {
        var precomputed = HttpStatusLines.GetHttp11StatusLine(statusCode);
        if (!precomputed.IsEmpty)
        {
            Write(precomputed);
            return;
        }

        WriteStatusLine(HttpProtocolVersion.Http11, statusCode, default);
    }

    public void WriteStatusLine(HttpProtocolVersion version, int statusCode, ReadOnlySpan<byte> reasonPhrase)
    {
        if ((uint)(statusCode - 100) > 899)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A status code has three digits.");
        }

        var span = Reserve(reasonPhrase.Length + 15);
        VersionToken(version).CopyTo(span);
        span[8] = HttpCharacters.Space;
        span[9] = (byte)('0' + (statusCode / 100));
        span[10] = (byte)('0' + (statusCode / 10 % 10));
        span[11] = (byte)('0' + (statusCode % 10));
        span[12] = HttpCharacters.Space;
        reasonPhrase.CopyTo(span[13..]);
        int written = 13 + reasonPhrase.Length;
        span[written++] = HttpCharacters.CR;
        span[written++] = HttpCharacters.LF;
        _buffered += written;
    }

    public void WriteHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var span = Reserve(name.Length + value.Length + 4);
        name.CopyTo(span);
        int written = name.Length;
        span[written++] = HttpCharacters.Colon;
        span[written++] = HttpCharacters.Space;
        value.CopyTo(span[written..]);
        written += value.Length;
        span[written++] = HttpCharacters.CR;
        span[written++] = HttpCharacters.LF;
        _buffered += written;
    }

    public void WriteHeader(ReadOnlySpan<byte> name, long value)
    {
        // 20 digits hold any long including the sign.
        var span = Reserve(name.Length + 24);
        name.CopyTo(span);
        int written = name.Length;
        span[written++] = HttpCharacters.Colon;
        span[written++] = HttpCharacters.Space;
        Utf8Formatter.TryFormat(value, span[written..], out int digits);
        written += digits;
        span[written++] = HttpCharacters.CR;
        span[written++] = HttpCharacters.LF;
        _buffered += written;
    }

    public void WriteContentLength(long contentLength) => WriteHeader(KnownHeaders.ContentLength, contentLength);

    public void WriteTransferEncodingChunked() => Write("Transfer-Encoding: chunked\r\n"u8);

    public void WriteConnectionClose() => Write("Connection: close\r\n"u8);

    public void WriteConnectionKeepAlive() => Write("Connection: keep-alive\r\n"u8);

    /// <summary>The empty line that ends the head.</summary>
    public void WriteEndOfHead() => Write("\r\n"u8);

    /// <summary>Raw bytes, e.g. a precomputed block of fields.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _buffered += bytes.Length;
    }

    /// <summary>Hands the gathered bytes to the underlying writer; call once the head (or a part to flush) is written.</summary>
    public void Commit()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
            _span = default;
        }
    }

    private static ReadOnlySpan<byte> VersionToken(HttpProtocolVersion version) =>
        version == HttpProtocolVersion.Http10 ? "HTTP/1.0"u8 : "HTTP/1.1"u8;

    // Space for at least `length` more bytes, starting at the first unused byte.
    private Span<byte> Reserve(int length)
    {
        if (_span.Length - _buffered < length)
        {
            Grow(length);
        }

        return _span[_buffered..];
    }

    private void Grow(int length)
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = _output.GetSpan(length);
    }
}
