using Gateway.Apig.Common;
using Gateway.Errors;

namespace Gateway.Apig.Throttles;

/// <summary>
/// The documented constraints of a throttling policy (3.4.1) and of special settings (3.9.1). Every limit is a
/// positive 32-bit integer; the per-caller limits nest inside the API limit: app ≤ user ≤ api and ip ≤ api (an unset
/// user limit means the app limit nests directly inside the API limit).
/// </summary>
internal static class ThrottleRules
{
    public const string Second = "SECOND";
    public const string Minute = "MINUTE";
    public const string Hour = "HOUR";
    public const string Day = "DAY";
    public const int Exclusive = 1;
    public const int Shared = 2;
    public const string ObjectApp = "APP";
    public const string ObjectUser = "USER";

    private static readonly string[] TimeUnits = [Second, Minute, Hour, Day];
    private static readonly int[] Types = [Exclusive, Shared];
    private static readonly string[] AdaptiveControl = ["TRUE", "FALSE"];

    public static readonly string[] ObjectTypes = [ObjectApp, ObjectUser];

    /// <summary>Validates a create or update body into the policy it describes.</summary>
    public static ThrottlePolicy Build(ThrottleRequest request, string id, string createTime)
    {
        var name = Check.Text(request.Name, "name", 3, 64, ApigPatterns.PolicyName());
        var api = Limit(request.ApiCallLimits, "api_call_limits") ?? throw ApigErrors.Missing("api_call_limits");
        var user = Limit(request.UserCallLimits, "user_call_limits");
        var app = Limit(request.AppCallLimits ?? request.AppCalls, "app_call_limits");
        var ip = Limit(request.IpCallLimits, "ip_call_limits");
        var interval = Limit(request.TimeInterval, "time_interval") ?? throw ApigErrors.Missing("time_interval");
        var unit = Check.OneOf(request.TimeUnit, "time_unit", TimeUnits);
        var type = request.Type is null ? Exclusive : Check.OneOf(request.Type, "type", Types);
        var adaptive = Check.OptionalOneOf(request.EnableAdaptiveControl, "enable_adaptive_control", AdaptiveControl) ?? "FALSE";
        Check.MaxLength(request.Remark, "remark", 255);
        CheckNesting(api, user, app, ip);
        return new ThrottlePolicy
        {
            Id = id,
            Name = name,
            ApiCallLimits = api,
            UserCallLimits = user,
            AppCallLimits = app,
            IpCallLimits = ip,
            TimeInterval = interval,
            TimeUnit = unit,
            Remark = request.Remark,
            Type = type,
            EnableAdaptiveControl = adaptive,
            CreateTime = createTime,
        };
    }

    /// <summary>app ≤ user ≤ api and ip ≤ api; an absent limit does not constrain.</summary>
    public static void CheckNesting(int api, int? user, int? app, int? ip)
    {
        if (user > api)
        {
            throw ThrottleErrors.ExceedsLimit("user_call_limits", "api_call_limits");
        }

        if (user is not null && app > user)
        {
            throw ThrottleErrors.ExceedsLimit("app_call_limits", "user_call_limits");
        }

        if (app > api)
        {
            throw ThrottleErrors.ExceedsLimit("app_call_limits", "api_call_limits");
        }

        if (ip > api)
        {
            throw ThrottleErrors.ExceedsLimit("ip_call_limits", "api_call_limits");
        }
    }

    /// <summary>
    /// The limit of a special setting: positive, and within the limit the overridden one nests in. A special APP limit
    /// replaces app_call_limits, so it may exceed it but not user_call_limits (or api_call_limits when that is unset);
    /// a special tenant limit replaces user_call_limits and may not exceed api_call_limits.
    /// </summary>
    public static int SpecialLimit(long? callLimits, string objectType, ThrottlePolicy policy)
    {
        var limit = Limit(callLimits, "call_limits") ?? throw ApigErrors.Missing("call_limits");
        var (bound, boundName) = objectType == ObjectApp && policy.UserCallLimits is { } user
            ? (user, "user_call_limits")
            : (policy.ApiCallLimits, "api_call_limits");
        if (limit > bound)
        {
            throw ThrottleErrors.ExceedsLimit("call_limits", $"the policy's {boundName} ({bound})");
        }

        return limit;
    }

    /// <summary>A positive 32-bit limit: below 1 is out of range (APIG.2004), above 2147483647 too large (APIG.2003).</summary>
    private static int? Limit(long? value, string parameter) => value switch
    {
        null => null,
        < 1 => throw ApigErrors.OutOfRange(parameter),
        > int.MaxValue => throw ApigErrors.TooLarge(parameter),
        _ => (int)value.Value,
    };
}
