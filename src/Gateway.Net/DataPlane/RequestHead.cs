using Gateway.Net.Http.Parsing;

namespace Gateway.Net.DataPlane;

/// <summary>A byte range inside <see cref="RequestHead.Buffer"/>.</summary>
internal readonly record struct ByteRange(int Start, int Length)
{
    public bool IsEmpty => Length == 0;
}

/// <summary>One header field of the request, as ranges into the head buffer.</summary>
internal readonly record struct HeaderEntry(KnownHeader Known, ByteRange Name, ByteRange Value);

/// <summary>
/// The request head copied out of the connection's input while it is parsed, so the input can be advanced at once and
/// the head stays readable for routing and for writing the backend request. One per connection, reused for every
/// request: the buffer and index grow to the largest head seen and are never reallocated after that.
/// </summary>
internal sealed class RequestHead
{
    private byte[] _buffer = new byte[4096];
    private HeaderEntry[] _headers = new HeaderEntry[32];

    public byte[] Buffer => _buffer;

    public int Length { get; private set; }

    public int HeaderCount { get; private set; }

    public KnownMethod Method { get; private set; }

    public ByteRange MethodName { get; private set; }

    public ByteRange Path { get; private set; }

    public ByteRange Query { get; private set; }

    public ByteRange Authority { get; private set; }

    public HttpProtocolVersion Version { get; private set; }

    public ByteRange Host { get; private set; }

    public ByteRange Stage { get; private set; }

    public ByteRange ForwardedFor { get; private set; }

    public ByteRange RequestId { get; private set; }

    public ReadOnlySpan<HeaderEntry> Headers => _headers.AsSpan(0, HeaderCount);

    public ReadOnlySpan<byte> this[ByteRange range] => _buffer.AsSpan(range.Start, range.Length);

    public void Reset()
    {
        Length = 0;
        HeaderCount = 0;
        Method = KnownMethod.Custom;
        MethodName = Path = Query = Authority = Host = Stage = ForwardedFor = RequestId = default;
    }

    public void OnRequestLine(HttpRequestLine line)
    {
        Method = line.Method;
        Version = line.Version;
        MethodName = Append(line.MethodName);
        Path = Append(line.Path);
        Query = Append(line.Query);
        Authority = Append(line.Authority);
    }

    public void OnHeader(KnownHeader known, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var nameRange = Append(name);
        var valueRange = Append(value);
        if (HeaderCount == _headers.Length)
        {
            Array.Resize(ref _headers, _headers.Length * 2);
        }

        _headers[HeaderCount++] = new HeaderEntry(known, nameRange, valueRange);
        switch (known)
        {
            case KnownHeader.Host:
                Host = valueRange;
                break;
            case KnownHeader.Unknown when name.Length == 7 && System.Text.Ascii.EqualsIgnoreCase(name, "X-Stage"u8):
                Stage = valueRange;
                break;
            case KnownHeader.Unknown when name.Length == 15 && System.Text.Ascii.EqualsIgnoreCase(name, "X-Forwarded-For"u8):
                ForwardedFor = valueRange;
                break;
            case KnownHeader.Unknown when name.Length == 12 && System.Text.Ascii.EqualsIgnoreCase(name, "X-Request-Id"u8):
                RequestId = valueRange;
                break;
        }
    }

    /// <summary>The value of the first header named <paramref name="name"/> (case-insensitive), or empty.</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        foreach (var header in Headers)
        {
            if (header.Name.Length == name.Length && System.Text.Ascii.EqualsIgnoreCase(this[header.Name], name))
            {
                value = this[header.Value];
                return true;
            }
        }

        value = default;
        return false;
    }

    private ByteRange Append(ReadOnlySpan<byte> bytes)
    {
        if (Length + bytes.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + bytes.Length));
        }

        bytes.CopyTo(_buffer.AsSpan(Length));
        var range = new ByteRange(Length, bytes.Length);
        Length += bytes.Length;
        return range;
    }
}

/// <summary>The parser's handler: copies the head into the connection's <see cref="RequestHead"/>.</summary>
internal readonly struct RequestHeadCollector(RequestHead head) : IHttpRequestHandler
{
    public void OnRequestLine(HttpRequestLine requestLine) => head.OnRequestLine(requestLine);

    public void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => head.OnHeader(header, name, value);
}
