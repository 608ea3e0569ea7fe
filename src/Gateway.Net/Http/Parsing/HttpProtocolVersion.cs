namespace Gateway.Net.Http.Parsing;

/// <summary>The HTTP/1.x versions the codec speaks.</summary>
internal enum HttpProtocolVersion : byte
{
    /// <summary>HTTP/1.0.</summary>
    Http10 = 10,

    /// <summary>HTTP/1.1.</summary>
    Http11 = 11,
}
