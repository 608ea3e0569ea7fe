namespace Gateway.Net.Http.Parsing;

/// <summary>
/// Why an HTTP/1.x message was refused. Requests map to the status the gateway answers with
/// (<see cref="RequestRejectionExtensions.ToStatusCode"/>); a refused upstream response is answered with 502.
/// </summary>
internal enum RequestRejection : byte
{
    None,

    // Start line.
    InvalidRequestLine,
    InvalidMethod,
    InvalidRequestTarget,
    RequestLineTooLong,
    UnsupportedHttpVersion,
    InvalidStatusLine,
    StatusLineTooLong,

    // Line syntax shared by every part of the head.
    InvalidLineTerminator,

    // Header fields.
    InvalidHeaderLine,
    InvalidHeaderName,
    WhitespaceBeforeColon,
    ObsoleteLineFolding,
    InvalidHeaderValue,
    TooManyHeaders,
    HeadersTooLarge,
    MissingHost,
    MultipleHost,
    InvalidHost,

    // Body framing.
    InvalidContentLength,
    MultipleContentLength,
    ContentLengthWithTransferEncoding,
    InvalidTransferEncoding,
    UnsupportedTransferEncoding,
    ChunkedNotFinal,
    TransferEncodingInHttp10,
    BodyTooLarge,

    // Chunked body.
    InvalidChunkSize,
    InvalidChunkExtension,
    ChunkLineTooLong,
    InvalidChunkTerminator,
    TooManyTrailers,
    TrailersTooLarge,
    UnexpectedEndOfBody,
}

internal static class RequestRejectionExtensions
{
    /// <summary>The status code to answer a client whose request was refused for <paramref name="rejection"/>.</summary>
    public static int ToStatusCode(this RequestRejection rejection) => rejection switch
    {
        RequestRejection.RequestLineTooLong => 414,
        RequestRejection.UnsupportedHttpVersion => 505,
        RequestRejection.TooManyHeaders or RequestRejection.HeadersTooLarge => 431,
        RequestRejection.TooManyTrailers or RequestRejection.TrailersTooLarge => 431,
        RequestRejection.BodyTooLarge => 413,
        RequestRejection.UnsupportedTransferEncoding => 501,
        // Only an upstream response can fail this way; the client sees a bad gateway.
        RequestRejection.InvalidStatusLine or RequestRejection.StatusLineTooLong => 502,
        _ => 400,
    };
}
