using System.Globalization;
using System.Text;
using Gateway.Apig.Apis;
using Gateway.Apig.Runtime;
using Gateway.Net.Balancing;
using Gateway.Net.Health;
using Gateway.Net.RateLimiting;
using Gateway.Net.Routing;
using Gateway.Net.Upstream;

namespace Gateway.Net.DataPlane;

/// <summary>Compiles an instance's published state into route tables and pre-encoded API plans.</summary>
internal sealed partial class DataPlaneCompiler(UpstreamRegistry upstreams, ThrottleRegistry? throttles = null, MemberHealthRegistry? memberHealth = null)
{
    private const string ReleaseName = "RELEASE";

    public DataPlaneSnapshot Compile(ApigRuntimeModel model)
    {
        PrepareChannels(model);
        var variables = new Dictionary<(string Group, string Env), Dictionary<string, string>>();
        foreach (var variable in model.Variables)
        {
            if (!variables.TryGetValue((variable.GroupId, variable.EnvId), out var values))
            {
                values = new Dictionary<string, string>(StringComparer.Ordinal);
                variables[(variable.GroupId, variable.EnvId)] = values;
            }

            values[variable.VariableName] = variable.VariableValue;
        }

        var policies = new Dictionary<string, Gateway.Apig.Throttles.ThrottlePolicy>(StringComparer.Ordinal);
        foreach (var policy in model.Throttles)
        {
            policies[policy.Id] = policy;
        }

        var bindings = new Dictionary<(string Api, string Env), Gateway.Apig.Throttles.ThrottlePolicy>();
        foreach (var binding in model.ThrottleBindings)
        {
            if (policies.TryGetValue(binding.ThrottleId, out var policy))
            {
                bindings[(binding.ApiId, binding.EnvId)] = policy;
            }
        }

        // Customized gateway responses: the group's default one applies to its APIs unless an API names another.
        var responseRecords = new Dictionary<string, Gateway.Apig.GatewayResponses.GatewayResponseRecord>(StringComparer.Ordinal);
        var groupDefaults = new Dictionary<string, CompiledErrorResponses>(StringComparer.Ordinal);
        var compiledResponses = new Dictionary<string, CompiledErrorResponses>(StringComparer.Ordinal);
        foreach (var record in model.GatewayResponses)
        {
            responseRecords[record.Id] = record;
            if (record.Default)
            {
                groupDefaults[record.GroupId] = CompiledErrorResponses.Compile(record);
            }
        }

        // group id -> environment name -> trie builder
        var builders = new Dictionary<string, Dictionary<string, RouteTrie<CompiledApi>.Builder>>(StringComparer.Ordinal);
        var apiCount = 0;
        foreach (var runtimeApi in model.Apis)
        {
            var api = runtimeApi.Definition;
            if (!builders.TryGetValue(api.GroupId, out var byEnvironment))
            {
                byEnvironment = new Dictionary<string, RouteTrie<CompiledApi>.Builder>(StringComparer.Ordinal);
                builders[api.GroupId] = byEnvironment;
            }

            if (!byEnvironment.TryGetValue(runtimeApi.Environment.Name, out var builder))
            {
                builder = new RouteTrie<CompiledApi>.Builder();
                byEnvironment[runtimeApi.Environment.Name] = builder;
            }

            variables.TryGetValue((api.GroupId, runtimeApi.Environment.Id), out var values);
            var compiled = CompileApi(runtimeApi, values);
            compiled.Responses = ResponsesFor(api, responseRecords, groupDefaults, compiledResponses);
            CompileAuthorizer(compiled, runtimeApi, model);
            CompileBackendSigning(compiled, runtimeApi, model);
            compiled.Security = PlanSecurity(model, runtimeApi);
            if (throttles is not null)
            {
                bindings.TryGetValue((api.Id, runtimeApi.Environment.Id), out var bound);
                compiled.Throttle = PlanThrottle(throttles, bound, model.SpecialThrottles, api.Id, runtimeApi.Environment.Id);
            }

            compiled.Policies = CompilePolicies(runtimeApi, compiled, values);

            var mode = string.Equals(api.MatchMode, "SWA", StringComparison.Ordinal) ? RouteMatchMode.Prefix : RouteMatchMode.Exact;
            try
            {
                if (builder.TryAdd(api.ReqMethod, api.ReqUri, mode, compiled))
                {
                    apiCount++;
                }
            }
            catch (ArgumentException)
            {
                // A definition the route table cannot hold is not served; the management plane validates paths, so
                // this only happens for data written by other means.
            }
        }

        var hosts = new List<KeyValuePair<byte[], CompiledGroup>>();
        var seenHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        CompiledGroup? defaultGroup = null;
        foreach (var group in model.Groups)
        {
            builders.TryGetValue(group.Id, out var byEnvironment);
            var environments = new List<KeyValuePair<byte[], RouteTrie<CompiledApi>>>();
            RouteTrie<CompiledApi>? release = null;
            if (byEnvironment is not null)
            {
                foreach (var (name, builder) in byEnvironment)
                {
                    var trie = builder.Build();
                    environments.Add(new(Encoding.UTF8.GetBytes(name), trie));
                    if (name == ReleaseName)
                    {
                        release = trie;
                    }
                }
            }

            var compiledGroup = new CompiledGroup(group.Id, new ByteKeyMap<RouteTrie<CompiledApi>>(environments), release,
                groupDefaults.GetValueOrDefault(group.Id) ?? CompiledErrorResponses.Defaults);
            if (group.IsDefault == 1)
            {
                defaultGroup = compiledGroup;
            }

            if (group.SlDomainAccessEnabled)
            {
                foreach (var domain in group.SlDomains)
                {
                    if (seenHosts.Add(domain))
                    {
                        hosts.Add(new(Encoding.ASCII.GetBytes(domain), compiledGroup));
                    }
                }
            }

            foreach (var domain in group.UrlDomains)
            {
                if (seenHosts.Add(domain.Domain))
                {
                    hosts.Add(new(Encoding.ASCII.GetBytes(domain.Domain), compiledGroup));
                }
            }
        }

        return new DataPlaneSnapshot(model.Revision, new ByteKeyMap<CompiledGroup>(hosts, ignoreAsciiCase: true), defaultGroup, apiCount);
    }

    private CompiledApi CompileApi(RuntimeApi runtimeApi, Dictionary<string, string>? variables)
    {
        var api = runtimeApi.Definition;
        var pathNames = RouteTemplate.ParameterNames(api.ReqUri);
        var requestParameters = new List<RequestParameterRule>();
        foreach (var parameter in api.ReqParams ?? [])
        {
            var location = ParseLocation(parameter.Location);
            requestParameters.Add(new RequestParameterRule
            {
                Name = Encoding.UTF8.GetBytes(parameter.Name),
                Location = location,
                Required = parameter.Required == 1,
                IsNumber = string.Equals(parameter.Type, "NUMBER", StringComparison.Ordinal),
                Validate = parameter.ValidEnable == 1,
                DefaultValue = string.IsNullOrEmpty(parameter.DefaultValue) ? null : Encoding.UTF8.GetBytes(parameter.DefaultValue),
                Min = string.Equals(parameter.Type, "NUMBER", StringComparison.Ordinal) ? parameter.MinNum : parameter.MinSize,
                Max = string.Equals(parameter.Type, "NUMBER", StringComparison.Ordinal) ? parameter.MaxNum : parameter.MaxSize,
                Enumerations = SplitEnumerations(parameter.Enumerations),
                PathCaptureIndex = location == ParameterLocation.Path ? pathNames.IndexOf(parameter.Name) : -1,
            });
        }

        var backendParameters = new List<BackendParameterRule>();
        foreach (var parameter in api.BackendParams ?? [])
        {
            var source = parameter.Origin switch
            {
                "REQUEST" => BackendValueSource.Request,
                "SYSTEM" => BackendValueSource.System,
                _ => BackendValueSource.Constant,
            };
            backendParameters.Add(new BackendParameterRule
            {
                Name = Encoding.UTF8.GetBytes(parameter.Name),
                Location = ParseLocation(parameter.Location),
                Source = source,
                RequestParameterIndex = source == BackendValueSource.Request
                    ? requestParameters.FindIndex(p => Encoding.UTF8.GetString(p.Name) == parameter.Value)
                    : -1,
                Constant = source == BackendValueSource.Constant ? Encoding.UTF8.GetBytes(parameter.Value) : null,
                System = source == BackendValueSource.System ? ParseSystemValue(parameter.Value) : SystemValue.Unknown,
                AuthorizerContextName = source == BackendValueSource.System ? AuthorizerContextName(parameter.Value) : null,
            });
        }

        // Backend-specific parts first, then one construction: the API's plan is immutable once built.
        var kind = BackendKind.Unsupported;
        string? error = $"backend type {api.BackendType} is not supported by this data plane";
        byte[] mockBody = [];
        var mockContentType = "text/plain; charset=utf-8"u8.ToArray();
        UpstreamEndpoint? endpoint = null;
        CompiledChannel? channel = null;
        byte[]? backendMethod = null;
        BackendPathPart[] backendPath = [];
        var timeout = 60_000;
        var retryCount = -1;
        BackendParameterRule[] backendRules = [.. backendParameters];
        switch (api.BackendType)
        {
            case "MOCK":
            {
                kind = BackendKind.Mock;
                error = null;
                var body = api.MockInfo?.ResultContent ?? string.Empty;
                mockBody = Encoding.UTF8.GetBytes(body);
                var trimmed = body.TrimStart();
                if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
                {
                    mockContentType = "application/json"u8.ToArray();
                }

                break;
            }

            case "HTTP" when api.BackendApi is { } backend:
            {
                kind = BackendKind.Http;
                error = null;
                var https = string.Equals(backend.ReqProtocol, "HTTPS", StringComparison.Ordinal);
                var urlDomain = Substitute(backend.UrlDomain ?? string.Empty, variables, ref error);
                var reqUri = Substitute(backend.ReqUri, variables, ref error);
                if (backend.VpcChannelStatus == 1)
                {
                    channel = CompileChannel(backend.VpcChannelInfo, https);
                }
                else if (!TrySplitHostPort(urlDomain, https, out var host, out var port))
                {
                    error ??= $"backend address '{urlDomain}' is not host[:port]";
                }
                else
                {
                    endpoint = upstreams.Get(host, port, https);
                }

                backendMethod = string.Equals(backend.ReqMethod, "ANY", StringComparison.Ordinal) ? null : Encoding.ASCII.GetBytes(backend.ReqMethod);
                backendPath = ParseBackendPath(reqUri, backendRules, pathNames);
                timeout = backend.Timeout;
                retryCount = int.TryParse(backend.RetryCount, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var retries) ? retries : -1;
                break;
            }
        }

        return new CompiledApi
        {
            Id = api.Id,
            IdBytes = Encoding.ASCII.GetBytes(api.Id),
            Name = api.Name,
            GroupId = api.GroupId,
            EnvironmentName = Encoding.UTF8.GetBytes(runtimeApi.Environment.Name),
            AuthType = api.AuthType,
            Backend = kind,
            Cors = api.Cors,
            PrefixMatch = string.Equals(api.MatchMode, "SWA", StringComparison.Ordinal),
            PathParameterNames = [.. pathNames],
            RequestParameters = [.. requestParameters],
            BackendParameters = backendRules,
            MockBody = mockBody,
            MockContentType = mockContentType,
            Endpoint = endpoint,
            BackendMethod = backendMethod,
            BackendPath = backendPath,
            TimeoutMilliseconds = timeout,
            RetryCount = retryCount,
            Channel = channel,
            ConfigurationError = kind == BackendKind.Http && endpoint is null && channel is null ? error ?? "backend unavailable" : error,
        };
    }

    private static CompiledErrorResponses ResponsesFor(
        Api api,
        Dictionary<string, Gateway.Apig.GatewayResponses.GatewayResponseRecord> records,
        Dictionary<string, CompiledErrorResponses> groupDefaults,
        Dictionary<string, CompiledErrorResponses> compiled)
    {
        if (api.ResponseId is { Length: > 0 } responseId && records.TryGetValue(responseId, out var record) && record.GroupId == api.GroupId)
        {
            if (!compiled.TryGetValue(responseId, out var responses))
            {
                responses = CompiledErrorResponses.Compile(record);
                compiled[responseId] = responses;
            }

            return responses;
        }

        return groupDefaults.GetValueOrDefault(api.GroupId) ?? CompiledErrorResponses.Defaults;
    }

    /// <summary>
    /// The bound policy's buckets, or the instance default (200/s) for an API without one. Exclusive policies (type 1)
    /// give each API its own budget; shared ones (type 2) one budget for all bound APIs.
    /// </summary>
    private static ThrottlePlan PlanThrottle(
        ThrottleRegistry registry, Gateway.Apig.Throttles.ThrottlePolicy? policy, IReadOnlyList<Gateway.Apig.Throttles.SpecialThrottle> specials, string apiId, string envId)
    {
        var frequency = System.Diagnostics.Stopwatch.Frequency;
        if (policy is null)
        {
            var defaultLimit = TokenBucketLimit.Create(registry.DefaultRequestsPerSecond, 1, frequency);
            return new ThrottlePlan(registry.Bucket($"default:{apiId}:{envId}", defaultLimit), null, 0);
        }

        var unit = policy.TimeUnit switch
        {
            "MINUTE" => RateLimitTimeUnit.Minute,
            "HOUR" => RateLimitTimeUnit.Hour,
            "DAY" => RateLimitTimeUnit.Day,
            _ => RateLimitTimeUnit.Second,
        };
        var shared = policy.Type == 2;
        var apiLimit = TokenBucketLimit.Create(policy.ApiCallLimits, policy.TimeInterval, unit, frequency);
        var bucket = registry.Bucket(shared ? $"{policy.Id}:shared" : $"{policy.Id}:{apiId}:{envId}", apiLimit);
        KeyedBucketTable<BucketKey>? ipTable = null;
        if (policy.IpCallLimits is > 0 and var ipLimit)
        {
            ipTable = registry.Table($"{policy.Id}:ip", TokenBucketLimit.Create(ipLimit, policy.TimeInterval, unit, frequency));
        }

        KeyedBucketTable<BucketKey>? appTable = null;
        if (policy.AppCallLimits is > 0 and var appLimit)
        {
            appTable = registry.Table($"{policy.Id}:app", TokenBucketLimit.Create(appLimit, policy.TimeInterval, unit, frequency));
        }

        KeyedBucketTable<BucketKey>? userTable = null;
        if (policy.UserCallLimits is > 0 and var userLimit)
        {
            userTable = registry.Table($"{policy.Id}:user", TokenBucketLimit.Create(userLimit, policy.TimeInterval, unit, frequency));
        }

        // Special settings replace the APP or tenant limit for one object, with the policy's window; each gets a bucket
        // per API (exclusive policies) or one for all bound APIs (shared ones), like the API budget itself.
        var scopeName = shared ? "shared" : $"{apiId}:{envId}";
        List<KeyValuePair<byte[], TokenBucket>>? appSpecials = null;
        List<KeyValuePair<byte[], TokenBucket>>? userSpecials = null;
        foreach (var special in specials)
        {
            if (special.ThrottleId != policy.Id || special.CallLimits <= 0)
            {
                continue;
            }

            var isApp = string.Equals(special.ObjectType, "APP", StringComparison.Ordinal);
            var objectId = isApp ? special.AppId ?? special.ObjectId : special.ObjectId;
            var specialBucket = registry.Bucket(
                $"{policy.Id}:special:{special.ObjectType}:{objectId}:{scopeName}",
                TokenBucketLimit.Create(special.CallLimits, policy.TimeInterval, unit, frequency));
            var list = isApp ? appSpecials ??= [] : userSpecials ??= [];
            list.Add(new(Encoding.UTF8.GetBytes(objectId), specialBucket));
        }

        return new ThrottlePlan(bucket, ipTable, shared ? 0 : ThrottleRegistry.ScopeOf(apiId + ":" + envId))
        {
            AppTable = appTable,
            UserTable = userTable,
            AppSpecials = appSpecials is null ? null : new ByteKeyMap<TokenBucket>(appSpecials),
            UserSpecials = userSpecials is null ? null : new ByteKeyMap<TokenBucket>(userSpecials),
        };
    }

    private static ParameterLocation ParseLocation(string location) => location switch
    {
        "PATH" => ParameterLocation.Path,
        "QUERY" => ParameterLocation.Query,
        _ => ParameterLocation.Header,
    };

    private static SystemValue ParseSystemValue(string value) => value switch
    {
        "$context.sourceIp" => SystemValue.SourceIp,
        "$context.stage" => SystemValue.Stage,
        "$context.apiId" => SystemValue.ApiId,
        "$context.appId" => SystemValue.AppId,
        "$context.requestId" => SystemValue.RequestId,
        "$context.serverAddr" => SystemValue.ServerAddress,
        "$context.serverName" => SystemValue.ServerName,
        "$context.handleTime" => SystemValue.HandleTime,
        "$context.providerAppId" => SystemValue.ProviderAppId,
        _ when AuthorizerContextName(value) is not null => SystemValue.AuthorizerContext,
        _ => SystemValue.Unknown,
    };

    private static byte[][]? SplitEnumerations(string? enumerations)
    {
        if (string.IsNullOrEmpty(enumerations))
        {
            return null;
        }

        var parts = enumerations.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new byte[parts.Length][];
        for (var i = 0; i < parts.Length; i++)
        {
            values[i] = Encoding.UTF8.GetBytes(parts[i]);
        }

        return values;
    }

    /// <summary>Replaces <c>#name#</c> with the environment's value; a missing variable is a configuration error.</summary>
    private static string Substitute(string text, Dictionary<string, string>? variables, ref string? error)
    {
        if (!text.Contains('#', StringComparison.Ordinal))
        {
            return text;
        }

        var missing = (string?)null;
        var result = Gateway.Apig.Common.ApigPatterns.VariableReference().Replace(text, match =>
        {
            if (variables is not null && variables.TryGetValue(match.Groups[1].Value, out var value))
            {
                return value;
            }

            missing ??= match.Groups[1].Value;
            return match.Value;
        });
        if (missing is not null)
        {
            error ??= $"environment variable '{missing}' has no value in this environment";
        }

        return result;
    }

    private static bool TrySplitHostPort(string address, bool https, out string host, out int port)
    {
        host = address;
        port = https ? 443 : 80;
        if (string.IsNullOrEmpty(address))
        {
            return false;
        }

        var colon = address.LastIndexOf(':');
        if (colon > 0 && address.IndexOf(']') < colon)
        {
            if (!int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return false;
            }

            host = address[..colon];
        }

        host = host.Trim('[', ']');
        return host.Length > 0;
    }

    private static BackendPathPart[] ParseBackendPath(string reqUri, BackendParameterRule[] backendParameters, List<string> pathNames)
    {
        var parts = new List<BackendPathPart>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < reqUri.Length)
        {
            if (reqUri[i] == '{')
            {
                var close = reqUri.IndexOf('}', i);
                if (close > i)
                {
                    if (literal.Length > 0)
                    {
                        parts.Add(new BackendPathPart(Encoding.UTF8.GetBytes(literal.ToString()), -1, -1));
                        literal.Clear();
                    }

                    var name = reqUri[(i + 1)..close].TrimEnd('+');
                    var nameBytes = Encoding.UTF8.GetBytes(name);
                    var backendIndex = Array.FindIndex(backendParameters, p => p.Location == ParameterLocation.Path && p.Name.AsSpan().SequenceEqual(nameBytes));
                    parts.Add(new BackendPathPart(null, backendIndex, backendIndex < 0 ? pathNames.IndexOf(name) : -1));
                    i = close + 1;
                    continue;
                }
            }

            literal.Append(reqUri[i]);
            i++;
        }

        if (literal.Length > 0)
        {
            parts.Add(new BackendPathPart(Encoding.UTF8.GetBytes(literal.ToString()), -1, -1));
        }

        return [.. parts];
    }
}
