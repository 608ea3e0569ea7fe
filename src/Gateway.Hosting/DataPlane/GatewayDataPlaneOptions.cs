namespace Gateway.Hosting.DataPlane;

/// <summary>Where the data plane listens and which gateway instance it serves.</summary>
public sealed class GatewayDataPlaneOptions
{
    /// <summary>
    /// The data plane's own listening address, e.g. <c>http://127.0.0.1:9000</c> (port 0 picks a free port); null when
    /// it is served only on Kestrel endpoints (<c>ListenOptions.UseGatewayDataPlane()</c>).
    /// </summary>
    public string? ListenUrl { get; set; } = "http://127.0.0.1:9000";

    /// <summary>The project whose instance is served.</summary>
    public string ProjectId { get; set; } = "0123456789abcdef0123456789abcdef";

    /// <summary>The instance served; when null, the project's first instance.</summary>
    public string? InstanceId { get; set; }

    /// <summary>Requests per second an API without a bound throttling policy may receive (the instance default, 200).</summary>
    public int DefaultApiRequestsPerSecond { get; set; } = 200;

    /// <summary>Connections above this number are refused.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>How long a connection may sit waiting for a request head before it is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether the caller's address for ACLs and throttling is taken from <c>X-Forwarded-For</c> (APIG's
    /// <c>real_ip_from_xff</c>) instead of the connection's peer. Enable only behind a proxy that sets the header.
    /// </summary>
    public bool TrustForwardedFor { get; set; }

    /// <summary>The <c>X-Forwarded-For</c> entry used when <see cref="TrustForwardedFor"/> is on: 0 = first, -1 = last (the default).</summary>
    public int ForwardedForIndex { get; set; } = -1;

    /// <summary>
    /// A file the data plane appends one line per request to (<c>-</c> for standard output), or null for no access log.
    /// Lines: <c>time request-id client-ip "METHOD path" status api-id milliseconds</c>; queries are never logged.
    /// </summary>
    public string? AccessLogPath { get; set; }

    /// <summary>
    /// How long a backend may take to accept a new connection, within the API's own timeout. A backend that does not
    /// accept in time counts as unavailable: the attempt is retried as the API allows, then answered 502 (APIG.0202).
    /// </summary>
    public TimeSpan BackendConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a call to a custom authorizer may take before the request fails with AUTHORIZER_CONF_FAILURE.</summary>
    public TimeSpan AuthorizerTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The account (domain) name IAM-authenticated callers belong to, for DOMAIN ACLs. The built-in IAM check accepts
    /// the management API's tokens and AK/SK pairs, all of one account; null means <see cref="ProjectId"/>.
    /// </summary>
    public string? IamAccountName { get; set; }

    /// <summary>The account (domain) id of IAM-authenticated callers, for DOMAIN_ID ACLs; null means <see cref="ProjectId"/>.</summary>
    public string? IamAccountId { get; set; }

    /// <summary>The user id of IAM-authenticated callers (the key of per-user throttles); null means <see cref="ProjectId"/>.</summary>
    public string? IamUserId { get; set; }

    /// <summary>How long in-flight requests get to finish when the host stops.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a VPC channel member taken out by failed requests stays out when its channel has no active health
    /// check; then it is tried again. (With an active check, only its probes bring the member back.)
    /// </summary>
    public TimeSpan PassiveEjectionCooldown { get; set; } = TimeSpan.FromSeconds(10);
}
