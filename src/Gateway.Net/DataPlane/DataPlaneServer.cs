using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Gateway.Net.Transport;

namespace Gateway.Net.DataPlane;

/// <summary>Limits and timeouts of the data-plane listener.</summary>
internal sealed class DataPlaneServerOptions
{
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>How long a connection may wait for (the rest of) a request head: idle keep-alive and slow heads alike.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the single timer looks for connections past their timeout.</summary>
    public TimeSpan TimerPeriod { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The data plane's own listener: accepts connections, serves each with a <see cref="GatewayConnection"/>, enforces the
/// connection limit and the idle timeout from one coarse timer, and drains gracefully on stop.
/// </summary>
internal sealed class DataPlaneServer : IAsyncDisposable
{
    private readonly DataPlaneSnapshotSource _snapshots;
    private readonly DataPlaneOptions _options;
    private readonly DataPlaneServerOptions _serverOptions;
    private readonly ConcurrentDictionary<GatewayConnection, SocketDuplexPipe> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Timer _timer;
    private SocketListener? _listener;
    private int _connectionCount;

    public DataPlaneServer(DataPlaneSnapshotSource snapshots, DataPlaneOptions options, DataPlaneServerOptions serverOptions)
    {
        _snapshots = snapshots;
        _options = options;
        _serverOptions = serverOptions;
        _timer = new Timer(static state => ((DataPlaneServer)state!).CloseIdleConnections(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public IPEndPoint? LocalEndPoint { get; private set; }

    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    public void Start(IPEndPoint endpoint)
    {
        _listener = new SocketListener(endpoint, ServeAsync);
        LocalEndPoint = _listener.LocalEndPoint;
        _listener.Start();
        _timer.Change(_serverOptions.TimerPeriod, _serverOptions.TimerPeriod);
    }

    private async Task ServeAsync(SocketDuplexPipe transport)
    {
        if (Interlocked.Increment(ref _connectionCount) > _serverOptions.MaxConnections || _stopping.IsCancellationRequested)
        {
            Interlocked.Decrement(ref _connectionCount);
            transport.Abort();
            await transport.DisposeAsync().ConfigureAwait(false);
            return;
        }

        var connection = new GatewayConnection(_snapshots, _options, transport.RemoteAddress) { HomeLoop = transport.Loop };
        _connections[connection] = transport;
        try
        {
            await connection.ProcessAsync(transport, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // a connection's failure never takes the listener down
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            Interlocked.Decrement(ref _connectionCount);
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void CloseIdleConnections()
    {
        var limit = (long)(_serverOptions.IdleTimeout.TotalSeconds * Stopwatch.Frequency);
        var now = Stopwatch.GetTimestamp();
        foreach (var (connection, transport) in _connections)
        {
            var since = connection.WaitingSince;
            if (since != 0 && now - since > limit)
            {
                transport.Abort();
            }
        }
    }

    /// <summary>Stops accepting, lets requests in flight finish within <paramref name="drainTimeout"/>, then closes the rest.</summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        if (Interlocked.Exchange(ref _listener, null) is { } listener)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        // Idle connections go now; busy ones finish their request (they close instead of reading another).
        foreach (var (connection, transport) in _connections)
        {
            if (connection.WaitingSince != 0)
            {
                transport.Abort();
            }
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(drainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (!_connections.IsEmpty && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20).ConfigureAwait(false);
            foreach (var (connection, transport) in _connections)
            {
                if (connection.WaitingSince != 0)
                {
                    transport.Abort();
                }
            }
        }

        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
        }

        foreach (var transport in _connections.Values)
        {
            transport.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        await _timer.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
