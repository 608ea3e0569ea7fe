using Gateway.Apig.VpcChannels;
using Gateway.Net.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Hosting.DataPlane;

/// <summary>
/// Writes the member health the data plane observes (<c>health_status</c>) to the stored members, so the member list
/// operations show it. Flips are taken from the checker's outbox, gathered for a short while so a burst becomes one
/// commit, and written off the probing path: a slow or failing store never delays a probe or a request.
/// </summary>
internal sealed partial class HealthCheckHostedService(
    DataPlaneHostedService dataPlane,
    VpcChannelManager channels,
    TimeProvider time,
    ILogger<HealthCheckHostedService> logger) : IHostedService, IDisposable
{
    /// <summary>How long flips are gathered before they are written.</summary>
    internal static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    /// <summary>The pause after a failed write before it is tried again.</summary>
    internal static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private Task _writing = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (dataPlane.HealthChecks is { } checks)
        {
            _writing = WriteAsync(checks.Outbox, _stopping.Token);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _writing.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WriteAsync(HealthStatusOutbox outbox, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await outbox.WaitAsync(stopping).ConfigureAwait(false);
            await Task.Delay(Debounce, time, stopping).ConfigureAwait(false);
            var failed = false;
            foreach (var batch in outbox.Drain().GroupBy(static record => record.InstanceId, StringComparer.Ordinal))
            {
                try
                {
                    await channels.RecordMemberHealthAsync(batch.Key, [.. batch.Select(static record => KeyValuePair.Create(record.MemberId, record.Healthy))], stopping).ConfigureAwait(false);
                    LogRecorded(logger, batch.Count(), batch.Key);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    LogWriteFailed(logger, exception, batch.Key);
                    outbox.Return(batch);
                    failed = true;
                }
            }

            if (failed)
            {
                await Task.Delay(RetryDelay, time, stopping).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Recorded the health of {Count} members of instance {InstanceId}")]
    private static partial void LogRecorded(ILogger logger, int count, string instanceId);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Recording member health for instance {InstanceId} failed; retrying")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string instanceId);
}
