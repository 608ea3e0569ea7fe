namespace Gateway.Net.Http.Parsing;

/// <summary>A validated status line, viewed over the parser's input.</summary>
internal readonly ref struct HttpStatusLine
{
    public HttpStatusLine(HttpProtocolVersion version, int statusCode, ReadOnlySpan<byte> reasonPhrase)
    {
        Version = version;
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
    }

    public HttpProtocolVersion Version { get; }

    public int StatusCode { get; }

    /// <summary>The reason phrase as sent; may be empty.</summary>
    public ReadOnlySpan<byte> ReasonPhrase { get; }
}
