using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Net.Timing;

/// <summary>
/// One coarse timer for the whole data plane. Every registered <see cref="IHeartbeatHandler"/> runs once per tick, so
/// thousands of limiter tables or connections share a single <see cref="ITimer"/> instead of owning one each.
/// </summary>
/// <remarks>
/// Ticks never overlap: if a tick is still running when the next one is due, the next one is skipped. A handler that
/// throws is logged and does not stop the others or the timer.
/// </remarks>
internal sealed class Heartbeat : IDisposable
{
    /// <summary>The default tick period.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    // Copy-on-write so a tick reads the handlers without locking.
    private IHeartbeatHandler[] _handlers = [];
    private ITimer? _timer;
    private int _ticking;
    private bool _disposed;

    public Heartbeat(TimeProvider timeProvider, TimeSpan? interval = null, ILogger<Heartbeat>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var period = interval ?? DefaultInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero, nameof(interval));
        _timeProvider = timeProvider;
        _interval = period;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The clock the heartbeat passes to its handlers.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Whether the timer is running.</summary>
    public bool IsStarted
    {
        get { lock (_gate) { return _timer is not null; } }
    }

    /// <summary>Starts the timer. Calling it again while started does nothing.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _timer ??= _timeProvider.CreateTimer(static state => ((Heartbeat)state!).Tick(), this, _interval, _interval);
        }
    }

    /// <summary>Stops the timer. Handlers stay registered and run again after <see cref="Start"/>.</summary>
    public void Stop()
    {
        ITimer? timer;
        lock (_gate)
        {
            timer = _timer;
            _timer = null;
        }

        timer?.Dispose();
    }

    /// <summary>Adds a handler; disposing the returned registration removes it.</summary>
    public IDisposable Register(IHeartbeatHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var handlers = _handlers;
            var updated = new IHeartbeatHandler[handlers.Length + 1];
            handlers.CopyTo(updated, 0);
            updated[^1] = handler;
            Volatile.Write(ref _handlers, updated);
        }

        return new Registration(this, handler);
    }

    /// <summary>Runs every handler once with the current timestamp (the timer callback; also callable directly).</summary>
    public void Tick()
    {
        if (Interlocked.Exchange(ref _ticking, 1) != 0)
        {
            return;
        }

        try
        {
            var timestamp = _timeProvider.GetTimestamp();
            foreach (var handler in Volatile.Read(ref _handlers))
            {
                try
                {
                    handler.OnHeartbeat(timestamp);
                }
                catch (Exception ex)
                {
                    Log.HandlerFailed(_logger, handler.GetType().Name, ex);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        Stop();
    }

    private void Unregister(IHeartbeatHandler handler)
    {
        lock (_gate)
        {
            var handlers = _handlers;
            var index = Array.IndexOf(handlers, handler);
            if (index < 0)
            {
                return;
            }

            var updated = new IHeartbeatHandler[handlers.Length - 1];
            Array.Copy(handlers, 0, updated, 0, index);
            Array.Copy(handlers, index + 1, updated, index, handlers.Length - index - 1);
            Volatile.Write(ref _handlers, updated);
        }
    }

    private sealed class Registration(Heartbeat owner, IHeartbeatHandler handler) : IDisposable
    {
        private Heartbeat? _owner = owner;

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Unregister(handler);
    }

    private static class Log
    {
        private static readonly Action<ILogger, string, Exception?> s_handlerFailed = LoggerMessage.Define<string>(
            LogLevel.Error, new EventId(1, "HeartbeatHandlerFailed"), "Heartbeat handler {Handler} failed");

        public static void HandlerFailed(ILogger logger, string handler, Exception exception) =>
            s_handlerFailed(logger, handler, exception);
    }
}
