namespace Gateway.Net.Health;

/// <summary>Runs one probe against one member.</summary>
internal interface IHealthProbe
{
    /// <summary>
    /// Whether the member passed. A failure to connect, a refused or timed-out exchange (the token is cancelled when
    /// the check's timeout has passed) or an unaccepted status is false; the probe never throws for those.
    /// </summary>
    ValueTask<bool> ProbeAsync(HealthCheckTarget target, CancellationToken cancellationToken);
}
