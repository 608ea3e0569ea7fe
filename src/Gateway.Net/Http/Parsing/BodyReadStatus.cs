namespace Gateway.Net.Http.Parsing;

/// <summary>Outcome of one call into a body reader.</summary>
internal enum BodyReadStatus : byte
{
    /// <summary>Nothing more can be produced from the bytes available.</summary>
    NeedMoreData,

    /// <summary>A non-empty run of body bytes was produced and the reader moved past it.</summary>
    Data,

    /// <summary>The body (and any trailers) ended; the reader is positioned at the next message.</summary>
    Completed,

    /// <summary>The body framing is invalid or exceeds a limit; the connection must be closed.</summary>
    Rejected,
}
