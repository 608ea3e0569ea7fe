using System.Net;
using Gateway.Apig.Apis;
using Gateway.Net.DataPlane;

namespace Gateway.Net.Tests.Balancing;

/// <summary>Policy backends chosen by their conditions, through a real gateway connection over in-memory pipes.</summary>
public sealed class PolicyBackendTests
{
    private static PolicyCondition Condition(string origin, string? type, string value, string? param = null, string? system = null, string? cookie = null) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        ConditionOrigin = origin,
        ConditionType = type,
        ConditionValue = value,
        ReqParamName = param,
        SysParamName = system,
        CookieParamName = cookie,
        FrontendAuthorizerParamName = origin == "frontend_authorizer" ? "$context.authorizer.frontend.user" : null,
    };

    private static PolicyMock Mock(string name, string mode, string body, params PolicyCondition[] conditions) => new()
    {
        Id = name,
        Name = name,
        EffectMode = mode,
        Conditions = [.. conditions],
        ResultContent = body,
    };

    private static readonly ReqParam[] Parameters =
    [
        new() { Id = "p1", Name = "tier", Type = "STRING", Location = "QUERY", Required = 2, ValidEnable = 2, PassThrough = 1 },
        new() { Id = "p2", Name = "x-client", Type = "STRING", Location = "HEADER", Required = 2, ValidEnable = 2, PassThrough = 1, DefaultValue = "web" },
    ];

    private static Task<string> Serve(PolicyMock[] policies, string target, string headers = "", string remote = "127.0.0.1")
    {
        var api = ChannelModels.MockApi("a1", "/p", "default") with { ReqParams = [.. Parameters], PolicyMocks = [.. policies] };
        var snapshot = ChannelModels.Compile(ChannelModels.Model([api]));
        return ServeAsync(snapshot, target, headers, remote);
    }

    private static async Task<string> ServeAsync(DataPlaneSnapshot snapshot, string target, string headers, string remote)
    {
        var response = await ChannelModels.SendAsync(snapshot, $"GET {target} HTTP/1.1\r\nHost: any\r\nConnection: close\r\n{headers}\r\n", IPAddress.Parse(remote));
        return ChannelModels.Body(response);
    }

    [Theory]
    [InlineData("/p?tier=gold", "gold")]
    [InlineData("/p?tier=golden", "default")]
    [InlineData("/p?tier=GOLD", "default")]
    [InlineData("/p?tier=g%6Fld", "gold")]
    [InlineData("/p", "default")]
    public async Task Exact_compares_the_decoded_parameter_value(string target, string expected) =>
        Assert.Equal(expected, await Serve([Mock("gold", "ALL", "gold", Condition("param", "exact", "gold", param: "tier"))], target));

    [Theory]
    [InlineData("/p?tier=silver", "listed")]
    [InlineData("/p?tier=bronze", "listed")]
    [InlineData("/p?tier=iron", "default")]
    [InlineData("/p?tier=silver,bronze", "default")]
    public async Task Enum_accepts_any_listed_value(string target, string expected) =>
        Assert.Equal(expected, await Serve([Mock("listed", "ALL", "listed", Condition("param", "enum", "silver, bronze", param: "tier"))], target));

    [Theory]
    [InlineData("/p?tier=v12", "versioned")]
    [InlineData("/p?tier=v", "default")]
    [InlineData("/p?tier=xv1", "default")]
    public async Task Pattern_is_a_regular_expression_over_the_value(string target, string expected) =>
        Assert.Equal(expected, await Serve([Mock("versioned", "ALL", "versioned", Condition("param", "pattern", "^v[0-9]+$", param: "tier"))], target));

    [Theory]
    [InlineData("/p?tier=gold", "", "default")]
    [InlineData("/p?tier=gold", "x-client: app\r\n", "both")]
    [InlineData("/p?tier=iron", "x-client: app\r\n", "default")]
    public async Task All_needs_every_condition(string target, string headers, string expected) =>
        Assert.Equal(expected, await Serve(
            [Mock("both", "ALL", "both", Condition("param", "exact", "gold", param: "tier"), Condition("param", "exact", "app", param: "x-client"))],
            target, headers));

    [Theory]
    [InlineData("/p?tier=gold", "", "either")]
    [InlineData("/p?tier=iron", "x-client: app\r\n", "either")]
    [InlineData("/p?tier=iron", "", "default")]
    public async Task Any_needs_one_condition(string target, string headers, string expected) =>
        Assert.Equal(expected, await Serve(
            [Mock("either", "ANY", "either", Condition("param", "exact", "gold", param: "tier"), Condition("param", "exact", "app", param: "x-client"))],
            target, headers));

    [Fact]
    public async Task A_missing_parameter_uses_its_default_value() =>
        Assert.Equal("web", await Serve([Mock("web", "ALL", "web", Condition("param", "exact", "web", param: "x-client"))], "/p"));

    [Theory]
    [InlineData("/p?tier=gold", "first")]
    [InlineData("/p?tier=silver", "second")]
    public async Task The_first_matching_policy_wins(string target, string expected) =>
        Assert.Equal(expected, await Serve(
            [
                Mock("first", "ANY", "first", Condition("param", "exact", "gold", param: "tier")),
                Mock("second", "ANY", "second", Condition("param", "enum", "gold,silver", param: "tier")),
            ],
            target));

    [Theory]
    [InlineData("10.1.2.3", "office")]
    [InlineData("10.2.0.1", "default")]
    [InlineData("192.168.7.7", "office")]
    [InlineData("::ffff:10.1.9.9", "office")]
    [InlineData("2001:db8::1", "default")]
    public async Task Source_conditions_hold_addresses_and_blocks(string remote, string expected) =>
        Assert.Equal(expected, await Serve([Mock("office", "ANY", "office", Condition("source", null, "10.1.0.0/16,192.168.7.7"))], "/p", remote: remote));

    [Theory]
    [InlineData("/p")]
    [InlineData("/p?x=1")]
    public async Task System_conditions_see_the_path_and_method(string target)
    {
        Assert.Equal("path", await Serve([Mock("path", "ALL", "path", Condition("system", "exact", "/p", system: "req_path"), Condition("system", "enum", "GET,HEAD", system: "reqMethod"))], target));
        Assert.Equal("default", await Serve([Mock("path", "ALL", "path", Condition("system", "exact", "POST", system: "req_method"))], target));
    }

    [Theory]
    [InlineData("Cookie: a=1; beta=on; c=3\r\n", "beta")]
    [InlineData("Cookie: beta=\"on\"\r\n", "beta")]
    [InlineData("Cookie: beta=off\r\n", "default")]
    [InlineData("Cookie: xbeta=on\r\n", "default")]
    [InlineData("", "default")]
    public async Task Cookie_conditions_read_the_named_cookie(string headers, string expected) =>
        Assert.Equal(expected, await Serve([Mock("beta", "ALL", "beta", Condition("cookie", "exact", "on", cookie: "beta"))], "/p", headers));

    [Fact]
    public async Task Authorizer_output_conditions_never_match_a_request_without_an_authorizer_decision() =>
        Assert.Equal("default", await Serve([Mock("auth", "ANY", "auth", Condition("frontend_authorizer", "pattern", ".*"))], "/p"));

    [Fact]
    public void Conditions_compile_once_into_bytes_and_patterns()
    {
        var rules = new[] { new RequestParameterRule { Name = "tier"u8.ToArray(), Location = ParameterLocation.Query } };
        var pattern = DataPlaneCompiler.CompileCondition(Condition("param", "pattern", "^a+$", param: "tier"), rules);
        Assert.Equal(ConditionSource.Parameter, pattern.Source);
        Assert.True(pattern.Pattern!.Options.HasFlag(System.Text.RegularExpressions.RegexOptions.NonBacktracking));
        var backreference = DataPlaneCompiler.CompileCondition(Condition("param", "pattern", @"^(a)\1$", param: "tier"), rules);
        Assert.Matches(backreference.Pattern!, "aa");
        Assert.Equal(ConditionSource.Never, DataPlaneCompiler.CompileCondition(Condition("param", "exact", "x", param: "undeclared"), rules).Source);
        Assert.Equal(["a"u8.ToArray(), "b"u8.ToArray()], DataPlaneCompiler.CompileCondition(Condition("param", "enum", "a, b,", param: "tier"), rules).Values);
    }

    [Fact]
    public async Task A_function_policy_is_answered_as_unavailable()
    {
        var api = ChannelModels.MockApi("a1", "/p", "default") with
        {
            BackendType = "FUNCTION",
            ReqParams = [.. Parameters],
            PolicyFunctions =
            [
                new PolicyFunction
                {
                    Id = "f", Name = "fn", EffectMode = "ANY", Conditions = [Condition("param", "exact", "gold", param: "tier")],
                    FunctionUrn = "urn:fss:x:p:function:default:f", InvocationType = "sync", NetworkType = "V2",
                },
            ],
        };
        var response = await ChannelModels.SendAsync(ChannelModels.Compile(ChannelModels.Model([api])), "GET /p?tier=gold HTTP/1.1\r\nHost: any\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 502", response);
    }
}
