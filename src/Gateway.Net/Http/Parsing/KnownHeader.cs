using System.Text;

namespace Gateway.Net.Http.Parsing;

/// <summary>
/// Header fields the codec or the forwarder acts on. The parser classifies every name once and hands the result to the
/// handler, so later stages (hop-by-hop filtering, routing on Host) do not compare names again.
/// </summary>
internal enum KnownHeader : byte
{
    Unknown,
    Host,
    ContentLength,
    TransferEncoding,
    Connection,
    KeepAlive,
    ProxyConnection,
    TE,
    Trailer,
    Upgrade,
    Expect,
    ProxyAuthenticate,
    ProxyAuthorization,
    ContentType,
}

internal static class KnownHeaders
{
    public static ReadOnlySpan<byte> Host => "Host"u8;
    public static ReadOnlySpan<byte> ContentLength => "Content-Length"u8;
    public static ReadOnlySpan<byte> TransferEncoding => "Transfer-Encoding"u8;
    public static ReadOnlySpan<byte> Connection => "Connection"u8;
    public static ReadOnlySpan<byte> KeepAlive => "Keep-Alive"u8;
    public static ReadOnlySpan<byte> ProxyConnection => "Proxy-Connection"u8;
    public static ReadOnlySpan<byte> TE => "TE"u8;
    public static ReadOnlySpan<byte> Trailer => "Trailer"u8;
    public static ReadOnlySpan<byte> Upgrade => "Upgrade"u8;
    public static ReadOnlySpan<byte> Expect => "Expect"u8;
    public static ReadOnlySpan<byte> ProxyAuthenticate => "Proxy-Authenticate"u8;
    public static ReadOnlySpan<byte> ProxyAuthorization => "Proxy-Authorization"u8;
    public static ReadOnlySpan<byte> ContentType => "Content-Type"u8;
    public static ReadOnlySpan<byte> Date => "Date"u8;
    public static ReadOnlySpan<byte> Server => "Server"u8;
    public static ReadOnlySpan<byte> Via => "Via"u8;
    public static ReadOnlySpan<byte> XForwardedFor => "X-Forwarded-For"u8;
    public static ReadOnlySpan<byte> XRequestId => "X-Request-Id"u8;

    public static ReadOnlySpan<byte> ChunkedToken => "chunked"u8;
    public static ReadOnlySpan<byte> CloseToken => "close"u8;
    public static ReadOnlySpan<byte> KeepAliveToken => "keep-alive"u8;
    public static ReadOnlySpan<byte> UpgradeToken => "upgrade"u8;
    public static ReadOnlySpan<byte> ContinueExpectation => "100-continue"u8;

    /// <summary>Field names are case-insensitive; the length picks at most two candidates to compare.</summary>
    public static KnownHeader Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when Ascii.EqualsIgnoreCase(name, TE) => KnownHeader.TE,
        4 when Ascii.EqualsIgnoreCase(name, Host) => KnownHeader.Host,
        6 when Ascii.EqualsIgnoreCase(name, Expect) => KnownHeader.Expect,
        7 when Ascii.EqualsIgnoreCase(name, Upgrade) => KnownHeader.Upgrade,
        7 when Ascii.EqualsIgnoreCase(name, Trailer) => KnownHeader.Trailer,
        10 when Ascii.EqualsIgnoreCase(name, Connection) => KnownHeader.Connection,
        10 when Ascii.EqualsIgnoreCase(name, KeepAlive) => KnownHeader.KeepAlive,
        12 when Ascii.EqualsIgnoreCase(name, ContentType) => KnownHeader.ContentType,
        14 when Ascii.EqualsIgnoreCase(name, ContentLength) => KnownHeader.ContentLength,
        16 when Ascii.EqualsIgnoreCase(name, ProxyConnection) => KnownHeader.ProxyConnection,
        17 when Ascii.EqualsIgnoreCase(name, TransferEncoding) => KnownHeader.TransferEncoding,
        18 when Ascii.EqualsIgnoreCase(name, ProxyAuthenticate) => KnownHeader.ProxyAuthenticate,
        19 when Ascii.EqualsIgnoreCase(name, ProxyAuthorization) => KnownHeader.ProxyAuthorization,
        _ => KnownHeader.Unknown,
    };

    /// <summary>Fields that describe one hop and must not be forwarded as they are (RFC 9110 section 7.6.1).</summary>
    public static bool IsHopByHop(KnownHeader header) => header is KnownHeader.Connection or KnownHeader.KeepAlive
        or KnownHeader.ProxyConnection or KnownHeader.TE or KnownHeader.Trailer or KnownHeader.TransferEncoding
        or KnownHeader.Upgrade or KnownHeader.ProxyAuthenticate or KnownHeader.ProxyAuthorization;
}
