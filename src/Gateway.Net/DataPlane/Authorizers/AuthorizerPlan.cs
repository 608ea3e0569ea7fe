using System.Text.RegularExpressions;
using Gateway.Net.Upstream;

namespace Gateway.Net.DataPlane.Authorizers;

/// <summary>One identity source of an authorizer: a header or query parameter that must be present (and match).</summary>
internal sealed class AuthorizerIdentityRule
{
    public required byte[] Name { get; init; }

    /// <summary>True for a QUERY identity, false for a HEADER one.</summary>
    public required bool InQuery { get; init; }

    /// <summary>The <c>validation</c> expression, anchored so the whole value must match; null when not set.</summary>
    public Regex? Validation { get; init; }
}

/// <summary>
/// A FRONTEND custom authorizer compiled for the request path: where to call it (a pooled upstream endpoint and the
/// request target), what to check first (identities), what to send along (user data), and its decision cache.
/// Shared by every API that names the authorizer.
/// </summary>
internal sealed class AuthorizerPlan
{
    public required string Id { get; init; }

    public required UpstreamEndpoint Endpoint { get; init; }

    /// <summary>The request target on the authorizer: the URL's path and query, already escaped.</summary>
    public required byte[] Target { get; init; }

    public required AuthorizerIdentityRule[] Identities { get; init; }

    public string? UserData { get; init; }

    /// <summary><c>need_body</c>: the request body is read (bounded) and sent in the event before the backend sees it.</summary>
    public bool NeedBody { get; init; }

    /// <summary>Decisions by identity values; null when <c>ttl</c> is 0 or there are no identities to key them by.</summary>
    public AuthorizerCache? Cache { get; init; }

    public int TimeoutMilliseconds { get; init; } = 5_000;
}
