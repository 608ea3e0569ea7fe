using Gateway.Net.Tests.RateLimiting;
using Gateway.Net.Timing;

namespace Gateway.Net.Tests.Timing;

public sealed class HeartbeatTests
{
    [Fact]
    public void Handlers_run_once_per_tick_with_the_heartbeat_clock()
    {
        var clock = new ManualTimeProvider();
        using var heartbeat = new Heartbeat(clock);
        var first = new RecordingHandler();
        var second = new RecordingHandler();
        using var firstRegistration = heartbeat.Register(first);
        heartbeat.Register(second);
        heartbeat.Start();
        heartbeat.Start();
        Assert.Equal(1, clock.ActiveTimers);

        var start = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromSeconds(3.5));
        Assert.Equal([start + 1_000_000_000, start + 2_000_000_000, start + 3_000_000_000], first.Ticks);
        Assert.Equal(first.Ticks, second.Ticks);

        firstRegistration.Dispose();
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, first.Ticks.Count);
        Assert.Equal(4, second.Ticks.Count);
    }

    [Fact]
    public void Stopping_and_disposing_remove_the_timer()
    {
        var clock = new ManualTimeProvider();
        var heartbeat = new Heartbeat(clock, TimeSpan.FromMilliseconds(250));
        var handler = new RecordingHandler();
        heartbeat.Register(handler);
        heartbeat.Start();
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, handler.Ticks.Count);

        heartbeat.Stop();
        Assert.False(heartbeat.IsStarted);
        Assert.Equal(0, clock.ActiveTimers);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, handler.Ticks.Count);

        heartbeat.Start();
        clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(5, handler.Ticks.Count);

        heartbeat.Dispose();
        Assert.Equal(0, clock.ActiveTimers);
        Assert.Throws<ObjectDisposedException>(heartbeat.Start);
    }

    [Fact]
    public void A_failing_handler_does_not_stop_the_others()
    {
        var clock = new ManualTimeProvider();
        using var heartbeat = new Heartbeat(clock);
        var handler = new RecordingHandler();
        heartbeat.Register(new FailingHandler());
        heartbeat.Register(handler);
        heartbeat.Start();
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, handler.Ticks.Count);
    }

    [Fact]
    public void The_default_clock_is_the_stopwatch()
    {
        var clock = MonotonicClock.System;
        Assert.Equal(System.Diagnostics.Stopwatch.Frequency, clock.Frequency);
        Assert.Same(TimeProvider.System, clock.Provider);
        Assert.True(clock.GetTimestamp() > 0);

        var manual = new ManualTimeProvider(frequency: 1_000);
        var injected = new MonotonicClock(manual);
        Assert.Equal(1_000, injected.Frequency);
        Assert.Equal(manual.GetTimestamp(), injected.GetTimestamp());
    }

    private sealed class RecordingHandler : IHeartbeatHandler
    {
        public List<long> Ticks { get; } = [];

        public void OnHeartbeat(long timestamp) => Ticks.Add(timestamp);
    }

    private sealed class FailingHandler : IHeartbeatHandler
    {
        public void OnHeartbeat(long timestamp) => throw new InvalidOperationException("boom");
    }
}
