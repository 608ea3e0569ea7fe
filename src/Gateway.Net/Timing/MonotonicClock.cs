using System.Diagnostics;

namespace Gateway.Net.Timing;

/// <summary>
/// Monotonic timestamps for the data plane. The default value reads <see cref="Stopwatch.GetTimestamp"/> directly, so
/// production pays no virtual call; a clock built from a test <see cref="TimeProvider"/> reads that provider instead.
/// </summary>
internal readonly struct MonotonicClock
{
    // Null stands for the system clock: the branch on a field is cheaper than a virtual call and predicts perfectly.
    private readonly TimeProvider? _provider;

    public MonotonicClock(TimeProvider? provider)
    {
        _provider = provider is null || ReferenceEquals(provider, TimeProvider.System) ? null : provider;
    }

    /// <summary>The clock on <see cref="Stopwatch"/>.</summary>
    public static MonotonicClock System => default;

    /// <summary>Ticks per second of <see cref="GetTimestamp"/>.</summary>
    public long Frequency => _provider is null ? Stopwatch.Frequency : _provider.TimestampFrequency;

    /// <summary>The provider behind this clock (<see cref="TimeProvider.System"/> for the default clock).</summary>
    public TimeProvider Provider => _provider ?? TimeProvider.System;

    public long GetTimestamp() => _provider is null ? Stopwatch.GetTimestamp() : _provider.GetTimestamp();
}
