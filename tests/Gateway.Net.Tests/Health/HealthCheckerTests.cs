using Gateway.Apig.VpcChannels;
using Gateway.Net.Balancing;
using Gateway.Net.Health;
using Gateway.Net.Tests.RateLimiting;
using static Gateway.Net.Tests.Health.HealthTestModels;

namespace Gateway.Net.Tests.Health;

/// <summary>The scheduler loop, driven by a fake clock and a fake probe: nothing sleeps, time moves when told.</summary>
public sealed class HealthCheckerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private sealed class Fixture : IAsyncDisposable
    {
        public ManualTimeProvider Clock { get; } = new();

        public MemberHealthRegistry Registry { get; }

        public FakeProbe Probe { get; }

        public HealthChecker Checker { get; }

        public Fixture(int maxConcurrentProbes = HealthChecker.DefaultMaxConcurrentProbes)
        {
            Registry = new MemberHealthRegistry(Clock);
            Probe = new FakeProbe(Clock);
            Checker = new HealthChecker(Registry, Clock, Probe, maxConcurrentProbes);
        }

        public async Task ApplyAsync(Apig.Runtime.ApigRuntimeModel model)
        {
            Checker.Apply(model);
            await Checker.WaitForQuiescenceAsync(Limit);
        }

        public async Task AdvanceAsync(TimeSpan by)
        {
            Clock.Advance(by);
            await Checker.WaitForQuiescenceAsync(Limit);
        }

        public MemberHealth Health(VpcChannel channel, VpcMember member) => Registry.Get(channel, member)!;

        public ValueTask DisposeAsync() => Checker.DisposeAsync();
    }

    [Fact]
    public async Task One_scheduler_probes_every_member_of_every_channel_at_its_interval()
    {
        await using var f = new Fixture();
        var fast = Channel("fast", Check("fast", interval: 2, timeout: 1));
        var slow = Channel("slow", Check("slow", protocol: "TCP", interval: 5, timeout: 1));
        var members = new List<VpcMember>();
        for (var i = 0; i < 20; i++)
        {
            members.Add(Member(fast.Id, $"f{i}", $"10.0.1.{i}"));
            members.Add(Member(slow.Id, $"s{i}", $"10.0.2.{i}"));
        }

        await f.ApplyAsync(Model(1, [fast, slow], members));
        Assert.Equal(40, f.Checker.CheckedMembers);
        Assert.Equal(40, f.Probe.Calls.Count);

        // One timer for the whole scheduler, not one per member.
        Assert.Equal(1, f.Clock.ActiveTimers);

        for (var step = 1; step <= 10; step++)
        {
            await f.AdvanceAsync(TimeSpan.FromSeconds(1));
            Assert.Equal(1, f.Clock.ActiveTimers);
        }

        // 0..10 s: the fast channel at 0,2,4,6,8,10 (6 probes each), the slow one at 0,5,10 (3 each).
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(6, f.Probe.CountFor($"10.0.1.{i}:8080")));
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(3, f.Probe.CountFor($"10.0.2.{i}:8080")));
        var start = f.Probe.Calls.Min(call => call.At);
        var second = f.Clock.TimestampFrequency;
        Assert.All(f.Probe.Calls.Where(call => call.Address.StartsWith("10.0.1.", StringComparison.Ordinal)), call => Assert.Equal(0, (call.At - start) % (2 * second)));
        Assert.All(f.Probe.Calls.Where(call => call.Address.StartsWith("10.0.2.", StringComparison.Ordinal)), call => Assert.Equal(0, (call.At - start) % (5 * second)));
    }

    [Fact]
    public async Task Probes_in_flight_are_bounded()
    {
        await using var f = new Fixture(maxConcurrentProbes: 3);
        var channel = Channel("bounded", Check("bounded", interval: 10, timeout: 5));
        var members = Enumerable.Range(0, 10).Select(i => Member(channel.Id, $"b{i}", $"10.0.3.{i}")).ToList();
        f.Probe.HoldAll = true;
        f.Checker.Apply(Model(1, [channel], members));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await f.Probe.Started.WaitAsync(Limit));
        }

        Assert.Equal(3, f.Checker.ProbesInFlight);
        Assert.Equal(3, f.Probe.Calls.Count);

        f.Probe.HoldAll = false;
        f.Probe.Release();
        await f.Checker.WaitForQuiescenceAsync(Limit);
        Assert.Equal(10, f.Probe.Calls.Count);
        Assert.Equal(3, f.Probe.MaxInFlight);
        Assert.Equal(10, f.Probe.Calls.Select(call => call.Address).Distinct().Count());
    }

    [Fact]
    public async Task Members_flip_after_their_thresholds_and_each_flip_is_posted_for_the_store()
    {
        await using var f = new Fixture();
        var channel = Channel("flip", Check("flip", interval: 1, timeout: 1, normal: 2, abnormal: 3));
        var member = Member(channel.Id, "m-flip", "10.0.4.1", port: 9000);
        f.Probe.Set("10.0.4.1:9000", false);
        await f.ApplyAsync(Model(1, [channel], [member]));
        var health = f.Health(channel, member);
        Assert.True(health.IsHealthy);

        await f.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.True(health.IsHealthy);
        Assert.Equal(0, f.Checker.Outbox.Count);
        await f.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.False(health.IsHealthy);
        Assert.Equal([new HealthStatusRecord(InstanceId, "m-flip", false)], f.Checker.Outbox.Drain());

        f.Probe.Set("10.0.4.1:9000", true);
        await f.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.False(health.IsHealthy);
        await f.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.True(health.IsHealthy);
        Assert.Equal([new HealthStatusRecord(InstanceId, "m-flip", true)], f.Checker.Outbox.Drain());
    }

    [Fact]
    public async Task A_probe_that_outlives_its_timeout_fails()
    {
        await using var f = new Fixture();
        var channel = Channel("slowpoke", Check("slowpoke", interval: 5, timeout: 2, abnormal: 1));
        var member = Member(channel.Id, "m-slow", "10.0.5.1");
        f.Probe.Hold("10.0.5.1:8080");
        f.Checker.Apply(Model(1, [channel], [member]));
        Assert.True(await f.Probe.Started.WaitAsync(Limit));
        var health = f.Health(channel, member);

        f.Clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.True(health.IsHealthy);
        await f.AdvanceAsync(TimeSpan.FromSeconds(0.1));
        Assert.False(health.IsHealthy);
    }

    [Fact]
    public async Task Reconfiguration_keeps_the_state_and_schedule_of_unchanged_members()
    {
        await using var f = new Fixture();
        var check = Check("keep", interval: 10, timeout: 2, abnormal: 1);
        var channel = Channel("keep", check);
        var down = Member(channel.Id, "m-down", "10.0.6.1");
        f.Probe.Set("10.0.6.1:8080", false);
        await f.ApplyAsync(Model(1, [channel], [down]));
        Assert.False(f.Health(channel, down).IsHealthy);
        await f.AdvanceAsync(TimeSpan.FromSeconds(3));

        // A new member and an unrelated channel appear: the old member is neither probed again early nor reset.
        var added = Member(channel.Id, "m-added", "10.0.6.2");
        var other = Channel("other", null);
        await f.ApplyAsync(Model(2, [channel, other], [down, added, Member(other.Id, "m-other", "10.0.7.1")]));
        Assert.Equal(1, f.Probe.CountFor("10.0.6.1:8080"));
        Assert.Equal(1, f.Probe.CountFor("10.0.6.2:8080"));
        Assert.Equal(0, f.Probe.CountFor("10.0.7.1:8080"));
        Assert.False(f.Health(channel, down).IsHealthy);
        Assert.Equal(2, f.Checker.CheckedMembers);

        await f.AdvanceAsync(TimeSpan.FromSeconds(7));
        Assert.Equal(2, f.Probe.CountFor("10.0.6.1:8080"));
        Assert.Equal(1, f.Probe.CountFor("10.0.6.2:8080"));

        // An older model arriving late changes nothing.
        f.Checker.Apply(Model(1, [channel], [down]));
        Assert.Equal(2, f.Checker.CheckedMembers);
    }

    [Fact]
    public async Task Disabled_checks_do_not_run_but_still_set_the_passive_threshold()
    {
        await using var f = new Fixture();
        var channel = Channel("off", Check("off", interval: 1, timeout: 1, abnormal: 5, status: 2));
        var member = Member(channel.Id, "m-off", "10.0.8.1");
        await f.ApplyAsync(Model(1, [channel], [member]));
        await f.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.Empty(f.Probe.Calls);
        Assert.Equal(0, f.Checker.CheckedMembers);
        var health = f.Health(channel, member);
        Assert.False(health.IsActivelyChecked);
        Assert.Equal(5, health.PassiveFailureThreshold);

        // Enabling it starts probing; disabling it again stops.
        var enabled = channel with { VpcHealthConfig = channel.VpcHealthConfig! with { Status = 1 } };
        await f.ApplyAsync(Model(2, [enabled], [member]));
        Assert.Single(f.Probe.Calls);
        Assert.True(health.IsActivelyChecked);
        await f.ApplyAsync(Model(3, [channel], [member]));
        await f.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Single(f.Probe.Calls);
        Assert.False(health.IsActivelyChecked);
    }

    [Fact]
    public async Task Passive_flips_are_posted_and_stale_stored_states_are_corrected_once()
    {
        await using var f = new Fixture();
        var channel = Channel("passive", null);
        var member = Member(channel.Id, "m-passive", "10.0.9.1");
        var stale = Member(channel.Id, "m-stale", "10.0.9.2", healthStatus: 2);
        var agreeing = Member(channel.Id, "m-agree", "10.0.9.3", healthStatus: 1);
        await f.ApplyAsync(Model(1, [channel], [member, stale, agreeing]));

        Assert.Equal([new HealthStatusRecord(InstanceId, "m-stale", true)], f.Checker.Outbox.Drain());

        // Once seen, a disagreeing stored state (another node's observation) is not rewritten on every reload.
        await f.ApplyAsync(Model(2, [channel], [member, stale, agreeing with { HealthStatus = 2 }]));
        Assert.Equal(0, f.Checker.Outbox.Count);

        var health = f.Health(channel, member);
        Assert.Equal(3, health.PassiveFailureThreshold);
        for (var i = 0; i < 3; i++)
        {
            health.ReportFailure();
        }

        Assert.Equal([new HealthStatusRecord(InstanceId, "m-passive", false)], f.Checker.Outbox.Drain());
        Assert.Empty(f.Probe.Calls);
    }
}
