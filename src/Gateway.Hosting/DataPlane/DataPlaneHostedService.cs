using System.Net;
using Gateway.Apig.Common;
using Gateway.Apig.Runtime;
using Gateway.Hosting.Authentication;
using Gateway.Net.Balancing;
using Gateway.Net.DataPlane;
using Gateway.Net.Health;
using Gateway.Net.Timing;
using Gateway.Net.Upstream;
using Gateway.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting.DataPlane;

/// <summary>
/// Runs the data plane: compiles the served instance's published state into a snapshot, follows the store's change
/// feed to recompile on every change (hot reload, no restart, no dropped connection), and runs the listener.
/// </summary>
internal sealed partial class DataPlaneHostedService(
    IResourceStore store,
    IOptions<GatewayDataPlaneOptions> options,
    ILogger<DataPlaneHostedService> logger,
    IOptions<ManagementAuthenticationOptions> iamCredentials,
    TimeProvider? timeProvider = null) : IHostedService, IAsyncDisposable
{
    private readonly DataPlaneSnapshotSource _snapshots = new();
    private readonly UpstreamRegistry _upstreams = new();
    private readonly Heartbeat _heartbeat = new(TimeProvider.System);
    private ThrottleRegistry? _throttles;
    private Gateway.Net.DataPlane.Authorizers.AuthorizerRuntime? _authorizers;
    private HealthChecker? _healthChecks;
    private readonly CancellationTokenSource _stopping = new();
    private DataPlaneServer? _server;
    private Task _watch = Task.CompletedTask;
    private string? _instanceId;

    public DataPlaneSnapshotSource Snapshots => _snapshots;

    /// <summary>The observed health of every VPC channel member, kept across snapshots.</summary>
    public MemberHealthRegistry MemberHealth { get; } = new();

    /// <summary>The active health checks of channel members; set once started.</summary>
    internal HealthChecker? HealthChecks => _healthChecks;

    /// <summary>The engine settings every connection of this data plane uses (the built-in listener and Kestrel's alike).</summary>
    public DataPlaneOptions EngineOptions { get; } = new()
    {
        ForwardedForIndex = options.Value.TrustForwardedFor ? options.Value.ForwardedForIndex : null,
        AccessLog = string.IsNullOrEmpty(options.Value.AccessLogPath) ? null : Gateway.Net.Telemetry.AccessLog.Open(options.Value.AccessLogPath),
        TimeProvider = timeProvider ?? TimeProvider.System,
        ConnectTimeout = options.Value.BackendConnectTimeout,
        IamValidator = new ConfiguredIamCredentialValidator(iamCredentials.Value, new Gateway.Net.Security.IamCaller(
            options.Value.IamUserId ?? options.Value.ProjectId,
            options.Value.IamAccountName ?? options.Value.ProjectId,
            options.Value.IamAccountId ?? options.Value.ProjectId)),
    };

    public IPEndPoint? LocalEndPoint => _server?.LocalEndPoint;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        _throttles = new ThrottleRegistry(_heartbeat) { DefaultRequestsPerSecond = settings.DefaultApiRequestsPerSecond };
        _authorizers = new Gateway.Net.DataPlane.Authorizers.AuthorizerRuntime(_heartbeat.TimeProvider, _heartbeat) { CallTimeout = settings.AuthorizerTimeout };
        _heartbeat.Start();
        MemberHealth.PassiveCooldown = settings.PassiveEjectionCooldown;
        _healthChecks = new HealthChecker(MemberHealth);
        var endpoint = string.IsNullOrEmpty(settings.ListenUrl) ? null : ParseListenUrl(settings.ListenUrl);
        _instanceId = settings.InstanceId ?? await FirstInstanceAsync(settings.ProjectId, cancellationToken).ConfigureAwait(false);
        var revision = await ReloadAsync(cancellationToken).ConfigureAwait(false);
        _watch = WatchAsync(revision, _stopping.Token);

        if (endpoint is null)
        {
            return;
        }

        _server = new DataPlaneServer(_snapshots, EngineOptions, new DataPlaneServerOptions
        {
            MaxConnections = settings.MaxConnections,
            IdleTimeout = settings.IdleTimeout,
        });
        _server.Start(endpoint);
        LogListening(logger, $"http://{_server.LocalEndPoint}", _instanceId ?? "(none)");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        if (_server is not null)
        {
            await _server.StopAsync(options.Value.DrainTimeout).ConfigureAwait(false);
        }

        try
        {
            await _watch.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (_healthChecks is not null)
        {
            await _healthChecks.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<string?> FirstInstanceAsync(string projectId, CancellationToken cancellationToken)
    {
        var instances = await store.ListAsync(ApigKeys.Instances(projectId), cancellationToken).ConfigureAwait(false);
        return instances.Count == 0 ? null : JsonProbe.ReadString(instances[0].Value.Span, "id"u8);
    }

    /// <summary>Compiles and publishes a new snapshot; returns the store revision it reflects.</summary>
    private async Task<long> ReloadAsync(CancellationToken cancellationToken)
    {
        if (_instanceId is null)
        {
            return store.Revision;
        }

        var model = await ApigRuntimeModel.LoadAsync(store, _instanceId, cancellationToken).ConfigureAwait(false);
        var snapshot = new DataPlaneCompiler(_upstreams, _throttles, MemberHealth) { Authorizers = _authorizers }.Compile(model);
        _snapshots.Publish(snapshot);
        _healthChecks?.Apply(model);
        LogReloaded(logger, snapshot.Revision, snapshot.ApiCount);
        return model.Revision;
    }

    private async Task WatchAsync(long afterRevision, CancellationToken cancellationToken)
    {
        var prefix = _instanceId is null ? ApigKeys.Root : ApigKeys.InstancePrefix(_instanceId);
        var pending = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in store.WatchAsync(afterRevision, cancellationToken).ConfigureAwait(false))
                {
                    afterRevision = change.Revision;
                    if (_instanceId is null)
                    {
                        // Nothing was served yet: the first instance created becomes the served one.
                        _instanceId = await FirstInstanceAsync(options.Value.ProjectId, cancellationToken).ConfigureAwait(false);
                        if (_instanceId is null)
                        {
                            continue;
                        }

                        prefix = ApigKeys.InstancePrefix(_instanceId);
                    }

                    pending |= Touches(change, prefix);
                    if (pending && store.Revision == change.Revision)
                    {
                        // Only the newest change of a burst triggers a compile: a burst of commits is compiled once.
                        pending = false;
                        afterRevision = Math.Max(afterRevision, await ReloadAsync(cancellationToken).ConfigureAwait(false));
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ChangeFeedCompactedException)
            {
                afterRevision = await ReloadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogWatchFailed(logger, exception);
                afterRevision = await ReloadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool Touches(StoreChange change, string prefix)
    {
        foreach (var item in change.Items)
        {
            if (item.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static IPEndPoint ParseListenUrl(string url)
    {
        var uri = new Uri(url);
        if (uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new InvalidOperationException($"The data plane listens on http:// addresses; '{url}' is not one.");
        }

        var address = uri.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host.Trim('[', ']'));
        return new IPEndPoint(address, uri.Port);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        if (_healthChecks is not null)
        {
            await _healthChecks.DisposeAsync().ConfigureAwait(false);
        }

        _upstreams.Dispose();
        if (EngineOptions.AccessLog is { } accessLog)
        {
            await accessLog.DisposeAsync().ConfigureAwait(false);
        }

        _throttles?.Dispose();
        _authorizers?.Dispose();
        _heartbeat.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Data plane listening on {Address} for instance {InstanceId}")]
    private static partial void LogListening(ILogger logger, string address, string instanceId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Data plane snapshot at revision {Revision}: {ApiCount} routes")]
    private static partial void LogReloaded(ILogger logger, long revision, int apiCount);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Following the store's change feed failed; reloading")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);
}
