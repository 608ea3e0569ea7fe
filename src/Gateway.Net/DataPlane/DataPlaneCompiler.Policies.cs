using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.Apig.Apis;
using Gateway.Apig.Runtime;
using Gateway.Net.Upstream;

namespace Gateway.Net.DataPlane;

/// <summary>
/// Policy backends: each policy becomes a plan of its own (the API's frontend, the policy's backend) behind compiled
/// conditions. Values are encoded and patterns built here, once per snapshot.
/// </summary>
internal sealed partial class DataPlaneCompiler
{
    /// <summary>How long a pattern that needs backtracking may run on one value before it counts as not matching.</summary>
    internal static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(50);

    private CompiledPolicy[]? CompilePolicies(RuntimeApi runtimeApi, CompiledApi compiled, Dictionary<string, string>? variables)
    {
        var api = runtimeApi.Definition;
        var policies = new List<CompiledPolicy>();
        foreach (var policy in api.PolicyHttps ?? [])
        {
            policies.Add(Policy(policy, compiled, string.Equals(api.BackendType, "HTTP", StringComparison.Ordinal)
                ? HttpPolicyPlan(policy, compiled, variables)
                : Variant(compiled, BackendKind.Unsupported, [], $"policy backends of {api.BackendType} APIs are not supported by this data plane")));
        }

        foreach (var policy in api.PolicyMocks ?? [])
        {
            policies.Add(Policy(policy, compiled, MockPolicyPlan(policy, compiled)));
        }

        foreach (var policy in api.PolicyFunctions ?? [])
        {
            policies.Add(Policy(policy, compiled, Variant(compiled, BackendKind.Unsupported, [], "FunctionGraph backends are not supported by this data plane")));
        }

        return policies.Count == 0 ? null : [.. policies];
    }

    private static CompiledPolicy Policy(PolicyBackend policy, CompiledApi compiled, CompiledApi plan)
    {
        var conditions = new CompiledCondition[policy.Conditions.Count];
        for (var i = 0; i < conditions.Length; i++)
        {
            conditions[i] = CompileCondition(policy.Conditions[i], compiled.RequestParameters);
        }

        // What the routed API decided for the request carries over to whichever backend serves it: its gateway
        // responses, throttling, caller checks, and the backend signature key bound to it in the environment.
        plan.Responses = compiled.Responses;
        plan.Throttle = compiled.Throttle;
        plan.Security = compiled.Security;
        plan.FrontendAuthorizer = compiled.FrontendAuthorizer;
        plan.BackendSigner = compiled.BackendSigner;
        return new CompiledPolicy
        {
            Name = policy.Name,
            MatchAll = !string.Equals(policy.EffectMode, "ANY", StringComparison.Ordinal),
            Conditions = conditions,
            Plan = plan,
        };
    }

    private CompiledApi HttpPolicyPlan(PolicyHttp policy, CompiledApi compiled, Dictionary<string, string>? variables)
    {
        string? error = null;
        var https = string.Equals(policy.ReqProtocol, "HTTPS", StringComparison.Ordinal);
        var rules = PolicyBackendParameters(policy.BackendParams, compiled.RequestParameters);
        var reqUri = Substitute(policy.ReqUri, variables, ref error);
        UpstreamEndpoint? endpoint = null;
        CompiledChannel? channel = null;
        if (policy.VpcChannelStatus == 1)
        {
            channel = CompileChannel(policy.VpcChannelInfo, https);
        }
        else
        {
            var urlDomain = Substitute(policy.UrlDomain ?? string.Empty, variables, ref error);
            if (TrySplitHostPort(urlDomain, https, out var host, out var port))
            {
                endpoint = upstreams.Get(host, port, https);
            }
            else
            {
                error ??= $"backend address '{urlDomain}' is not host[:port]";
            }
        }

        return new CompiledApi
        {
            Id = compiled.Id,
            IdBytes = compiled.IdBytes,
            Name = compiled.Name,
            GroupId = compiled.GroupId,
            EnvironmentName = compiled.EnvironmentName,
            AuthType = compiled.AuthType,
            Backend = BackendKind.Http,
            Cors = compiled.Cors,
            PrefixMatch = compiled.PrefixMatch,
            PathParameterNames = compiled.PathParameterNames,
            RequestParameters = compiled.RequestParameters,
            BackendParameters = rules,
            Endpoint = endpoint,
            Channel = channel,
            BackendMethod = string.Equals(policy.ReqMethod, "ANY", StringComparison.Ordinal) ? null : Encoding.ASCII.GetBytes(policy.ReqMethod),
            BackendPath = ParseBackendPath(reqUri, rules, [.. compiled.PathParameterNames]),
            TimeoutMilliseconds = policy.Timeout ?? compiled.TimeoutMilliseconds,
            RetryCount = int.TryParse(policy.RetryCount, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var retries) ? retries : -1,
            ConfigurationError = endpoint is null && channel is null ? error ?? "backend unavailable" : error,
        };
    }

    private static CompiledApi MockPolicyPlan(PolicyMock policy, CompiledApi compiled)
    {
        var body = policy.ResultContent ?? string.Empty;
        var trimmed = body.TrimStart();
        return new CompiledApi
        {
            Id = compiled.Id,
            IdBytes = compiled.IdBytes,
            Name = compiled.Name,
            GroupId = compiled.GroupId,
            EnvironmentName = compiled.EnvironmentName,
            AuthType = compiled.AuthType,
            Backend = BackendKind.Mock,
            Cors = compiled.Cors,
            PrefixMatch = compiled.PrefixMatch,
            PathParameterNames = compiled.PathParameterNames,
            RequestParameters = compiled.RequestParameters,
            BackendParameters = PolicyBackendParameters(policy.BackendParams, compiled.RequestParameters),
            MockBody = Encoding.UTF8.GetBytes(body),
            MockContentType = trimmed.StartsWith('{') || trimmed.StartsWith('[') ? "application/json"u8.ToArray() : "text/plain; charset=utf-8"u8.ToArray(),
        };
    }

    /// <summary>The API's frontend with another backend kind and no backend address.</summary>
    private static CompiledApi Variant(CompiledApi compiled, BackendKind kind, BackendParameterRule[] rules, string? error) => new()
    {
        Id = compiled.Id,
        IdBytes = compiled.IdBytes,
        Name = compiled.Name,
        GroupId = compiled.GroupId,
        EnvironmentName = compiled.EnvironmentName,
        AuthType = compiled.AuthType,
        Backend = kind,
        Cors = compiled.Cors,
        PrefixMatch = compiled.PrefixMatch,
        PathParameterNames = compiled.PathParameterNames,
        RequestParameters = compiled.RequestParameters,
        BackendParameters = rules,
        ConfigurationError = error,
    };

    /// <summary>A policy's own <c>backend_params</c>, resolved against the API's request parameters.</summary>
    private static BackendParameterRule[] PolicyBackendParameters(List<BackendParam> parameters, RequestParameterRule[] requestParameters)
    {
        var rules = new BackendParameterRule[parameters.Count];
        for (var i = 0; i < rules.Length; i++)
        {
            var parameter = parameters[i];
            var source = parameter.Origin switch
            {
                "REQUEST" => BackendValueSource.Request,
                "SYSTEM" => BackendValueSource.System,
                _ => BackendValueSource.Constant,
            };
            rules[i] = new BackendParameterRule
            {
                Name = Encoding.UTF8.GetBytes(parameter.Name),
                Location = ParseLocation(parameter.Location),
                Source = source,
                RequestParameterIndex = source == BackendValueSource.Request ? ParameterIndex(requestParameters, parameter.Value) : -1,
                Constant = source == BackendValueSource.Constant ? Encoding.UTF8.GetBytes(parameter.Value) : null,
                System = source == BackendValueSource.System ? ParseSystemValue(parameter.Value) : SystemValue.Unknown,
            };
        }

        return rules;
    }

    private static int ParameterIndex(RequestParameterRule[] requestParameters, string? name)
    {
        if (name is null)
        {
            return -1;
        }

        var bytes = Encoding.UTF8.GetBytes(name);
        return Array.FindIndex(requestParameters, p => p.Name.AsSpan().SequenceEqual(bytes));
    }

    /// <summary>Compiles one condition; anything that cannot be evaluated compiles to a condition that never matches.</summary>
    internal static CompiledCondition CompileCondition(PolicyCondition condition, RequestParameterRule[] requestParameters)
    {
        var source = condition.ConditionOrigin switch
        {
            "param" => ConditionSource.Parameter,
            "source" => ConditionSource.SourceIp,
            "system" => condition.SysParamName switch
            {
                "req_path" or "reqPath" => ConditionSource.RequestPath,
                "req_method" or "reqMethod" => ConditionSource.RequestMethod,
                _ => ConditionSource.Never,
            },
            "cookie" => ConditionSource.Cookie,
            "frontend_authorizer" => ConditionSource.AuthorizerOutput,
            _ => ConditionSource.Never,
        };
        var parameterIndex = source == ConditionSource.Parameter ? ParameterIndex(requestParameters, condition.ReqParamName) : -1;
        if (source == ConditionSource.Parameter && parameterIndex < 0)
        {
            source = ConditionSource.Never;
        }

        var value = condition.ConditionValue ?? string.Empty;
        var match = condition.ConditionType switch
        {
            "pattern" => ConditionMatch.Pattern,
            "enum" => ConditionMatch.Enum,
            _ => ConditionMatch.Exact,
        };

        // Source conditions hold addresses and CIDR blocks unless they are patterns over the formatted address.
        if (source == ConditionSource.SourceIp && match != ConditionMatch.Pattern)
        {
            return new CompiledCondition { Source = source, Match = ConditionMatch.Networks, Networks = ParseNetworks(value) };
        }

        Regex? pattern = null;
        if (match == ConditionMatch.Pattern)
        {
            pattern = BuildPattern(value);
            if (pattern is null)
            {
                source = ConditionSource.Never;
            }
        }

        return new CompiledCondition
        {
            Source = source,
            Match = match,
            ParameterIndex = parameterIndex,
            Name = source switch
            {
                ConditionSource.Cookie => Encoding.UTF8.GetBytes(condition.CookieParamName ?? string.Empty),
                // Named as the context key, or as the full $context.authorizer.frontend.<key> reference.
                ConditionSource.AuthorizerOutput => Encoding.UTF8.GetBytes(
                    (condition.FrontendAuthorizerParamName ?? string.Empty) is var name && name.StartsWith("$context.authorizer.frontend.", StringComparison.Ordinal)
                        ? name["$context.authorizer.frontend.".Length..]
                        : name),
                _ => [],
            },
            Value = match == ConditionMatch.Exact ? Encoding.UTF8.GetBytes(value) : [],
            Values = match == ConditionMatch.Enum
                ? Array.ConvertAll(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), Encoding.UTF8.GetBytes)
                : [],
            Pattern = pattern,
        };
    }

    /// <summary>
    /// A pattern as a non-backtracking regex (linear time in the input, nothing to time out); constructs that need
    /// backtracking (backreferences, lookarounds) fall back to a compiled regex with a match timeout.
    /// </summary>
    private static Regex? BuildPattern(string value)
    {
        try
        {
            return new Regex(value, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (NotSupportedException)
        {
        }
        catch (ArgumentException)
        {
            return null;
        }

        try
        {
            return new Regex(value, RegexOptions.Compiled | RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static AddressBlock[] ParseNetworks(string value)
    {
        var blocks = new List<AddressBlock>();
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (item.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(item, out var network))
            {
                blocks.Add(new AddressBlock(network.BaseAddress.GetAddressBytes(), network.PrefixLength));
            }
            else if (IPAddress.TryParse(item, out var address))
            {
                if (address.IsIPv4MappedToIPv6)
                {
                    address = address.MapToIPv4();
                }

                var bytes = address.GetAddressBytes();
                blocks.Add(new AddressBlock(bytes, bytes.Length * 8));
            }
        }

        return [.. blocks];
    }
}
