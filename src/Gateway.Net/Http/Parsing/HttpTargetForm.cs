namespace Gateway.Net.Http.Parsing;

/// <summary>The four request-target forms of RFC 9112 section 3.2.</summary>
internal enum HttpTargetForm : byte
{
    /// <summary><c>/path?query</c>.</summary>
    Origin,

    /// <summary><c>http://authority/path?query</c>, as sent to proxies.</summary>
    Absolute,

    /// <summary><c>host:port</c>, only with CONNECT.</summary>
    Authority,

    /// <summary><c>*</c>, only with OPTIONS.</summary>
    Asterisk,
}
