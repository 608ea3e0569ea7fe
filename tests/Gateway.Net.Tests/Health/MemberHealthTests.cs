using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Health;
using Gateway.Net.Tests.RateLimiting;

namespace Gateway.Net.Tests.Health;

/// <summary>Passive ejection, re-admission by probes, and the cool-down without an active check.</summary>
public sealed class MemberHealthTests
{
    private static (MemberHealth Member, MemberHealthRegistry Registry, ManualTimeProvider Clock, List<bool> Flips) Start(TimeSpan? cooldown = null)
    {
        var clock = new ManualTimeProvider();
        var registry = new MemberHealthRegistry(clock) { PassiveCooldown = cooldown ?? TimeSpan.FromSeconds(10) };
        var member = registry.Get("c1", "m1", "10.0.0.1", 80);
        var flips = new List<bool>();
        registry.HealthChanged += changed => flips.Add(changed.IsMarkedHealthy);
        return (member, registry, clock, flips);
    }

    [Fact]
    public void Members_start_healthy_and_threshold_failures_in_a_row_eject_them()
    {
        var (member, _, _, flips) = Start();
        member.PassiveFailureThreshold = 3;
        Assert.True(member.IsHealthy);

        member.ReportFailure();
        member.ReportFailure();
        member.ReportSuccess();
        member.ReportFailure();
        member.ReportFailure();
        Assert.True(member.IsHealthy);
        Assert.Empty(flips);

        member.ReportFailure();
        Assert.False(member.IsHealthy);
        Assert.False(member.IsMarkedHealthy);
        Assert.Equal([false], flips);

        // Further failures do not flip again.
        member.ReportFailure();
        Assert.Equal([false], flips);
    }

    [Fact]
    public void Without_an_active_check_an_ejected_member_is_retried_after_the_cool_down()
    {
        var (member, _, clock, flips) = Start(TimeSpan.FromSeconds(10));
        member.PassiveFailureThreshold = 2;
        member.ReportFailure();
        member.ReportFailure();
        Assert.False(member.IsHealthy);

        // A success during the cool-down (a request started before the ejection) does not bring it back.
        clock.Advance(TimeSpan.FromSeconds(5));
        member.ReportSuccess();
        Assert.False(member.IsHealthy);

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(member.IsHealthy);
        Assert.False(member.IsMarkedHealthy);

        // The retry failed: out for another cool-down.
        member.ReportFailure();
        Assert.False(member.IsHealthy);
        clock.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(member.IsHealthy);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(member.IsHealthy);

        // The retry worked: back for good.
        member.ReportSuccess();
        Assert.True(member.IsMarkedHealthy);
        Assert.Equal(0, member.ConsecutiveFailures);
        Assert.Equal([false, true], flips);
    }

    [Fact]
    public void With_an_active_check_only_threshold_normal_probe_successes_readmit()
    {
        var (member, _, clock, flips) = Start(TimeSpan.FromSeconds(10));
        member.IsActivelyChecked = true;
        member.PassiveFailureThreshold = 2;

        // Probe successes before the ejection do not count towards re-admission.
        member.RecordProbe(success: true, thresholdNormal: 2, thresholdAbnormal: 3);
        member.RecordProbe(success: true, thresholdNormal: 2, thresholdAbnormal: 3);
        member.ReportFailure();
        member.ReportFailure();
        Assert.False(member.IsHealthy);
        Assert.Equal(0, member.ProbeSuccesses);

        // Neither the cool-down nor a successful request brings it back.
        clock.Advance(TimeSpan.FromMinutes(5));
        member.ReportSuccess();
        Assert.False(member.IsHealthy);

        member.RecordProbe(success: true, thresholdNormal: 2, thresholdAbnormal: 3);
        Assert.False(member.IsHealthy);
        member.RecordProbe(success: false, thresholdNormal: 2, thresholdAbnormal: 3);
        member.RecordProbe(success: true, thresholdNormal: 2, thresholdAbnormal: 3);
        Assert.False(member.IsHealthy);
        member.RecordProbe(success: true, thresholdNormal: 2, thresholdAbnormal: 3);
        Assert.True(member.IsHealthy);
        Assert.Equal([false, true], flips);
    }

    [Fact]
    public void A_member_that_leaves_its_active_check_while_out_falls_back_to_the_cool_down()
    {
        var (member, _, clock, _) = Start(TimeSpan.FromSeconds(10));
        member.IsActivelyChecked = true;
        for (var i = 0; i < 3; i++)
        {
            member.RecordProbe(success: false, thresholdNormal: 1, thresholdAbnormal: 3);
        }

        Assert.False(member.IsHealthy);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(member.IsHealthy);
        member.IsActivelyChecked = false;
        Assert.True(member.IsHealthy);
    }

    [Fact]
    public void The_registry_keeps_state_per_address_and_forgets_members_that_left()
    {
        var (member, registry, _, _) = Start();
        member.SetHealthy(false);
        Assert.Same(member, registry.Get("c1", "m1", "10.0.0.1", 80));
        Assert.NotSame(member, registry.Get("c1", "m1", "10.0.0.1", 81));

        registry.Retain(new HashSet<(string, string, string, int)> { ("c1", "m1", "10.0.0.1", 81) });
        var fresh = registry.Get("c1", "m1", "10.0.0.1", 80);
        Assert.NotSame(member, fresh);
        Assert.True(fresh.IsHealthy);
    }

    /// <summary>Probe outcomes against a reference: the state flips exactly when a streak reaches its threshold.</summary>
    [Fact]
    public void Probe_streaks_match_the_reference_model() =>
        Prop.ForAll(
            Arb.From(
                from normal in Gen.Choose(1, 10)
                from abnormal in Gen.Choose(1, 10)
                from outcomes in Gen.ListOf(Gen.Elements(true, false))
                select (normal, abnormal, outcomes: outcomes.ToArray())),
            input =>
            {
                var (member, _, _, flips) = Start();
                member.IsActivelyChecked = true;
                var healthy = true;
                var streak = 0;
                var last = true;
                var expectedFlips = new List<bool>();
                foreach (var outcome in input.outcomes)
                {
                    streak = outcome == last ? streak + 1 : 1;
                    last = outcome;
                    if (healthy && !outcome && streak >= input.abnormal)
                    {
                        healthy = false;
                        expectedFlips.Add(false);
                    }
                    else if (!healthy && outcome && streak >= input.normal)
                    {
                        healthy = true;
                        expectedFlips.Add(true);
                    }

                    member.RecordProbe(outcome, input.normal, input.abnormal);
                    Assert.Equal(healthy, member.IsHealthy);
                }

                Assert.Equal(expectedFlips, flips);
            }).QuickCheckThrowOnFailure();
}
