using Microsoft.Extensions.Logging;

namespace Gateway.Storage.TestSupport;

/// <summary>Collects log entries so tests can check that something was reported.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly Lock _sync = new();
    private readonly List<(LogLevel Level, EventId EventId, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, EventId EventId, string Message)> Entries
    {
        get
        {
            lock (_sync)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_sync)
        {
            _entries.Add((logLevel, eventId, formatter(state, exception)));
        }
    }
}
