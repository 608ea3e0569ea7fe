using FsCheck;
using FsCheck.Fluent;
using Gateway.Apig.Throttles;
using Gateway.Errors;

namespace Gateway.Core.Tests.Throttles;

/// <summary>
/// The limit invariants of a throttling policy, checked on generated limit tuples against an independent statement of
/// the documented rules: every limit is a positive integer no larger than 2147483647, app ≤ user ≤ api and ip ≤ api
/// (without a user limit, app ≤ api). A tuple is accepted exactly when the rules hold; otherwise it is rejected with
/// the code of a rule it breaks, naming the field that breaks it.
/// </summary>
public sealed class ThrottleLimitProperties
{
    private const long Max = int.MaxValue;

    // Values near every boundary, so that generated tuples often sit exactly on one.
    private static readonly long[] Interesting = [long.MinValue, -1, 0, 1, 2, 199, 200, 201, 500, Max - 1, Max, Max + 1, long.MaxValue];

    private static Gen<long> Limit =>
        Gen.OneOf(
            Gen.Elements(Interesting),
            Gen.Choose(1, 1000).Select(value => (long)value),
            Gen.Choose(-5, 5).Select(value => (long)value),
            ArbMap.Default.GeneratorFor<long>());

    private static Gen<long?> OptionalLimit =>
        Gen.OneOf(Gen.Constant<long?>(null), Limit.Select(value => (long?)value));

    private static Arbitrary<(long Api, long? User, long? App, long? Ip, long Interval)> Tuples() =>
        (from api in Limit
         from user in OptionalLimit
         from app in OptionalLimit
         from ip in OptionalLimit
         from interval in Gen.OneOf(Gen.Constant(1L), Limit)
         select (api, user, app, ip, interval)).ToArbitrary();

    /// <summary>Tuples built to satisfy the rules: nested limits drawn below the limit they nest in.</summary>
    private static Arbitrary<(long Api, long? User, long? App, long? Ip)> ValidTuples() =>
        (from api in Gen.OneOf(Gen.Choose(1, 1000).Select(value => (long)value), Gen.Elements(1L, Max))
         from hasUser in ArbMap.Default.GeneratorFor<bool>()
         from user in Below(api)
         from hasApp in ArbMap.Default.GeneratorFor<bool>()
         from app in Below(hasUser ? user : api)
         from hasIp in ArbMap.Default.GeneratorFor<bool>()
         from ip in Below(api)
         select (api, hasUser ? (long?)user : null, hasApp ? (long?)app : null, hasIp ? (long?)ip : null)).ToArbitrary();

    private static Gen<long> Below(long bound) =>
        Gen.OneOf(Gen.Constant(bound), Gen.Constant(1L), Gen.Choose(1, (int)Math.Min(bound, int.MaxValue)).Select(value => (long)value));

    private static bool InRange(long? value) => value is null or (>= 1 and <= Max);

    private static bool Valid(long api, long? user, long? app, long? ip, long interval) =>
        InRange(api) && InRange(user) && InRange(app) && InRange(ip) && InRange(interval) &&
        (user is null || user <= api) &&
        (app is null || app <= (user ?? api)) &&
        (ip is null || ip <= api);

    /// <summary>The codes a field may be rejected with, given its value and the limit it nests in.</summary>
    private static string? Violation(long? value, long? bound) => value switch
    {
        null => null,
        < 1 => "APIG.2004",
        > Max => "APIG.2003",
        _ when bound is >= 1 and <= Max && value > bound => "APIG.2003",
        _ => null,
    };

    private static ThrottleRequest Request(long api, long? user, long? app, long? ip, long interval) => new()
    {
        Name = "throttle_demo",
        ApiCallLimits = api,
        UserCallLimits = user,
        AppCallLimits = app,
        IpCallLimits = ip,
        TimeInterval = interval,
        TimeUnit = ThrottleRules.Second,
    };

    [Fact]
    public void A_limit_tuple_is_accepted_exactly_when_the_documented_rules_hold() =>
        Prop.ForAll(Tuples(), tuple =>
        {
            var (api, user, app, ip, interval) = tuple;
            ApiErrorException? error = null;
            ThrottlePolicy? policy = null;
            try
            {
                policy = ThrottleRules.Build(Request(api, user, app, ip, interval), "id", "time");
            }
            catch (ApiErrorException e)
            {
                error = e;
            }

            if (Valid(api, user, app, ip, interval))
            {
                Assert.Null(error);
                Assert.Equal(api, policy!.ApiCallLimits);
                Assert.Equal(user, policy.UserCallLimits);
                Assert.Equal(app, policy.AppCallLimits);
                Assert.Equal(ip, policy.IpCallLimits);
                return;
            }

            Assert.NotNull(error);
            Assert.Equal(400, error!.StatusCode);

            // The error names a field that really breaks a rule, with the code of that rule.
            var userBound = InRange(user) ? user : null;
            var violations = new Dictionary<string, string?>
            {
                ["api_call_limits"] = Violation(api, null),
                ["user_call_limits"] = Violation(user, api),
                ["app_call_limits"] = Violation(app, userBound ?? api),
                ["ip_call_limits"] = Violation(ip, api),
                ["time_interval"] = Violation(interval, null),
            };
            var field = violations.Keys.Single(name => error.Message.Contains($"parameterName:{name}", StringComparison.Ordinal));
            Assert.Equal(violations[field], error.ErrorCode);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Every_tuple_built_within_the_rules_is_accepted_unchanged() =>
        Prop.ForAll(ValidTuples(), tuple =>
        {
            var (api, user, app, ip) = tuple;
            var policy = ThrottleRules.Build(Request(api, user, app, ip, 1), "id", "time");
            Assert.Equal(api, policy.ApiCallLimits);
            Assert.Equal(user, policy.UserCallLimits);
            Assert.Equal(app, policy.AppCallLimits);
            Assert.Equal(ip, policy.IpCallLimits);
            Assert.True(policy.AppCallLimits is null || policy.AppCallLimits <= (policy.UserCallLimits ?? policy.ApiCallLimits));
            Assert.True(policy.UserCallLimits is null || policy.UserCallLimits <= policy.ApiCallLimits);
            Assert.True(policy.IpCallLimits is null || policy.IpCallLimits <= policy.ApiCallLimits);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Raising_a_nested_limit_above_its_bound_is_rejected_naming_that_limit() =>
        Prop.ForAll(ValidTuples(), Gen.Choose(1, 1000).ToArbitrary(), (tuple, excess) =>
        {
            var (api, user, app, ip) = tuple;
            if (api + excess > Max)
            {
                return;
            }

            var tooHighUser = Assert.Throws<ApiErrorException>(() => ThrottleRules.Build(Request(api, api + excess, null, null, 1), "id", "time"));
            Assert.Equal("APIG.2003", tooHighUser.ErrorCode);
            Assert.Contains("parameterName:user_call_limits", tooHighUser.Message, StringComparison.Ordinal);

            var appBound = user ?? api;
            var tooHighApp = Assert.Throws<ApiErrorException>(() => ThrottleRules.Build(Request(api, user, appBound + excess, ip, 1), "id", "time"));
            Assert.Equal("APIG.2003", tooHighApp.ErrorCode);
            Assert.Contains("parameterName:app_call_limits", tooHighApp.Message, StringComparison.Ordinal);

            var tooHighIp = Assert.Throws<ApiErrorException>(() => ThrottleRules.Build(Request(api, user, app, api + excess, 1), "id", "time"));
            Assert.Equal("APIG.2003", tooHighIp.ErrorCode);
            Assert.Contains("parameterName:ip_call_limits", tooHighIp.Message, StringComparison.Ordinal);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_special_limit_is_accepted_exactly_within_the_limit_it_overrides_into() =>
        Prop.ForAll(ValidTuples(), Limit.ToArbitrary(), ArbMap.Default.ArbFor<bool>(), (tuple, callLimits, isApp) =>
        {
            var (api, user, app, ip) = tuple;
            var policy = ThrottleRules.Build(Request(api, user, app, ip, 1), "id", "time");
            var objectType = isApp ? ThrottleRules.ObjectApp : ThrottleRules.ObjectUser;

            // A special APP limit may exceed app_call_limits (the point of the override) but not the user limit it nests in.
            var bound = isApp ? policy.UserCallLimits ?? policy.ApiCallLimits : policy.ApiCallLimits;
            if (callLimits is >= 1 && callLimits <= bound)
            {
                Assert.Equal(callLimits, ThrottleRules.SpecialLimit(callLimits, objectType, policy));
                return;
            }

            var error = Assert.Throws<ApiErrorException>(() => ThrottleRules.SpecialLimit(callLimits, objectType, policy));
            Assert.Equal(callLimits < 1 ? "APIG.2004" : "APIG.2003", error.ErrorCode);
            Assert.Contains("parameterName:call_limits", error.Message, StringComparison.Ordinal);
        }).QuickCheckThrowOnFailure();
}
