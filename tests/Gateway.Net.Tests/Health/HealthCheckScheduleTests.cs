using Gateway.Apig.VpcChannels;
using Gateway.Net.Balancing;
using Gateway.Net.Health;
using static Gateway.Net.Tests.Health.HealthTestModels;

namespace Gateway.Net.Tests.Health;

/// <summary>The scheduler's core, driven with chosen timestamps (one tick = one millisecond).</summary>
public sealed class HealthCheckScheduleTests
{
    private const long Second = 1000;

    private static readonly MemberHealthRegistry s_registry = new();

    private static HealthCheckTarget Target(string member, VpcHealthConfig check, int port = 80) =>
        new(s_registry.Get("c-" + check.VpcChannelId, member, "10.0.0.1", port), HealthCheckSettings.From(check)!);

    private static List<string> TakeAll(HealthCheckSchedule schedule, long now)
    {
        var taken = new List<string>();
        while (schedule.TryTakeDue(now, out var target))
        {
            taken.Add(target.Member.MemberId);
        }

        return taken;
    }

    [Fact]
    public void New_members_are_due_at_once_and_then_every_interval_after_their_previous_due_time()
    {
        var schedule = new HealthCheckSchedule(Second);
        var check = Check("a", interval: 10);
        var a = Target("a1", check);
        var b = Target("a2", check);
        schedule.Reconfigure([a, b], now: 0);

        Assert.Equal(["a1", "a2"], TakeAll(schedule, 0).Order());
        Assert.Null(schedule.NextDue);

        // a1's probe took 1 s, a2's 3 s: both are next due 10 s after they were due, not after they ended.
        schedule.Complete(a, success: true, now: 1 * Second);
        schedule.Complete(b, success: true, now: 3 * Second);
        Assert.Equal(10 * Second, schedule.NextDue);
        Assert.Empty(TakeAll(schedule, (10 * Second) - 1));
        Assert.Equal(["a1", "a2"], TakeAll(schedule, 10 * Second).Order());

        // A probe that ends after its next due time (held back by the concurrency bound) is followed at once.
        schedule.Complete(a, success: true, now: 25 * Second);
        Assert.Equal(25 * Second, schedule.NextDue);
    }

    [Fact]
    public void A_member_has_at_most_one_probe_in_flight()
    {
        var schedule = new HealthCheckSchedule(Second);
        var a = Target("b1", Check("b", interval: 1));
        schedule.Reconfigure([a], now: 0);
        Assert.Equal(["b1"], TakeAll(schedule, 0));
        Assert.Empty(TakeAll(schedule, 100 * Second));
        schedule.Complete(a, success: true, now: 100 * Second);
        Assert.Equal(["b1"], TakeAll(schedule, 100 * Second));
    }

    [Fact]
    public void Probe_outcomes_apply_the_channel_thresholds()
    {
        var schedule = new HealthCheckSchedule(Second);
        var a = Target("c1", Check("c", interval: 5, normal: 2, abnormal: 3));
        schedule.Reconfigure([a], now: 0);
        Assert.True(a.Member.IsActivelyChecked);
        Assert.Equal(3, a.Member.PassiveFailureThreshold);

        var outcomes = new[] { false, false, false, true, true };
        var healthy = new List<bool>();
        var now = 0L;
        foreach (var outcome in outcomes)
        {
            Assert.True(schedule.TryTakeDue(now, out var taken));
            schedule.Complete(taken, outcome, now);
            healthy.Add(a.Member.IsHealthy);
            now += 5 * Second;
        }

        Assert.Equal([true, true, false, false, true], healthy);
    }

    [Fact]
    public void Reconfiguration_keeps_unchanged_members_restarts_changed_ones_and_drops_removed_ones()
    {
        var schedule = new HealthCheckSchedule(Second);
        var check = Check("d", interval: 10);
        var kept = Target("d1", check);
        var changed = Target("d2", check);
        var removed = Target("d3", check);
        schedule.Reconfigure([kept, changed, removed], now: 0);
        TakeAll(schedule, 0);
        schedule.Complete(kept, success: false, now: 0);
        schedule.Complete(changed, success: false, now: 0);

        // removed is still being probed when the model drops it.
        var slower = Check("d", interval: 20);
        schedule.Reconfigure([Target("d1", check), Target("d2", slower)], now: 4 * Second);
        Assert.Equal(2, schedule.Count);
        Assert.False(removed.Member.IsActivelyChecked);
        Assert.True(kept.Member.IsActivelyChecked);

        // The changed check runs at once; the unchanged one keeps its due time and its streak.
        Assert.Equal(["d2"], TakeAll(schedule, 4 * Second));
        Assert.Equal(1, kept.Member.ProbeFailures);
        Assert.Equal(10 * Second, schedule.NextDue);

        // The dropped member's late result is ignored and it is not scheduled again.
        schedule.Complete(removed, success: false, now: 5 * Second);
        Assert.Equal(0, removed.Member.ProbeFailures);
        Assert.Equal(["d1"], TakeAll(schedule, 10 * Second));
        Assert.Empty(TakeAll(schedule, 1000 * Second));
    }

    [Fact]
    public void A_check_changed_during_a_probe_is_probed_again_right_after_it()
    {
        var schedule = new HealthCheckSchedule(Second);
        var first = Target("e1", Check("e", interval: 10));
        schedule.Reconfigure([first], now: 0);
        TakeAll(schedule, 0);
        schedule.Reconfigure([Target("e1", Check("e", interval: 10, port: 9000))], now: 1 * Second);
        Assert.Empty(TakeAll(schedule, 1 * Second));

        schedule.Complete(first, success: true, now: 2 * Second);
        Assert.True(schedule.TryTakeDue(2 * Second, out var next));
        Assert.Equal(9000, next.Port);
    }

    [Fact]
    public void Disabled_and_absent_checks_yield_no_settings()
    {
        Assert.Null(HealthCheckSettings.From(null));
        Assert.Null(HealthCheckSettings.From(Check("f", status: 2)));
        Assert.NotNull(HealthCheckSettings.From(Check("f", status: 1)));
        Assert.Equal(HealthCheckProtocol.Http, HealthCheckSettings.From(Check("f", protocol: "http"))!.Protocol);
        Assert.Equal("HEAD", HealthCheckSettings.From(Check("f") with { Method = "head" })!.Method);
    }
}
