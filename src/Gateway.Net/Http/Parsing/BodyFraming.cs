namespace Gateway.Net.Http.Parsing;

/// <summary>How the end of a message body is found.</summary>
internal enum BodyFraming : byte
{
    /// <summary>No body follows the head.</summary>
    None,

    /// <summary>Exactly <c>Content-Length</c> bytes follow.</summary>
    ContentLength,

    /// <summary>A chunked transfer-coding follows.</summary>
    Chunked,

    /// <summary>The body runs until the peer closes the connection (responses only).</summary>
    CloseDelimited,
}
