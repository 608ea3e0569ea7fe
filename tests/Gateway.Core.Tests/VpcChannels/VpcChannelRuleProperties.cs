using FsCheck;
using FsCheck.Fluent;
using Gateway.Apig.VpcChannels;
using Gateway.Errors;

namespace Gateway.Core.Tests.VpcChannels;

/// <summary>
/// The numeric rules of VPC channels, restated as plain predicates, must agree with the validator on every value:
/// accepted exactly when the rule holds, otherwise rejected with the documented code naming the parameter
/// (below the minimum → APIG.2004, above the maximum → APIG.2003, a broken cross-field rule → APIG.2011).
/// </summary>
public sealed class VpcChannelRuleProperties
{
    /// <summary>Integers clustered around the interesting bounds, plus the extremes.</summary>
    private static Gen<int> Around(params int[] bounds) =>
        Gen.OneOf(
            Gen.OneOf(bounds.Select(bound => Gen.Choose(bound - 3, bound + 3)).ToArray()),
            Gen.Choose(-100_000, 100_000),
            Gen.Elements(int.MinValue, int.MaxValue, 0));

    private static ApiErrorException? Error(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (ApiErrorException error)
        {
            return error;
        }
    }

    private static void AgreesWithRange(ApiErrorException? error, int value, int min, int max, string parameter)
    {
        if (value >= min && value <= max)
        {
            Assert.Null(error);
            return;
        }

        Assert.NotNull(error);
        Assert.Equal(400, error!.StatusCode);
        Assert.Equal(value < min ? "APIG.2004" : "APIG.2003", error.ErrorCode);
        Assert.Contains($"parameterName:{parameter}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Member_weights_are_accepted_exactly_from_0_to_10000() =>
        Prop.ForAll(Around(0, 10_000).ToArbitrary(), weight =>
        {
            var error = Error(() => VpcChannelValidator.Member(new MemberInput { Host = "10.0.0.1", Weight = weight }, "members[3]", "ip"));
            AgreesWithRange(error, weight, 0, 10_000, "members[3].weight");
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Accepted_weights_are_kept_as_given() =>
        Prop.ForAll(Gen.Choose(0, 10_000).ToArbitrary(), weight =>
            VpcChannelValidator.Member(new MemberInput { EcsId = "i-1", EcsName = "server", Weight = weight }, "members[0]", "ecs").Weight == weight)
        .QuickCheckThrowOnFailure();

    [Fact]
    public void Member_group_weights_are_accepted_exactly_from_0_to_100() =>
        Prop.ForAll(Around(0, 100).ToArbitrary(), weight =>
        {
            var error = Error(() => VpcChannelValidator.Group(new MemberGroupInput { MemberGroupName = "primary", MemberGroupWeight = weight }, "member_groups[0]"));
            AgreesWithRange(error, weight, 0, 100, "member_groups[0].member_group_weight");
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Member_ports_are_accepted_exactly_from_0_to_65535() =>
        Prop.ForAll(Around(0, 65_535).ToArbitrary(), port =>
        {
            var error = Error(() => VpcChannelValidator.Member(new MemberInput { Host = "backend.local", Port = port }, "members[0]", "ip"));
            AgreesWithRange(error, port, 0, 65_535, "members[0].port");
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Channel_ports_are_accepted_exactly_from_1_to_65535() =>
        Prop.ForAll(Around(1, 65_535).ToArbitrary(), port =>
        {
            var error = Error(() => VpcChannelValidator.Channel(new VpcChannelRequest { Name = "VPC_demo", Port = port }));
            AgreesWithRange(error, port, 1, 65_535, "port");
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Health_check_ports_are_accepted_exactly_from_0_to_65535() =>
        Prop.ForAll(Around(0, 65_535).ToArbitrary(), port =>
        {
            var error = Error(() => VpcChannelValidator.Health(Health(2, 5, 10, 5) with { Port = port }, "vpc_health_config"));
            AgreesWithRange(error, port, 0, 65_535, "vpc_health_config.port");
        }).QuickCheckThrowOnFailure();

    private static HealthConfigInput Health(int normal, int abnormal, int interval, int timeout) => new()
    {
        Protocol = "TCP",
        ThresholdNormal = normal,
        ThresholdAbnormal = abnormal,
        TimeInterval = interval,
        Timeout = timeout,
    };

    [Fact]
    public void Health_check_parameters_follow_their_ranges_and_interval_exceeds_timeout()
    {
        var thresholds = Gen.OneOf(Gen.Choose(-1, 12), Gen.Choose(1, 10));
        var intervals = Gen.OneOf(Gen.Choose(-1, 40), Gen.Choose(290, 305), Gen.Choose(1, 300));
        var timeouts = Gen.OneOf(Gen.Choose(-1, 35), Gen.Choose(1, 30));
        var cases =
            from normal in thresholds
            from abnormal in thresholds
            from interval in intervals
            from timeout in timeouts
            select (normal, abnormal, interval, timeout);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var error = Error(() => VpcChannelValidator.Health(Health(c.normal, c.abnormal, c.interval, c.timeout), ""));
            var ranges = new (string Name, int Value, int Min, int Max)[]
            {
                ("threshold_normal", c.normal, 1, 10),
                ("threshold_abnormal", c.abnormal, 1, 10),
                ("time_interval", c.interval, 1, 300),
                ("timeout", c.timeout, 1, 30),
            };
            var outOfRange = ranges.Where(r => r.Value < r.Min || r.Value > r.Max).ToList();
            var valid = outOfRange.Count == 0 && c.interval > c.timeout;
            if (valid)
            {
                Assert.Null(error);
                return;
            }

            Assert.NotNull(error);
            Assert.Equal(400, error!.StatusCode);
            if (outOfRange.Count == 0)
            {
                Assert.Equal("APIG.2011", error.ErrorCode);
                Assert.Contains("parameterName:time_interval", error.Message, StringComparison.Ordinal);
            }
            else if (outOfRange.Count == 1)
            {
                var broken = outOfRange[0];
                AgreesWithRange(error, broken.Value, broken.Min, broken.Max, broken.Name);
            }
            else
            {
                Assert.Contains(error.ErrorCode, new[] { "APIG.2003", "APIG.2004" });
                Assert.Contains(outOfRange, r => error.Message.Contains($"parameterName:{r.Name}", StringComparison.Ordinal));
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Accepted_health_checks_keep_their_values()
    {
        var cases =
            from normal in Gen.Choose(1, 10)
            from abnormal in Gen.Choose(1, 10)
            from timeout in Gen.Choose(1, 30)
            from interval in Gen.Choose(timeout + 1, 300)
            select (normal, abnormal, interval, timeout);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var health = VpcChannelValidator.Health(Health(c.normal, c.abnormal, c.interval, c.timeout), "");
            return health.ThresholdNormal == c.normal && health.ThresholdAbnormal == c.abnormal &&
                health.TimeInterval == c.interval && health.Timeout == c.timeout && health.Method == "GET" && health.Status == 1;
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>One http_code item: a code or a range, each bound possibly out of 100–599.</summary>
    private static readonly Gen<(int Low, int? High)> HttpCodeItems =
        Gen.OneOf(
            Gen.Choose(90, 610).Select(code => (code, (int?)null)),
            Gen.Choose(95, 605).SelectMany(low => Gen.Choose(low - 20, 605).Select(high => (low, (int?)high))));

    [Fact]
    public void Http_codes_are_lists_and_ranges_within_100_to_599() =>
        Prop.ForAll(Gen.NonEmptyListOf(HttpCodeItems).ToArbitrary(), items =>
        {
            var text = string.Join(',', items.Select(item => item.High is null ? $"{item.Low}" : $"{item.Low}-{item.High}"));
            var valid = items.All(item =>
                item.Low is >= 100 and <= 599 &&
                (item.High is null || (item.High is >= 100 and <= 599 && item.Low <= item.High)));
            Assert.Equal(valid, VpcChannelValidator.IsHttpCodeList(text));
        }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData("200", true)]
    [InlineData("200,201,202", true)]
    [InlineData("200-299", true)]
    [InlineData("201,202,210-299", true)]
    [InlineData("", false)]
    [InlineData("200,", false)]
    [InlineData(" 200", false)]
    [InlineData("200-", false)]
    [InlineData("-200", false)]
    [InlineData("200-299-300", false)]
    [InlineData("+200", false)]
    [InlineData("0200", false)]
    public void Http_code_examples(string text, bool valid) => Assert.Equal(valid, VpcChannelValidator.IsHttpCodeList(text));

    [Fact]
    public void Repeated_addresses_keep_their_first_definition()
    {
        var members =
            from host in Gen.Elements("10.0.0.1", "10.0.0.2", "10.0.0.3", "backend.local", "BACKEND.local")
            from weight in Gen.Choose(0, 10_000)
            select new MemberInput { Host = host, Weight = weight };

        Prop.ForAll(Gen.ListOf(members).ToArbitrary(), inputs =>
        {
            var definitions = VpcChannelValidator.Members([.. inputs], "members", "ip");
            var expected = inputs
                .GroupBy(input => input.Host!, StringComparer.OrdinalIgnoreCase)
                .Select(group => (group.First().Host, group.First().Weight))
                .ToList();
            Assert.Equal(expected, definitions.Select(d => (d.Host, (int?)d.Weight)).ToList());
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Dotted_quad_hosts_are_accepted_exactly_when_every_octet_fits()
    {
        var octets = Gen.OneOf(Gen.Choose(0, 255), Gen.Choose(250, 300));
        var quads = from a in octets from b in octets from c in octets from d in octets select new[] { a, b, c, d };
        Prop.ForAll(quads.ToArbitrary(), quad =>
        {
            var host = string.Join('.', quad);
            var error = Error(() => VpcChannelValidator.Host(host, "host"));
            Assert.Equal(quad.All(octet => octet <= 255), error is null);
        }).QuickCheckThrowOnFailure();
    }
}
