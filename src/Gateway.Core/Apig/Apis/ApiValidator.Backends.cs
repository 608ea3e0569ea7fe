using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Gateway.Apig.Common;
using Gateway.Errors;

namespace Gateway.Apig.Apis;

/// <summary>The backend half of an API: the default backend, backend parameters and policy backends with their conditions.</summary>
internal sealed partial class ApiValidator
{
    private const string FrontendAuthorizerPrefix = "$context.authorizer.frontend.";
    private const string BackendAuthorizerPrefix = "$context.authorizer.backend.";

    private static readonly string[] WebProtocols = ["HTTP", "HTTPS", "GRPCS"];
    private static readonly string[] InvocationTypes = ["async", "sync"];
    private static readonly string[] NetworkTypes = ["V1", "V2"];
    private static readonly string[] FunctionProtocols = ["HTTPS", "GRPCS"];
    private static readonly string[] ParameterOrigins = ["REQUEST", "CONSTANT", "SYSTEM"];
    private static readonly string[] EffectModes = ["ALL", "ANY"];
    private static readonly string[] ConditionOrigins = ["param", "source", "system", "cookie", "frontend_authorizer"];
    private static readonly string[] ConditionTypes = ["exact", "enum", "pattern"];
    private static readonly string[] SystemConditionParameters = ["req_path", "req_method", "reqPath", "reqMethod"];

    /// <summary>The gateway built-ins a SYSTEM backend parameter can carry (besides the authorizer outputs).</summary>
    private static readonly string[] SystemParameters =
    [
        "$context.sourceIp", "$context.stage", "$context.apiId", "$context.appId", "$context.requestId",
        "$context.serverAddr", "$context.serverName", "$context.handleTime", "$context.providerAppId",
    ];

    /// <summary>The key of an authorizer output (<c>$context.authorizer.frontend.&lt;key&gt;</c>).</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,32}\z")]
    private static partial Regex AuthorizerOutputKey();

    private readonly record struct ApiBackends(
        BackendApi? BackendApi,
        FuncInfo? FuncInfo,
        MockInfo? MockInfo,
        List<BackendParam> BackendParams,
        List<PolicyHttp> PolicyHttps,
        List<PolicyFunction> PolicyFunctions,
        List<PolicyMock> PolicyMocks);

    private readonly record struct WebTarget(
        string UrlDomain,
        string ReqProtocol,
        string ReqMethod,
        string ReqUri,
        List<string> PathParameters,
        string RetryCount,
        VpcInfo? VpcChannelInfo,
        int VpcChannelStatus);

    private readonly record struct FunctionTarget(string FunctionUrn, string InvocationType, string NetworkType, int? Timeout, string ReqProtocol);

    private ApiBackends Backends()
    {
        var request = _request;
        BackendApi? backendApi = null;
        FuncInfo? funcInfo = null;
        MockInfo? mockInfo = null;
        List<string> backendPathParameters = [];
        string? backendAuthorizerId;
        var isWeb = _backendType is "HTTP" or "GRPC";
        switch (_backendType)
        {
            case "HTTP":
            case "GRPC":
                (backendApi, backendPathParameters) = WebBackend(Check.Required(request.BackendApi, "backend_api"));
                backendAuthorizerId = backendApi.AuthorizerId;
                break;
            case "FUNCTION":
                funcInfo = Function(Check.Required(request.FuncInfo, "func_info"));
                backendAuthorizerId = funcInfo.AuthorizerId;
                break;
            default:
                mockInfo = Mock(Check.Required(request.MockInfo, "mock_info"));
                backendAuthorizerId = mockInfo.AuthorizerId;
                break;
        }

        var backendParams = BackendParams(request.BackendParams, "backend_params", "backend_api.req_uri", backendPathParameters, backendAuthorizerId, _previous?.BackendParams);
        var policyHttps = Policies(request.PolicyHttps, "policy_https", isWeb, _previous?.PolicyHttps, (input, at, previous) =>
        {
            var target = CheckWebTarget(at, input.UrlDomain, input.ReqProtocol, input.ReqMethod, input.ReqUri, input.RetryCount, input.VpcChannelInfo, input.VpcChannelStatus);
            var timeout = input.Timeout is null ? (int?)null : Check.Range(input.Timeout, $"{at}.timeout", 1, MaxBackendTimeoutMs);
            var (id, name, effectMode, conditions, authorizerId) = PolicyBasics(input, at, previous);
            return new PolicyHttp
            {
                Id = id,
                Name = name,
                EffectMode = effectMode,
                Conditions = conditions,
                AuthorizerId = authorizerId,
                BackendParams = BackendParams(input.BackendParams, $"{at}.backend_params", $"{at}.req_uri", target.PathParameters, authorizerId ?? backendAuthorizerId, previous?.BackendParams),
                UrlDomain = target.UrlDomain,
                ReqProtocol = target.ReqProtocol,
                ReqMethod = target.ReqMethod,
                ReqUri = target.ReqUri,
                Timeout = timeout,
                RetryCount = target.RetryCount,
                VpcChannelInfo = target.VpcChannelInfo,
                VpcChannelStatus = target.VpcChannelStatus,
            };
        });
        var policyFunctions = Policies(request.PolicyFunctions, "policy_functions", _backendType == "FUNCTION", _previous?.PolicyFunctions, (input, at, previous) =>
        {
            var target = CheckFunctionTarget(at, input.FunctionUrn, input.InvocationType, input.NetworkType, input.Version, input.AliasUrn, input.Timeout, timeoutRequired: false, input.ReqProtocol);
            var (id, name, effectMode, conditions, authorizerId) = PolicyBasics(input, at, previous);
            return new PolicyFunction
            {
                Id = id,
                Name = name,
                EffectMode = effectMode,
                Conditions = conditions,
                AuthorizerId = authorizerId,
                BackendParams = BackendParams(input.BackendParams, $"{at}.backend_params", $"{at}.req_uri", [], authorizerId ?? backendAuthorizerId, previous?.BackendParams),
                FunctionUrn = target.FunctionUrn,
                InvocationType = target.InvocationType,
                NetworkType = target.NetworkType,
                Version = input.Version,
                AliasUrn = input.AliasUrn,
                Timeout = target.Timeout,
                ReqProtocol = target.ReqProtocol,
            };
        });
        var policyMocks = Policies(request.PolicyMocks, "policy_mocks", _backendType == "MOCK", _previous?.PolicyMocks, (input, at, previous) =>
        {
            var (id, name, effectMode, conditions, authorizerId) = PolicyBasics(input, at, previous);
            return new PolicyMock
            {
                Id = id,
                Name = name,
                EffectMode = effectMode,
                Conditions = conditions,
                AuthorizerId = authorizerId,
                BackendParams = BackendParams(input.BackendParams, $"{at}.backend_params", $"{at}.req_uri", [], authorizerId ?? backendAuthorizerId, previous?.BackendParams),
                ResultContent = input.ResultContent,
            };
        });

        return new ApiBackends(backendApi, funcInfo, mockInfo, backendParams, policyHttps, policyFunctions, policyMocks);
    }

    private (BackendApi Backend, List<string> PathParameters) WebBackend(BackendApiInput input)
    {
        const string at = "backend_api";
        var target = CheckWebTarget(at, input.UrlDomain, input.ReqProtocol, input.ReqMethod, input.ReqUri, input.RetryCount, input.VpcChannelInfo, input.VpcChannelStatus);
        Check.MaxLength(input.Remark, $"{at}.remark", MaxRemarkLength);
        Check.MaxLength(input.Version, $"{at}.version", 16);
        var timeout = Check.Range(input.Timeout, $"{at}.timeout", 1, MaxBackendTimeoutMs);
        var authorizerId = BackendAuthorizer(input.AuthorizerId, at);
        var enableClientSsl = input.EnableClientSsl ?? false;
        if (enableClientSsl && (target.ReqProtocol == "HTTP" || _backendType == "GRPC"))
        {
            throw ApiErrors.ClientSslNotSupported($"{at}.enable_client_ssl");
        }

        var previous = _previous?.BackendApi;
        var backend = new BackendApi
        {
            AuthorizerId = authorizerId,
            UrlDomain = target.UrlDomain,
            ReqProtocol = target.ReqProtocol,
            Remark = input.Remark,
            ReqMethod = target.ReqMethod,
            Version = input.Version,
            ReqUri = target.ReqUri,
            Timeout = timeout,
            EnableClientSsl = enableClientSsl,
            RetryCount = target.RetryCount,
            VpcChannelInfo = target.VpcChannelInfo,
            VpcChannelStatus = target.VpcChannelStatus,
            Id = previous?.Id ?? ApigClock.NewId(),
            RegisterTime = previous?.RegisterTime ?? _timestamp,
            UpdateTime = _timestamp,
        };
        return (backend, target.PathParameters);
    }

    /// <summary>The target part shared by <c>backend_api</c> and <c>policy_https</c> items.</summary>
    private WebTarget CheckWebTarget(string at, string? urlDomain, string? reqProtocol, string? reqMethod, string? reqUri, string? retryCount, VpcChannelInput? vpcChannel, int? vpcChannelStatus)
    {
        var isGrpc = _backendType == "GRPC";
        var protocol = Check.OneOf(reqProtocol, $"{at}.req_protocol", WebProtocols);
        if (protocol == "GRPCS" && !isGrpc)
        {
            throw ApiErrors.Invalid($"{at}.req_protocol", "GRPCS is only available for GRPC backends");
        }

        var method = Check.OneOf(reqMethod, $"{at}.req_method", Methods);
        if (isGrpc && method != "POST")
        {
            throw ApiErrors.Invalid($"{at}.req_method", "GRPC backends use POST");
        }

        var uri = Check.Required(reqUri, $"{at}.req_uri");
        Check.MaxLength(uri, $"{at}.req_uri", ApiPaths.MaxLength);
        if (isGrpc && uri != "/")
        {
            throw ApiErrors.Invalid($"{at}.req_uri", "GRPC backends use the path /");
        }

        var pathParameters = ApiPaths.ParseTemplate(uri, allowVariables: true) ?? throw ApigErrors.Invalid($"{at}.req_uri");
        var status = OptionalOneOf(vpcChannelStatus, $"{at}.vpc_channel_status", YesNo) ?? 2;
        VpcInfo? channel = null;
        string domain;
        if (status == 1)
        {
            // VPC channels are not modelled yet: any well-formed ID is accepted and kept for the data plane to resolve.
            var channelInput = Check.Required(vpcChannel, $"{at}.vpc_channel_info");
            var channelId = Check.Required(OptionalId(channelInput.VpcChannelId, $"{at}.vpc_channel_info.vpc_channel_id"), $"{at}.vpc_channel_info.vpc_channel_id");
            Check.MaxLength(channelInput.VpcChannelProxyHost, $"{at}.vpc_channel_info.vpc_channel_proxy_host", 255);
            channel = new VpcInfo { VpcChannelId = channelId, VpcChannelProxyHost = channelInput.VpcChannelProxyHost };

            // The document shows the channel ID as the url_domain of channel backends.
            domain = channelId;
        }
        else
        {
            domain = Check.Required(urlDomain, $"{at}.url_domain");
            Check.MaxLength(domain, $"{at}.url_domain", 255);
            ApiPaths.CheckUrlDomain(domain, $"{at}.url_domain");
        }

        return new WebTarget(domain, protocol, method, uri, pathParameters, RetryCount(retryCount, $"{at}.retry_count"), channel, status);
    }

    /// <summary>retry_count is a string holding -1..10; the stored form is the canonical number.</summary>
    private static string RetryCount(string? value, string parameter)
    {
        if (value is null)
        {
            return "-1";
        }

        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
        {
            throw ApigErrors.Invalid(parameter);
        }

        return Check.Range(count, parameter, -1, 10).ToString(CultureInfo.InvariantCulture);
    }

    private FuncInfo Function(FuncInfoInput input)
    {
        const string at = "func_info";
        var target = CheckFunctionTarget(at, input.FunctionUrn, input.InvocationType, input.NetworkType, input.Version, input.AliasUrn, input.Timeout, timeoutRequired: true, input.ReqProtocol);
        Check.MaxLength(input.Remark, $"{at}.remark", MaxRemarkLength);
        var previous = _previous?.FuncInfo;
        return new FuncInfo
        {
            FunctionUrn = target.FunctionUrn,
            Remark = input.Remark,
            InvocationType = target.InvocationType,
            NetworkType = target.NetworkType,
            Version = input.Version,
            AliasUrn = input.AliasUrn,
            Timeout = target.Timeout!.Value,
            AuthorizerId = BackendAuthorizer(input.AuthorizerId, at),
            ReqProtocol = target.ReqProtocol,
            Id = previous?.Id ?? ApigClock.NewId(),
            RegisterTime = previous?.RegisterTime ?? _timestamp,
            UpdateTime = _timestamp,
        };
    }

    /// <summary>The target part shared by <c>func_info</c> and <c>policy_functions</c> items.</summary>
    private FunctionTarget CheckFunctionTarget(
        string at, string? functionUrn, string? invocationType, string? networkType, string? version, string? aliasUrn, int? timeout, bool timeoutRequired, string? reqProtocol)
    {
        var urn = Check.Required(functionUrn, $"{at}.function_urn");
        Check.MaxLength(urn, $"{at}.function_urn", 255);
        if (!urn.StartsWith("urn:", StringComparison.Ordinal))
        {
            throw ApigErrors.Invalid($"{at}.function_urn");
        }

        var invocation = Check.OneOf(invocationType, $"{at}.invocation_type", InvocationTypes);
        var network = Check.OneOf(networkType, $"{at}.network_type", NetworkTypes);
        Check.MaxLength(version, $"{at}.version", 64);
        Check.MaxLength(aliasUrn, $"{at}.alias_urn", 255);
        if (!string.IsNullOrEmpty(aliasUrn) && !aliasUrn.StartsWith("urn:", StringComparison.Ordinal))
        {
            throw ApigErrors.Invalid($"{at}.alias_urn");
        }

        var maxTimeout = network == "V1" ? MaxBackendTimeoutMs : MaxFunctionV2TimeoutMs;
        int? checkedTimeout = timeout is null && !timeoutRequired ? null : Check.Range(timeout, $"{at}.timeout", 1, maxTimeout);
        var protocol = Check.OptionalOneOf(reqProtocol, $"{at}.req_protocol", FunctionProtocols) ?? "HTTPS";
        if (protocol == "GRPCS" && !_grpcFrontend)
        {
            throw ApiErrors.Invalid($"{at}.req_protocol", "GRPCS functions need req_protocol GRPCS on the API");
        }

        return new FunctionTarget(urn, invocation, network, checkedTimeout, protocol);
    }

    private MockInfo Mock(MockInfoInput input)
    {
        const string at = "mock_info";
        Check.MaxLength(input.Remark, $"{at}.remark", MaxRemarkLength);
        Check.MaxLength(input.Version, $"{at}.version", 64);
        var previous = _previous?.MockInfo;
        return new MockInfo
        {
            Remark = input.Remark,
            ResultContent = input.ResultContent,
            Version = input.Version,
            AuthorizerId = BackendAuthorizer(input.AuthorizerId, at),
            Id = previous?.Id ?? ApigClock.NewId(),
            RegisterTime = previous?.RegisterTime ?? _timestamp,
            UpdateTime = _timestamp,
        };
    }

    private string? BackendAuthorizer(string? authorizerId, string at)
    {
        // Authorizers are not modelled yet: any well-formed ID is accepted.
        var id = OptionalId(authorizerId, $"{at}.authorizer_id");
        if (id is not null && _backendType == "GRPC")
        {
            throw ApiErrors.Invalid($"{at}.authorizer_id", "GRPC backends have no backend authorizer");
        }

        return id;
    }

    /// <summary>
    /// Validates the backend parameters of one backend. <paramref name="pathParameters"/> are the <c>{name}</c>s of that
    /// backend's path (named <paramref name="uriParameter"/> in errors): each needs a PATH parameter and vice versa.
    /// </summary>
    private List<BackendParam> BackendParams(
        List<BackendParamInput?>? inputs, string at, string uriParameter, List<string> pathParameters, string? backendAuthorizerId, List<BackendParam>? previous)
    {
        var result = new List<BackendParam>();
        if (inputs is { Count: > 0 })
        {
            NotForGrpc(_grpcFrontend, at);
            var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < inputs.Count; i++)
            {
                var itemAt = $"{at}[{i}]";
                var input = inputs[i] ?? throw ApigErrors.Missing(itemAt);
                var origin = Check.OneOf(input.Origin, $"{itemAt}.origin", ParameterOrigins);
                var name = Check.Text(input.Name, $"{itemAt}.name", 1, 32, ApigPatterns.ParameterName());
                var location = Check.OneOf(input.Location, $"{itemAt}.location", Locations);
                var value = Check.Required(input.Value, $"{itemAt}.value");
                Check.MaxLength(value, $"{itemAt}.value", 255);
                Check.MaxLength(input.Remark, $"{itemAt}.remark", MaxRemarkLength);
                if (!keys.Add(location + ":" + name))
                {
                    throw ApiErrors.ParameterNameExists($"{itemAt}.name", name);
                }

                string? reqParamId = null;
                if (origin == "REQUEST")
                {
                    reqParamId = _reqParamsByName.TryGetValue(value, out var source)
                        ? source.Id
                        : throw ApigErrors.MappedParamUndefined($"{itemAt}.value");
                }
                else if (origin == "SYSTEM")
                {
                    CheckSystemParameter(value, $"{itemAt}.value", backendAuthorizerId);
                }

                if (location == "PATH" && !pathParameters.Contains(name, StringComparer.Ordinal))
                {
                    throw ApiErrors.Invalid($"{itemAt}.name", "A PATH backend parameter must appear in the backend req_uri as {" + name + "}");
                }

                result.Add(new BackendParam
                {
                    Id = PreviousId(previous, name, location) ?? ApigClock.NewId(),
                    Origin = origin,
                    Name = name,
                    Remark = input.Remark,
                    Location = location,
                    Value = value,
                    ReqParamId = reqParamId,
                });
            }
        }

        foreach (var name in pathParameters)
        {
            if (!result.Exists(parameter => parameter.Location == "PATH" && parameter.Name == name))
            {
                throw ApigErrors.BackendPathParamsUndefined(uriParameter);
            }
        }

        return result;
    }

    private static string? PreviousId(List<BackendParam>? previous, string name, string location)
    {
        foreach (var parameter in previous ?? [])
        {
            if (parameter.Name == name && parameter.Location == location)
            {
                return parameter.Id;
            }
        }

        return null;
    }

    private void CheckSystemParameter(string value, string parameter, string? backendAuthorizerId)
    {
        if (Array.IndexOf(SystemParameters, value) >= 0)
        {
            return;
        }

        if (value.StartsWith(FrontendAuthorizerPrefix, StringComparison.Ordinal))
        {
            CheckAuthorizerKey(value, FrontendAuthorizerPrefix, parameter);
            if (_authType != "AUTHORIZER")
            {
                throw ApiErrors.AuthorizerParameterNotAllowed(parameter);
            }

            return;
        }

        if (value.StartsWith(BackendAuthorizerPrefix, StringComparison.Ordinal))
        {
            CheckAuthorizerKey(value, BackendAuthorizerPrefix, parameter);
            if (backendAuthorizerId is null)
            {
                throw ApiErrors.AuthorizerParameterNotAllowed(parameter);
            }

            return;
        }

        throw ApigErrors.Invalid(parameter);
    }

    private static void CheckAuthorizerKey(string value, string prefix, string parameter)
    {
        if (!AuthorizerOutputKey().IsMatch(value.AsSpan(prefix.Length)))
        {
            throw ApigErrors.Invalid(parameter);
        }
    }

    private List<T> Policies<TInput, T>(List<TInput?>? inputs, string family, bool applies, List<T>? previous, Func<TInput, string, T?, T> build)
        where TInput : PolicyBackendInput
        where T : PolicyBackend
    {
        var result = new List<T>();
        if (inputs is null || inputs.Count == 0)
        {
            return result;
        }

        if (!applies)
        {
            throw ApiErrors.Invalid(family, $"Policy backends must be of the API's backend_type ({_backendType})");
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            var at = $"{family}[{i}]";
            var input = inputs[i] ?? throw ApigErrors.Missing(at);
            var previousPolicy = previous?.Find(policy => policy.Name == input.Name);
            result.Add(build(input, at, previousPolicy));
        }

        return result;
    }

    private (string Id, string Name, string EffectMode, List<PolicyCondition> Conditions, string? AuthorizerId) PolicyBasics(
        PolicyBackendInput input, string at, PolicyBackend? previous)
    {
        var name = Check.Text(input.Name, $"{at}.name", 3, 64, ApigPatterns.PolicyName());
        if (!_policyNames.Add(name))
        {
            throw ApiErrors.PolicyNameExists($"{at}.name", name);
        }

        var effectMode = Check.OneOf(input.EffectMode, $"{at}.effect_mode", EffectModes);
        if (input.Conditions is not { Count: > 0 } conditionInputs)
        {
            throw ApigErrors.Missing($"{at}.conditions");
        }

        var conditions = new List<PolicyCondition>(conditionInputs.Count);
        for (var i = 0; i < conditionInputs.Count; i++)
        {
            conditions.Add(Condition(conditionInputs[i], $"{at}.conditions[{i}]"));
        }

        return (previous?.Id ?? ApigClock.NewId(), name, effectMode, conditions, BackendAuthorizer(input.AuthorizerId, at));
    }

    private PolicyCondition Condition(ConditionInput? input, string at)
    {
        if (input is null)
        {
            throw ApigErrors.Missing(at);
        }

        var origin = Check.OneOf(input.ConditionOrigin, $"{at}.condition_origin", ConditionOrigins);
        var type = origin == "source"
            ? Check.OptionalOneOf(input.ConditionType, $"{at}.condition_type", ConditionTypes)
            : Check.OneOf(input.ConditionType, $"{at}.condition_type", ConditionTypes);
        var value = Check.Required(input.ConditionValue, $"{at}.condition_value");
        if (type == "pattern")
        {
            CheckPattern(value, $"{at}.condition_value");
        }

        var condition = new PolicyCondition { Id = ApigClock.NewId(), ConditionOrigin = origin, ConditionType = type, ConditionValue = value };
        switch (origin)
        {
            case "param":
                var parameterName = Check.Required(input.ReqParamName, $"{at}.req_param_name");
                if (!_reqParamsByName.TryGetValue(parameterName, out var parameter))
                {
                    throw ApiErrors.Invalid($"{at}.req_param_name", $"The API has no request parameter named {parameterName}");
                }

                return condition with { ReqParamName = parameterName, ReqParamId = parameter.Id, ReqParamLocation = parameter.Location };
            case "system":
                return condition with { SysParamName = Check.OneOf(input.SysParamName, $"{at}.sys_param_name", SystemConditionParameters) };
            case "cookie":
                var cookieName = Check.Required(input.CookieParamName, $"{at}.cookie_param_name");
                Check.MaxLength(cookieName, $"{at}.cookie_param_name", 255);
                return condition with { CookieParamName = cookieName };
            case "frontend_authorizer":
                var outputName = Check.Required(input.FrontendAuthorizerParamName, $"{at}.frontend_authorizer_param_name");
                if (!outputName.StartsWith(FrontendAuthorizerPrefix, StringComparison.Ordinal))
                {
                    throw ApigErrors.Invalid($"{at}.frontend_authorizer_param_name");
                }

                CheckAuthorizerKey(outputName, FrontendAuthorizerPrefix, $"{at}.frontend_authorizer_param_name");
                if (_authType != "AUTHORIZER")
                {
                    throw ApiErrors.AuthorizerParameterNotAllowed($"{at}.frontend_authorizer_param_name");
                }

                return condition with { FrontendAuthorizerParamName = outputName };
            default:
                if (type != "pattern")
                {
                    CheckSourceAddresses(value, $"{at}.condition_value");
                }

                return condition;
        }
    }

    private static void CheckPattern(string pattern, string parameter)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            throw ApiErrors.Invalid(parameter, "Not a valid regular expression");
        }
    }

    /// <summary>A <c>source</c> condition holds IP addresses or CIDR blocks, comma-separated.</summary>
    private static void CheckSourceAddresses(string value, string parameter)
    {
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries))
        {
            // Requiring a '.' or ':' keeps shorthand forms such as "1" (= 0.0.0.1) out.
            var wellFormed = item.AsSpan().IndexOfAny('.', ':') >= 0 &&
                (IPAddress.TryParse(item, out _) || IPNetwork.TryParse(item, out _));
            if (!wellFormed)
            {
                throw ApiErrors.Invalid(parameter, "Source conditions hold IP addresses or CIDR blocks");
            }
        }
    }
}
