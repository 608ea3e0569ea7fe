using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.RateLimiting;

namespace Gateway.Net.Tests.RateLimiting;

/// <summary>How far the clock moves before a request.</summary>
internal enum GapKind
{
    /// <summary>A few ticks: many requests in the same quantum.</summary>
    Ticks,

    /// <summary>A multiple of the time one permit takes to refill (per mille).</summary>
    PermitIntervals,

    /// <summary>A fraction of the window (per mille).</summary>
    WindowFraction,

    /// <summary>Whole windows of idleness (every gap is capped at half a day, well inside the span a word stays readable).</summary>
    Windows,
}

internal sealed record BucketStep(GapKind Kind, int Amount, int PermitSeed);

/// <summary>A limit, a clock and a sequence of requests; the gaps are resolved against the limit.</summary>
internal sealed record BucketScenario(int Capacity, long WindowSeconds, long Frequency, long Start, BucketStep[] Steps)
{
    private static readonly long[] s_frequencies = [1_000_000_000, 10_000_000, 1_000_000, 1L << 30];
    private static readonly long[] s_windows = [1, 2, 5, 60, 3_600, 86_400, 7 * 86_400];

    public TokenBucketLimit Limit() => TokenBucketLimit.Create(Capacity, WindowSeconds, Frequency);

    public long WindowTicks => WindowSeconds * Frequency;

    /// <summary>The gap before a step, in ticks.</summary>
    public long GapOf(BucketStep step)
    {
        var windowTicks = WindowTicks;
        var gap = step.Kind switch
        {
            GapKind.Ticks => step.Amount % 1_000,
            GapKind.PermitIntervals => (long)((Int128)windowTicks * (step.Amount % 3_000) / (1_000L * Capacity)),
            GapKind.WindowFraction => (long)((Int128)windowTicks * (step.Amount % 1_000) / 1_000),
            _ => windowTicks * (1 + (step.Amount % 3)),
        };
        return Math.Min(gap, 43_200 * Frequency);
    }

    /// <summary>Permits for a step: mostly one, sometimes a handful, sometimes up to the capacity, rarely more.</summary>
    public int PermitsOf(BucketStep step)
    {
        var seed = step.PermitSeed;
        return (seed % 20) switch
        {
            < 12 => 1,
            < 16 => 1 + (seed / 20 % Math.Min(Capacity, 5)),
            < 19 => 1 + (int)((uint)seed / 20 % (uint)Capacity),
            _ => Capacity == int.MaxValue ? Capacity : Capacity + 1,
        };
    }

    public static Gen<int> Capacities { get; } = Gen.Frequency(
        (4, Gen.Choose(1, 10)),
        (3, Gen.Choose(11, 1_000)),
        (2, Gen.Choose(1_001, int.MaxValue)),
        (1, Gen.Elements(int.MaxValue, int.MaxValue - 1, 1 << 30)));

    public static Gen<long> Windows { get; } = Gen.Frequency(
        (3, Gen.Elements(s_windows)),
        (1, Gen.Choose(1, 2_000_000).Select(seconds => (long)seconds)));

    public static Gen<long> Frequencies { get; } = Gen.Elements(s_frequencies);

    public static Gen<BucketStep> StepGen { get; } =
        from kind in Gen.Frequency(
            (3, Gen.Constant(GapKind.Ticks)),
            (5, Gen.Constant(GapKind.PermitIntervals)),
            (2, Gen.Constant(GapKind.WindowFraction)),
            (1, Gen.Constant(GapKind.Windows)))
        from amount in Gen.Choose(0, int.MaxValue)
        from permits in Gen.Choose(0, int.MaxValue)
        select new BucketStep(kind, amount, permits);

    public static Arbitrary<BucketScenario> Arbitrary { get; } = Arb.From(
        from capacity in Capacities
        from window in Windows
        from frequency in Frequencies
        from start in Gen.Choose(0, int.MaxValue)
        from steps in Gen.ArrayOf(StepGen)
        select new BucketScenario(capacity, window, frequency, start * 1_000L, steps));

    public override string ToString() =>
        $"{Capacity} per {WindowSeconds} s at {Frequency} Hz from {Start}: {string.Join(", ", Steps.Select(s => $"{s.Kind}/{s.Amount}/{s.PermitSeed}"))}";
}
