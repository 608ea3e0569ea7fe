using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Gateway.Net.Http.Serialization;
using Gateway.Net.Routing;
using Gateway.Net.Threading;

namespace Gateway.Net.DataPlane;

/// <summary>
/// CORS for APIs with <c>cors: true</c> (§4.12; the document leaves preflight to the implementation). The gateway
/// answers a preflight itself (OPTIONS with <c>Origin</c> and <c>Access-Control-Request-Method</c>, when the API the
/// requested method reaches on that path has cors on) with permissive defaults and no backend call:
/// <c>Access-Control-Allow-Origin: *</c>, <c>Access-Control-Allow-Methods: {requested method}</c>,
/// <c>Access-Control-Allow-Headers: {the requested headers, or the APIG signing headers}</c>,
/// <c>Access-Control-Max-Age: 172800</c>. An API of its own for OPTIONS on the path (without cors) still gets the
/// request. Every other answer for a cors API (mock, backend response, gateway error) carries
/// <c>Access-Control-Allow-Origin: *</c> and <c>Access-Control-Expose-Headers: X-Request-Id</c>; a backend that sets
/// its own Access-Control-Allow-Origin keeps its own. APIs without cors get no CORS header.
/// </summary>
internal sealed partial class GatewayConnection
{
    /// <summary>Seconds a browser may cache a preflight answer (the CORS plugin example's value).</summary>
    private const int PreflightMaxAgeSeconds = 172_800;

    private static ReadOnlySpan<byte> DefaultAllowHeaders =>
        "Content-Type, Authorization, X-Stage, X-Sdk-Date, X-Sdk-Nonce, X-Proxy-Signed-Headers, X-Sdk-Content-Sha256, X-Apig-AppCode"u8;

    /// <summary>
    /// Answers a CORS preflight for a cors API; returns whether the connection stays open, or null when the request is
    /// not such a preflight and is served as usual. <paramref name="routed"/> is what the OPTIONS request itself matched.
    /// </summary>
    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<bool?> TryAnswerPreflightAsync(PipeReader input, PipeWriter output, CompiledApi? routed, CancellationToken cancellationToken)
    {
        if (PreflightTarget(routed) is not { } api)
        {
            return null;
        }

        _currentApi = api;
        var keepAlive = _parser.KeepAlive && await DrainBodyAsync(input, cancellationToken).ConfigureAwait(false);
        WritePreflight(output, keepAlive);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return keepAlive;
    }

    /// <summary>The cors API a preflight asks about, or null when the request is not a preflight the gateway answers.</summary>
    private CompiledApi? PreflightTarget(CompiledApi? routed)
    {
        if (!_head.TryGetHeader("Origin"u8, out var origin) || origin.IsEmpty ||
            !_head.TryGetHeader("Access-Control-Request-Method"u8, out var requested) || requested.IsEmpty ||
            _group?.Find(_head[_head.Stage]) is not { } trie)
        {
            return null;
        }

        Span<PathCapture> captures = stackalloc PathCapture[RouteTrie<CompiledApi>.MaxCaptures];
        var target = trie.Match(requested, _head[_head.Path], captures).Endpoint;
        return IsPreflightAnsweredByGateway(routed, target) ? target : null;
    }

    /// <summary>
    /// The gateway answers when the requested method's API has cors on, unless the OPTIONS request reached another
    /// API that does not do cors (an OPTIONS API of the provider's own).
    /// </summary>
    internal static bool IsPreflightAnsweredByGateway(CompiledApi? routed, CompiledApi? target) =>
        target is { Cors: true } && (routed is null || ReferenceEquals(routed, target) || routed.Cors);

    private void WritePreflight(PipeWriter output, bool keepAlive)
    {
        RecordResponse(200);
        _head.TryGetHeader("Access-Control-Request-Method"u8, out var method);
        var head = new Http1HeadWriter(output);
        head.WriteStatusLine(200);
        head.WriteHeader("Access-Control-Allow-Origin"u8, "*"u8);
        head.WriteHeader("Access-Control-Allow-Methods"u8, method);
        head.WriteHeader("Access-Control-Allow-Headers"u8,
            _head.TryGetHeader("Access-Control-Request-Headers"u8, out var requestedHeaders) && !requestedHeaders.IsEmpty ? requestedHeaders : DefaultAllowHeaders);
        head.WriteHeader("Access-Control-Max-Age"u8, PreflightMaxAgeSeconds);
        head.WriteContentLength(0);
        head.WriteHeader("X-Request-Id"u8, _requestId);
        if (!keepAlive)
        {
            head.WriteConnectionClose();
        }

        head.WriteEndOfHead();
        head.Commit();
    }

    /// <summary>The CORS headers of an actual (non-preflight) answer from the gateway itself: mock or error.</summary>
    private void WriteCorsHeaders(ref Http1HeadWriter head)
    {
        if (_currentApi is { Cors: true })
        {
            head.WriteHeader("Access-Control-Allow-Origin"u8, "*"u8);
            head.WriteHeader("Access-Control-Expose-Headers"u8, "X-Request-Id"u8);
        }
    }

    /// <summary>The CORS headers added to a backend's response, unless the backend already answers CORS itself.</summary>
    private void WriteCorsHeadersForBackendResponse(ref Http1HeadWriter head)
    {
        if (_currentApi is { Cors: true } && !HasHeaderLine(_responseHead.WrittenSpan, "access-control-allow-origin:"u8))
        {
            WriteCorsHeaders(ref head);
        }
    }

    /// <summary>Whether a serialized head has a field line starting with <paramref name="prefix"/> (lower-case, with the colon).</summary>
    internal static bool HasHeaderLine(ReadOnlySpan<byte> head, ReadOnlySpan<byte> prefix)
    {
        while (true)
        {
            var lineFeed = head.IndexOf((byte)'\n');
            if (lineFeed < 0)
            {
                return false;
            }

            head = head[(lineFeed + 1)..];
            if (head.Length >= prefix.Length && System.Text.Ascii.EqualsIgnoreCase(head[..prefix.Length], prefix))
            {
                return true;
            }
        }
    }
}
