namespace Gateway.Net.Http.Parsing;

/// <summary>
/// Receives header (or trailer) fields. Implement on a struct and pass it by <c>ref</c>: the parsers are generic over
/// the handler type, so calls are resolved statically and nothing is boxed.
/// </summary>
internal interface IHttpHeadersHandler
{
    /// <summary>
    /// One field, validated: <paramref name="name"/> is a token, <paramref name="value"/> has no CTLs and no leading or
    /// trailing whitespace. Both spans are only valid during the call.
    /// </summary>
    void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}

/// <summary>Receives the parts of a request head.</summary>
internal interface IHttpRequestHandler : IHttpHeadersHandler
{
    /// <summary>The validated request line; its spans are only valid during the call.</summary>
    void OnRequestLine(HttpRequestLine requestLine);
}

/// <summary>Receives the parts of a response head.</summary>
internal interface IHttpResponseHandler : IHttpHeadersHandler
{
    /// <summary>The validated status line; its spans are only valid during the call.</summary>
    void OnStatusLine(HttpStatusLine statusLine);
}

/// <summary>
/// A response handler that keeps nothing: for callers that only need what the parser itself records (status code,
/// framing, keep-alive), such as health probes and the custom-authorizer client.
/// </summary>
internal struct StatusOnlyResponseHandler : IHttpResponseHandler
{
    public readonly void OnStatusLine(HttpStatusLine statusLine)
    {
    }

    public readonly void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
    }
}

/// <summary>A handler that drops every field, for trailers nobody needs.</summary>
internal struct DiscardingHeadersHandler : IHttpHeadersHandler
{
    public readonly void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
    }
}
