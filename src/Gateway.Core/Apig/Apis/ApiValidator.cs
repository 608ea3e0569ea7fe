using Gateway.Apig.Common;
using Gateway.Errors;

namespace Gateway.Apig.Apis;

/// <summary>
/// Turns a 3.5.1/3.5.2 body into a validated <see cref="Api"/>: checks every documented field rule and the rules that
/// relate fields to each other, applies the defaults and assigns IDs. Rules that need the store (group existence,
/// uniqueness within the group) are the manager's.
/// </summary>
/// <remarks>
/// Error codes: missing → APIG.2001, too long or above the maximum → APIG.2003, below the minimum → APIG.2004, bad enum
/// value or pattern → APIG.2011, malformed ID → APIG.2012, plus the specific codes 2024–2028, 2036, 3133, 3209, 3210 and 3717.
/// Parameters are named by their JSON path, e.g. <c>backend_api.req_uri</c> or <c>req_params[1].name</c>.
/// </remarks>
internal sealed partial class ApiValidator
{
    /// <summary>The largest backend timeout in ms (the instance feature <c>backend_timeout</c> at its default).</summary>
    public const int MaxBackendTimeoutMs = 60_000;

    /// <summary>The largest timeout of a FunctionGraph backend on network V2 (the ceiling of <c>backend_timeout</c>).</summary>
    public const int MaxFunctionV2TimeoutMs = 600_000;

    /// <summary>The default API_TAG_NUM_LIMIT.</summary>
    public const int MaxTags = 10;

    public const int MaxRemarkLength = 255;
    public const int MaxSampleLength = 20480;

    private static readonly string[] FrontendProtocols = ["HTTP", "HTTPS", "BOTH", "GRPCS"];
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "ANY"];
    private static readonly string[] AuthTypes = ["NONE", "APP", "IAM", "AUTHORIZER"];
    private static readonly string[] AppCodeAuthTypes = ["DISABLE", "HEADER"];
    private static readonly string[] MatchModes = ["SWA", "NORMAL"];
    private static readonly string[] BackendTypes = ["HTTP", "FUNCTION", "MOCK", "GRPC"];
    private static readonly string[] ContentTypes = ["application/json", "application/xml", "multipart/form-data", "text/plain"];
    private static readonly string[] ParameterTypes = ["STRING", "NUMBER"];
    private static readonly string[] Locations = ["PATH", "QUERY", "HEADER"];
    private static readonly int[] YesNo = [1, 2];

    private readonly ApiRequest _request;
    private readonly string _timestamp;
    private readonly Api? _previous;
    private readonly Dictionary<string, ReqParam> _reqParamsByName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _policyNames = new(StringComparer.Ordinal);
    private string _authType = "NONE";
    private bool _grpcFrontend;
    private string _backendType = "HTTP";

    private ApiValidator(ApiRequest request, string timestamp, Api? previous)
    {
        _request = request;
        _timestamp = timestamp;
        _previous = previous;
    }

    /// <summary>
    /// Validates <paramref name="request"/> and builds the API it describes. On update, <paramref name="previous"/> is the
    /// stored API: its ID and registration time are kept, and so are the IDs of the parts that still exist.
    /// </summary>
    public static Api Build(ApiRequest request, string apiId, string timestamp, Api? previous) =>
        new ApiValidator(request, timestamp, previous).Build(apiId);

    private Api Build(string apiId)
    {
        var request = _request;
        var name = Check.Text(request.Name, "name", 3, 255, ApigPatterns.GroupOrApiName());
        var type = Check.OneOf(request.Type, "type", YesNo);
        Check.MaxLength(request.Version, "version", 16);

        var reqProtocol = Check.OptionalOneOf(request.ReqProtocol, "req_protocol", FrontendProtocols) ?? "HTTPS";
        _grpcFrontend = reqProtocol == "GRPCS";
        var reqMethod = Check.OneOf(request.ReqMethod, "req_method", Methods);
        if (_grpcFrontend && reqMethod != "POST")
        {
            throw ApiErrors.Invalid("req_method", "A GRPCS API must use POST");
        }

        var reqUri = Check.Required(request.ReqUri, "req_uri");
        Check.MaxLength(reqUri, "req_uri", ApiPaths.MaxLength);
        var pathParameters = ApiPaths.ParseTemplate(reqUri, allowVariables: false) ?? throw ApigErrors.Invalid("req_uri");

        _authType = Check.OneOf(request.AuthType, "auth_type", AuthTypes);
        var authorizerId = OptionalId(request.AuthorizerId, "authorizer_id");
        if (_authType == "AUTHORIZER")
        {
            if (_grpcFrontend)
            {
                throw ApiErrors.Invalid("auth_type", "Custom authentication is not available for GRPCS APIs");
            }

            Check.Required(authorizerId, "authorizer_id");
        }

        var appCodeAuthType = Check.OptionalOneOf(request.AuthOpt?.AppCodeAuthType, "auth_opt.app_code_auth_type", AppCodeAuthTypes) ?? "DISABLE";
        var matchMode = Check.OptionalOneOf(request.MatchMode, "match_mode", MatchModes) ?? "NORMAL";
        _backendType = Check.OneOf(request.BackendType, "backend_type", BackendTypes);
        if (_backendType == "GRPC" && !_grpcFrontend)
        {
            throw ApiErrors.Invalid("backend_type", "A GRPC backend needs req_protocol GRPCS");
        }

        Check.MaxLength(request.Remark, "remark", MaxRemarkLength);
        var groupId = Check.Required(request.GroupId, "group_id");
        Check.Id(groupId, "group_id");
        Check.MaxLength(request.BodyRemark, "body_remark", MaxSampleLength);
        Check.MaxLength(request.ResultNormalSample, "result_normal_sample", MaxSampleLength);
        Check.MaxLength(request.ResultFailureSample, "result_failure_sample", MaxSampleLength);
        if (_grpcFrontend)
        {
            NotForGrpc(!string.IsNullOrEmpty(request.ResultNormalSample), "result_normal_sample");
            NotForGrpc(!string.IsNullOrEmpty(request.ResultFailureSample), "result_failure_sample");
        }

        var tags = Tags(request.Tags);
        var responseId = OptionalId(request.ResponseId, "response_id");
        var romaAppId = OptionalId(request.RomaAppId, "roma_app_id");
        Check.MaxLength(request.DomainName, "domain_name", 255);
        Check.MaxLength(request.Tag, "tag", 128);
        var contentType = Check.OptionalOneOf(request.ContentType, "content_type", ContentTypes);

        var reqParams = ReqParams(request.ReqParams, pathParameters);
        var backends = Backends();

        return new Api
        {
            Id = apiId,
            Name = name,
            Type = type,
            Version = request.Version,
            ReqProtocol = reqProtocol,
            ReqMethod = reqMethod,
            ReqUri = reqUri,
            AuthType = _authType,
            AuthOpt = new AuthOpt { AppCodeAuthType = appCodeAuthType },
            Cors = request.Cors ?? false,
            MatchMode = matchMode,
            BackendType = _backendType,
            Remark = request.Remark,
            GroupId = groupId,
            BodyRemark = request.BodyRemark,
            ResultNormalSample = request.ResultNormalSample,
            ResultFailureSample = request.ResultFailureSample,
            AuthorizerId = authorizerId,
            Tags = tags,
            ResponseId = responseId,
            RomaAppId = romaAppId,
            DomainName = request.DomainName,
            Tag = request.Tag,
            ContentType = contentType,
            RegisterTime = _previous?.RegisterTime ?? _timestamp,
            UpdateTime = _timestamp,
            ReqParams = reqParams,
            BackendApi = backends.BackendApi,
            FuncInfo = backends.FuncInfo,
            MockInfo = backends.MockInfo,
            BackendParams = backends.BackendParams,
            PolicyHttps = backends.PolicyHttps,
            PolicyFunctions = backends.PolicyFunctions,
            PolicyMocks = backends.PolicyMocks,
        };
    }

    private static void NotForGrpc(bool present, string parameter)
    {
        if (present)
        {
            throw ApiErrors.Invalid(parameter, "Not available for GRPCS APIs");
        }
    }

    private static List<string> Tags(List<string?>? tags)
    {
        if (tags is null)
        {
            return [];
        }

        if (tags.Count > MaxTags)
        {
            throw ApiErrors.TooManyTags(MaxTags);
        }

        var result = new List<string>(tags.Count);
        foreach (var tag in tags)
        {
            result.Add(Check.Text(tag, "tags", 1, 128, ApigPatterns.ApiTag()));
        }

        return result;
    }

    private List<ReqParam> ReqParams(List<ReqParamInput?>? inputs, List<string> pathParameters)
    {
        var result = new List<ReqParam>();
        if (inputs is null || inputs.Count == 0)
        {
            EnsurePathParametersDeclared(pathParameters);
            return result;
        }

        NotForGrpc(_grpcFrontend, "req_params");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < inputs.Count; i++)
        {
            var at = $"req_params[{i}]";
            var input = inputs[i] ?? throw ApigErrors.Missing(at);
            var name = Check.Text(input.Name, $"{at}.name", 1, 32, ApigPatterns.ParameterName());
            var type = Check.OneOf(input.Type, $"{at}.type", ParameterTypes);
            var location = Check.OneOf(input.Location, $"{at}.location", Locations);
            var required = OptionalOneOf(input.Required, $"{at}.required", YesNo) ?? (location == "PATH" ? 1 : 2);
            var validEnable = OptionalOneOf(input.ValidEnable, $"{at}.valid_enable", YesNo) ?? 2;
            var passThrough = OptionalOneOf(input.PassThrough, $"{at}.pass_through", YesNo) ?? 1;
            Check.MaxLength(input.Remark, $"{at}.remark", MaxRemarkLength);
            CheckBounds(input.MinNum, input.MaxNum, type == "NUMBER", at, "min_num", "max_num", "NUMBER", allowNegative: true);
            CheckBounds(input.MinSize, input.MaxSize, type == "STRING", at, "min_size", "max_size", "STRING", allowNegative: false);
            if (!names.Add(name))
            {
                throw ApiErrors.ParameterNameExists($"{at}.name", name);
            }

            if (location == "PATH" && !pathParameters.Contains(name, StringComparer.Ordinal))
            {
                throw ApiErrors.Invalid($"{at}.name", "A PATH parameter must appear in req_uri as {" + name + "}");
            }

            var parameter = new ReqParam
            {
                Id = PreviousReqParamId(name, location) ?? ApigClock.NewId(),
                Name = name,
                Type = type,
                Location = location,
                DefaultValue = input.DefaultValue,
                SampleValue = input.SampleValue,
                Required = required,
                ValidEnable = validEnable,
                Remark = input.Remark,
                Enumerations = input.Enumerations,
                MinNum = input.MinNum,
                MaxNum = input.MaxNum,
                MinSize = input.MinSize,
                MaxSize = input.MaxSize,
                Regular = input.Regular,
                JsonSchema = input.JsonSchema,
                PassThrough = passThrough,
            };
            result.Add(parameter);
            _reqParamsByName[name] = parameter;
        }

        EnsurePathParametersDeclared(pathParameters);
        return result;
    }

    private void EnsurePathParametersDeclared(List<string> pathParameters)
    {
        foreach (var name in pathParameters)
        {
            if (!_reqParamsByName.TryGetValue(name, out var parameter) || parameter.Location != "PATH")
            {
                throw ApigErrors.RequestPathParamsUndefined("req_uri");
            }
        }
    }

    private static void CheckBounds(int? min, int? max, bool applies, string at, string minName, string maxName, string typeName, bool allowNegative)
    {
        if (min is null && max is null)
        {
            return;
        }

        if (!applies)
        {
            throw ApiErrors.Invalid($"{at}.{(min is not null ? minName : maxName)}", $"Only {typeName} parameters have {minName}/{maxName}");
        }

        if (!allowNegative && min < 0)
        {
            throw ApigErrors.OutOfRange($"{at}.{minName}");
        }

        if (!allowNegative && max < 0)
        {
            throw ApigErrors.OutOfRange($"{at}.{maxName}");
        }

        if (min > max)
        {
            throw ApigErrors.OutOfRange($"{at}.{maxName}");
        }
    }

    private string? PreviousReqParamId(string name, string location)
    {
        foreach (var previous in _previous?.ReqParams ?? [])
        {
            if (previous.Name == name && previous.Location == location)
            {
                return previous.Id;
            }
        }

        return null;
    }

    /// <summary>An optional reference to another resource: empty counts as absent, anything else must be a well-formed ID.</summary>
    internal static string? OptionalId(string? value, string parameter)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        Check.Id(value, parameter);
        return value;
    }

    private static int? OptionalOneOf(int? value, string parameter, ReadOnlySpan<int> allowed) =>
        value is null ? null : Check.OneOf(value, parameter, allowed);
}
