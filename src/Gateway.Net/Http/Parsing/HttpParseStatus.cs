namespace Gateway.Net.Http.Parsing;

/// <summary>Outcome of one call into an HTTP/1.x head parser.</summary>
internal enum HttpParseStatus : byte
{
    /// <summary>More bytes are needed; the reader stays at the start of the unfinished line.</summary>
    Incomplete,

    /// <summary>The element was parsed and the reader is positioned just after it.</summary>
    Complete,

    /// <summary>The message is refused; the parser's <c>Rejection</c> says why. The connection must not be reused.</summary>
    Rejected,
}
