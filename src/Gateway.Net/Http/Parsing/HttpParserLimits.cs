namespace Gateway.Net.Http.Parsing;

/// <summary>
/// Bounds on what the HTTP/1.x codec accepts. Every bound also caps how many bytes the parser may buffer
/// while it waits for the end of a line, so a peer cannot make it hold or scan unbounded input.
/// Values are checked where they are set.
/// </summary>
internal sealed class HttpParserLimits
{
    private readonly int _maxRequestLineLength = 8 * 1024;
    private readonly int _maxHeaderCount = 100;
    private readonly int _maxHeaderBytes = 32 * 1024;
    private readonly long _maxRequestBodySize = 30L * 1024 * 1024;
    private readonly int _maxChunkLineLength = 1024;
    private readonly int _maxTrailerCount = 32;
    private readonly int _maxTrailerBytes = 8 * 1024;

    public static HttpParserLimits Default { get; } = new();

    /// <summary>Longest start line (request line or status line) including its CRLF.</summary>
    public int MaxRequestLineLength
    {
        get => _maxRequestLineLength;
        init => _maxRequestLineLength = Positive(value);
    }

    /// <summary>Most header fields in one head.</summary>
    public int MaxHeaderCount
    {
        get => _maxHeaderCount;
        init => _maxHeaderCount = Positive(value);
    }

    /// <summary>Most bytes of header lines (each with its CRLF) in one head, the start line and final CRLF excluded.</summary>
    public int MaxHeaderBytes
    {
        get => _maxHeaderBytes;
        init => _maxHeaderBytes = Positive(value);
    }

    /// <summary>Largest request body, whether announced by Content-Length or counted while de-chunking.</summary>
    public long MaxRequestBodySize
    {
        get => _maxRequestBodySize;
        init => _maxRequestBodySize = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must not be negative.");
    }

    /// <summary>Longest chunk-size line, extensions and CRLF included.</summary>
    public int MaxChunkLineLength
    {
        get => _maxChunkLineLength;
        init => _maxChunkLineLength = value >= 3 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must be at least 3.");
    }

    /// <summary>Most trailer fields after a chunked body.</summary>
    public int MaxTrailerCount
    {
        get => _maxTrailerCount;
        init => _maxTrailerCount = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must not be negative.");
    }

    /// <summary>Most bytes of trailer lines, the final CRLF excluded.</summary>
    public int MaxTrailerBytes
    {
        get => _maxTrailerBytes;
        init => _maxTrailerBytes = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must not be negative.");
    }

    private static int Positive(int value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must be positive.");
}
