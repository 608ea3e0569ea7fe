using Gateway.Apig.Apis;
using Gateway.Errors;

namespace Gateway.Core.Tests.Apis;

public sealed class ApiValidatorTests
{
    private const string Now = "2025-03-01T08:30:00.0000000Z";

    private static Api Build(string json) => ApiValidator.Build(ApiJson.Request(json), "api-1", Now, previous: null);

    private static ApiErrorException Reject(string json) => Assert.Throws<ApiErrorException>(() => Build(json));

    [Fact]
    public void Web_api_gets_ids_defaults_and_links()
    {
        var api = Build(ApiJson.Http);

        Assert.Equal("api-1", api.Id);
        Assert.Equal("HTTPS", api.ReqProtocol);
        Assert.Equal("NORMAL", api.MatchMode);
        Assert.Equal("DISABLE", api.AuthOpt.AppCodeAuthType);
        Assert.False(api.Cors);
        Assert.Equal(1, api.Status);
        Assert.Equal(2, api.ArrangeNecessary);
        Assert.Equal(Now, api.RegisterTime);
        Assert.Equal(Now, api.UpdateTime);

        var parameters = api.ReqParams!;
        Assert.Equal([1, 2, 2], parameters.Select(p => p.Required));
        Assert.All(parameters, p => Assert.Equal(2, p.ValidEnable));
        Assert.All(parameters, p => Assert.Equal(1, p.PassThrough));
        Assert.Equal(3, parameters.Select(p => p.Id).Distinct().Count());

        var backend = api.BackendApi!;
        Assert.Equal("-1", backend.RetryCount);
        Assert.Equal(2, backend.VpcChannelStatus);
        Assert.Equal(1, backend.Status);
        Assert.False(string.IsNullOrEmpty(backend.Id));
        Assert.Equal(Now, backend.RegisterTime);

        var mappings = api.BackendParams!;
        Assert.Equal(parameters[0].Id, mappings[0].ReqParamId);
        Assert.Equal(parameters[2].Id, mappings[1].ReqParamId);
        Assert.Null(mappings[2].ReqParamId);
        Assert.Null(mappings[3].ReqParamId);

        var policy = Assert.Single(api.PolicyHttps!);
        Assert.False(string.IsNullOrEmpty(policy.Id));
        var condition = policy.Conditions[0];
        Assert.Equal(parameters[1].Id, condition.ReqParamId);
        Assert.Equal("QUERY", condition.ReqParamLocation);
        Assert.False(string.IsNullOrEmpty(condition.Id));
        Assert.Null(api.FuncInfo);
        Assert.Null(api.MockInfo);
        Assert.Empty(api.PolicyMocks!);
    }

    [Fact]
    public void Mock_function_and_grpc_apis_are_accepted()
    {
        var mock = Build(ApiJson.Mock);
        Assert.Equal("mock success", mock.MockInfo!.ResultContent);
        Assert.Equal("SWA", mock.MatchMode);
        Assert.Single(mock.PolicyMocks!);
        Assert.Null(mock.BackendApi);

        var function = Build(ApiJson.Function);
        Assert.Equal("HTTPS", function.FuncInfo!.ReqProtocol);
        Assert.Equal(300000, function.FuncInfo.Timeout);
        Assert.Equal("HEADER", function.AuthOpt.AppCodeAuthType);
        Assert.Null(Assert.Single(function.PolicyFunctions!).Timeout);

        var grpc = Build(ApiJson.Grpc);
        Assert.Equal("56a7d7358e1b42459c9d730d65b14e59", grpc.BackendApi!.VpcChannelInfo!.VpcChannelId);
        Assert.Equal("56a7d7358e1b42459c9d730d65b14e59", grpc.BackendApi.UrlDomain);
        Assert.Equal(1, grpc.BackendApi.VpcChannelStatus);
    }

    [Fact]
    public void Backends_not_matching_backend_type_are_dropped()
    {
        var api = Build(ApiJson.With(ApiJson.Mock, """{"func_info": {"function_urn": "urn:x"}, "backend_api": {"timeout": 1}}"""));

        Assert.Null(api.FuncInfo);
        Assert.Null(api.BackendApi);
    }

    [Fact]
    public void Update_keeps_ids_of_parts_that_still_exist()
    {
        var first = Build(ApiJson.Http);
        var second = ApiValidator.Build(ApiJson.Request(ApiJson.Http), "api-1", "2025-03-02T00:00:00.0000000Z", first);

        Assert.Equal(first.RegisterTime, second.RegisterTime);
        Assert.Equal("2025-03-02T00:00:00.0000000Z", second.UpdateTime);
        Assert.Equal(first.BackendApi!.Id, second.BackendApi!.Id);
        Assert.Equal(first.ReqParams!.Select(p => p.Id), second.ReqParams!.Select(p => p.Id));
        Assert.Equal(first.PolicyHttps![0].Id, second.PolicyHttps![0].Id);
    }

    [Theory]
    [InlineData("""{"name": null}""", "name")]
    [InlineData("""{"type": null}""", "type")]
    [InlineData("""{"req_method": null}""", "req_method")]
    [InlineData("""{"req_uri": null}""", "req_uri")]
    [InlineData("""{"auth_type": null}""", "auth_type")]
    [InlineData("""{"backend_type": null}""", "backend_type")]
    [InlineData("""{"group_id": null}""", "group_id")]
    [InlineData("""{"auth_type": "AUTHORIZER"}""", "authorizer_id")]
    [InlineData("""{"backend_api": null}""", "backend_api")]
    [InlineData("""{"backend_type": "MOCK"}""", "mock_info")]
    [InlineData("""{"backend_type": "FUNCTION"}""", "func_info")]
    [InlineData("""{"backend_api": {"req_uri": null}}""", "backend_api.req_uri")]
    [InlineData("""{"backend_api": {"req_method": null}}""", "backend_api.req_method")]
    [InlineData("""{"backend_api": {"req_protocol": null}}""", "backend_api.req_protocol")]
    [InlineData("""{"backend_api": {"timeout": null}}""", "backend_api.timeout")]
    [InlineData("""{"backend_api": {"url_domain": null}}""", "backend_api.url_domain")]
    [InlineData("""{"backend_api": {"vpc_channel_status": 1}}""", "backend_api.vpc_channel_info")]
    [InlineData("""{"backend_api": {"vpc_channel_status": 1, "vpc_channel_info": {}}}""", "backend_api.vpc_channel_info.vpc_channel_id")]
    [InlineData("""{"req_params": [{"type": "STRING", "location": "QUERY"}], "req_uri": "/x", "backend_params": null}""", "req_params[0].name")]
    [InlineData("""{"backend_params": [{"name": "a", "location": "QUERY", "origin": "CONSTANT"}]}""", "backend_params[0].value")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x"}]}""", "policy_https[0].conditions")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "param", "condition_value": "1", "req_param_name": "query_demo"}]}]}""", "policy_https[0].conditions[0].condition_type")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "param", "condition_type": "exact", "condition_value": "1"}]}]}""", "policy_https[0].conditions[0].req_param_name")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "cookie", "condition_type": "exact", "condition_value": "1"}]}]}""", "policy_https[0].conditions[0].cookie_param_name")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "source"}]}]}""", "policy_https[0].conditions[0].condition_value")]
    public void Missing_mandatory_fields_are_APIG_2001(string patch, string parameter) =>
        AssertError(Reject(ApiJson.With(ApiJson.Http, patch)), "APIG.2001", parameter);

    [Theory]
    [InlineData("""{"name": "@a256"}""", "name")]
    [InlineData("""{"version": "@v17"}""", "version")]
    [InlineData("""{"remark": "@r256"}""", "remark")]
    [InlineData("""{"req_uri": "/@a512"}""", "req_uri")]
    [InlineData("""{"body_remark": "@b20481"}""", "body_remark")]
    [InlineData("""{"result_normal_sample": "@b20481"}""", "result_normal_sample")]
    [InlineData("""{"result_failure_sample": "@b20481"}""", "result_failure_sample")]
    [InlineData("""{"backend_api": {"url_domain": "@h256"}}""", "backend_api.url_domain")]
    [InlineData("""{"backend_api": {"req_uri": "/@a512"}}""", "backend_api.req_uri")]
    [InlineData("""{"backend_api": {"timeout": 60001}}""", "backend_api.timeout")]
    [InlineData("""{"backend_api": {"retry_count": "11"}}""", "backend_api.retry_count")]
    [InlineData("""{"backend_api": {"version": "@v17"}}""", "backend_api.version")]
    [InlineData("""{"backend_params": [{"name": "a", "location": "QUERY", "origin": "CONSTANT", "value": "@v256"}]}""", "backend_params[0].value")]
    [InlineData("""{"tags": ["t@a128"]}""", "tags")]
    public void Values_above_the_maximum_are_APIG_2003(string patch, string parameter) =>
        AssertError(Reject(ApiJson.With(ApiJson.Http, patch)), "APIG.2003", parameter);

    [Theory]
    [InlineData("""{"backend_api": {"timeout": 0}}""", "backend_api.timeout")]
    [InlineData("""{"backend_api": {"retry_count": "-2"}}""", "backend_api.retry_count")]
    [InlineData("""{"req_params": [{"name": "q", "type": "STRING", "location": "QUERY", "min_size": -1}], "req_uri": "/x", "backend_params": null}""", "req_params[0].min_size")]
    [InlineData("""{"req_params": [{"name": "q", "type": "STRING", "location": "QUERY", "min_size": 5, "max_size": 4}], "req_uri": "/x", "backend_params": null}""", "req_params[0].max_size")]
    [InlineData("""{"req_params": [{"name": "q", "type": "NUMBER", "location": "QUERY", "min_num": 5, "max_num": 4}], "req_uri": "/x", "backend_params": null}""", "req_params[0].max_num")]
    public void Values_below_the_minimum_are_APIG_2004(string patch, string parameter) =>
        AssertError(Reject(ApiJson.With(ApiJson.Http, patch)), "APIG.2004", parameter);

    [Theory]
    [InlineData("""{"name": "_leading_underscore"}""", "name")]
    [InlineData("""{"name": "ab"}""", "name")]
    [InlineData("""{"name": "has space"}""", "name")]
    [InlineData("""{"type": 3}""", "type")]
    [InlineData("""{"req_protocol": "FTP"}""", "req_protocol")]
    [InlineData("""{"req_method": "FETCH"}""", "req_method")]
    [InlineData("""{"req_method": "get"}""", "req_method")]
    [InlineData("""{"req_protocol": "GRPCS"}""", "req_method")]
    [InlineData("""{"req_uri": "users/{userId}"}""", "req_uri")]
    [InlineData("""{"req_uri": "/users//{userId}"}""", "req_uri")]
    [InlineData("""{"req_uri": "/users/{userId}/a b"}""", "req_uri")]
    [InlineData("""{"req_uri": "/users/x{userId}"}""", "req_uri")]
    [InlineData("""{"req_uri": "/users/{userId+}/tail"}""", "req_uri")]
    [InlineData("""{"req_uri": "/users/{userId}/%zz"}""", "req_uri")]
    [InlineData("""{"auth_type": "TOKEN"}""", "auth_type")]
    [InlineData("""{"auth_opt": {"app_code_auth_type": "QUERY"}}""", "auth_opt.app_code_auth_type")]
    [InlineData("""{"match_mode": "PREFIX"}""", "match_mode")]
    [InlineData("""{"backend_type": "SOAP"}""", "backend_type")]
    [InlineData("""{"backend_type": "GRPC"}""", "backend_type")]
    [InlineData("""{"content_type": "text/html"}""", "content_type")]
    [InlineData("""{"tags": ["1starts-with-digit"]}""", "tags")]
    [InlineData("""{"tags": ["bad tag"]}""", "tags")]
    [InlineData("""{"req_params": [{"name": "1q", "type": "STRING", "location": "QUERY"}], "req_uri": "/x", "backend_params": null}""", "req_params[0].name")]
    [InlineData("""{"req_params": [{"name": "q", "type": "BOOL", "location": "QUERY"}], "req_uri": "/x", "backend_params": null}""", "req_params[0].type")]
    [InlineData("""{"req_params": [{"name": "q", "type": "STRING", "location": "BODY"}], "req_uri": "/x", "backend_params": null}""", "req_params[0].location")]
    [InlineData("""{"req_params": [{"name": "q", "type": "STRING", "location": "QUERY", "required": 3}], "req_uri": "/x", "backend_params": null}""", "req_params[0].required")]
    [InlineData("""{"req_params": [{"name": "q", "type": "STRING", "location": "QUERY", "valid_enable": 0}], "req_uri": "/x", "backend_params": null}""", "req_params[0].valid_enable")]
    [InlineData("""{"req_params": [{"name": "q", "type": "STRING", "location": "QUERY", "pass_through": 5}], "req_uri": "/x", "backend_params": null}""", "req_params[0].pass_through")]
    [InlineData("""{"req_params": [{"name": "q", "type": "STRING", "location": "QUERY", "min_num": 1}], "req_uri": "/x", "backend_params": null}""", "req_params[0].min_num")]
    [InlineData("""{"req_params": [{"name": "q", "type": "NUMBER", "location": "QUERY", "max_size": 1}], "req_uri": "/x", "backend_params": null}""", "req_params[0].max_size")]
    [InlineData("""{"req_params": [{"name": "q", "type": "STRING", "location": "PATH"}], "req_uri": "/x", "backend_params": null}""", "req_params[0].name")]
    [InlineData("""{"backend_api": {"req_protocol": "FTP"}}""", "backend_api.req_protocol")]
    [InlineData("""{"backend_api": {"req_protocol": "GRPCS"}}""", "backend_api.req_protocol")]
    [InlineData("""{"backend_api": {"req_method": "FETCH"}}""", "backend_api.req_method")]
    [InlineData("""{"backend_api": {"req_uri": "backend"}}""", "backend_api.req_uri")]
    [InlineData("""{"backend_api": {"req_uri": "/#ab#/x"}}""", "backend_api.req_uri")]
    [InlineData("""{"backend_api": {"retry_count": "two"}}""", "backend_api.retry_count")]
    [InlineData("""{"backend_api": {"vpc_channel_status": 3}}""", "backend_api.vpc_channel_status")]
    [InlineData("""{"backend_params": [{"name": "a", "location": "QUERY", "origin": "MAGIC", "value": "x"}]}""", "backend_params[0].origin")]
    [InlineData("""{"backend_params": [{"name": "a", "location": "BODY", "origin": "CONSTANT", "value": "x"}]}""", "backend_params[0].location")]
    [InlineData("""{"backend_params": [{"name": "-a", "location": "QUERY", "origin": "CONSTANT", "value": "x"}]}""", "backend_params[0].name")]
    [InlineData("""{"backend_params": [{"name": "a", "location": "QUERY", "origin": "SYSTEM", "value": "$context.sourcelp"}]}""", "backend_params[0].value")]
    [InlineData("""{"backend_params": [{"name": "a", "location": "PATH", "origin": "CONSTANT", "value": "x"}, {"name": "id", "value": "userId", "location": "PATH", "origin": "REQUEST"}]}""", "backend_params[0].name")]
    [InlineData("""{"policy_https": [{"name": "p", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "source", "condition_value": "1.1.1.1"}]}]}""", "policy_https[0].name")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "SOME", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "source", "condition_value": "1.1.1.1"}]}]}""", "policy_https[0].effect_mode")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "header", "condition_value": "1"}]}]}""", "policy_https[0].conditions[0].condition_origin")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "param", "condition_type": "fuzzy", "condition_value": "1", "req_param_name": "query_demo"}]}]}""", "policy_https[0].conditions[0].condition_type")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "param", "condition_type": "exact", "condition_value": "1", "req_param_name": "unknown"}]}]}""", "policy_https[0].conditions[0].req_param_name")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "system", "condition_type": "exact", "condition_value": "1", "sys_param_name": "req_host"}]}]}""", "policy_https[0].conditions[0].sys_param_name")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "source", "condition_value": "not-an-ip"}]}]}""", "policy_https[0].conditions[0].condition_value")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "param", "condition_type": "pattern", "condition_value": "(", "req_param_name": "query_demo"}]}]}""", "policy_https[0].conditions[0].condition_value")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "frontend_authorizer", "condition_type": "exact", "condition_value": "1", "frontend_authorizer_param_name": "user"}]}]}""", "policy_https[0].conditions[0].frontend_authorizer_param_name")]
    [InlineData("""{"policy_mocks": [{"name": "policy_x", "effect_mode": "ALL", "conditions": [{"condition_origin": "source", "condition_value": "1.1.1.1"}]}]}""", "policy_mocks")]
    public void Bad_values_and_patterns_are_APIG_2011(string patch, string parameter) =>
        AssertError(Reject(ApiJson.With(ApiJson.Http, patch)), "APIG.2011", parameter);

    [Theory]
    [InlineData("""{"func_info": {"invocation_type": "later"}}""", "APIG.2011", "func_info.invocation_type")]
    [InlineData("""{"func_info": {"network_type": "V3"}}""", "APIG.2011", "func_info.network_type")]
    [InlineData("""{"func_info": {"function_urn": "hello"}}""", "APIG.2011", "func_info.function_urn")]
    [InlineData("""{"func_info": {"function_urn": null}}""", "APIG.2001", "func_info.function_urn")]
    [InlineData("""{"func_info": {"timeout": null}}""", "APIG.2001", "func_info.timeout")]
    [InlineData("""{"func_info": {"timeout": 600001}}""", "APIG.2003", "func_info.timeout")]
    [InlineData("""{"func_info": {"network_type": "V1"}}""", "APIG.2003", "func_info.timeout")]
    [InlineData("""{"func_info": {"version": "@v65"}}""", "APIG.2003", "func_info.version")]
    [InlineData("""{"func_info": {"req_protocol": "GRPCS"}}""", "APIG.2011", "func_info.req_protocol")]
    [InlineData("""{"policy_functions": [{"name": "policy_fn", "effect_mode": "ALL", "function_urn": "urn:x", "invocation_type": "sync", "network_type": "V1", "timeout": 60001, "conditions": [{"condition_origin": "source", "condition_value": "1.1.1.1"}]}]}""", "APIG.2003", "policy_functions[0].timeout")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "source", "condition_value": "1.1.1.1"}]}]}""", "APIG.2011", "policy_https")]
    public void Function_backend_rules(string patch, string code, string parameter) =>
        AssertError(Reject(ApiJson.With(ApiJson.Function, patch)), code, parameter);

    [Theory]
    [InlineData("""{"mock_info": {"remark": "@r256"}}""", "APIG.2003", "mock_info.remark")]
    [InlineData("""{"mock_info": {"version": "@v65"}}""", "APIG.2003", "mock_info.version")]
    [InlineData("""{"policy_mocks": [{"name": "policy_mock", "effect_mode": "ANY", "conditions": [{"condition_origin": "source", "condition_value": "1.0.1.0"}]}, {"name": "policy_mock", "effect_mode": "ANY", "conditions": [{"condition_origin": "source", "condition_value": "1.0.1.0"}]}]}""", "APIG.3210", "policy_mocks[1].name")]
    public void Mock_backend_rules(string patch, string code, string parameter) =>
        AssertError(Reject(ApiJson.With(ApiJson.Mock, patch)), code, parameter);

    [Theory]
    [InlineData("""{"req_method": "GET"}""", "APIG.2011", "req_method")]
    [InlineData("""{"req_params": [{"name": "q", "type": "STRING", "location": "QUERY"}]}""", "APIG.2011", "req_params")]
    [InlineData("""{"backend_params": [{"name": "q", "location": "QUERY", "origin": "CONSTANT", "value": "x"}]}""", "APIG.2011", "backend_params")]
    [InlineData("""{"result_normal_sample": "{}"}""", "APIG.2011", "result_normal_sample")]
    [InlineData("""{"result_failure_sample": "{}"}""", "APIG.2011", "result_failure_sample")]
    [InlineData("""{"auth_type": "AUTHORIZER", "authorizer_id": "0d98aa1e1f2c4e3b9d8c7b6a5f4e3d2c"}""", "APIG.2011", "auth_type")]
    [InlineData("""{"backend_api": {"req_uri": "/x"}}""", "APIG.2011", "backend_api.req_uri")]
    [InlineData("""{"backend_api": {"req_method": "GET"}}""", "APIG.2011", "backend_api.req_method")]
    [InlineData("""{"backend_api": {"authorizer_id": "0d98aa1e1f2c4e3b9d8c7b6a5f4e3d2c"}}""", "APIG.2011", "backend_api.authorizer_id")]
    [InlineData("""{"backend_api": {"enable_client_ssl": true}}""", "APIG.3717", "backend_api.enable_client_ssl")]
    [InlineData("""{"backend_api": {"vpc_channel_info": {"vpc_channel_id": "not an id"}}}""", "APIG.2012", "backend_api.vpc_channel_info.vpc_channel_id")]
    public void Grpc_rules(string patch, string code, string parameter) =>
        AssertError(Reject(ApiJson.With(ApiJson.Grpc, patch)), code, parameter);

    [Theory]
    [InlineData("""{"req_uri": "/users/{userId}/{other}"}""", "APIG.2026", "req_uri")]
    [InlineData("""{"backend_api": {"req_uri": "/backend/{id}/{more}"}}""", "APIG.2027", "backend_api.req_uri")]
    [InlineData("""{"backend_params": [{"name": "id", "value": "userId", "location": "PATH", "origin": "REQUEST"}, {"name": "b", "value": "nope", "location": "QUERY", "origin": "REQUEST"}]}""", "APIG.2028", "backend_params[1].value")]
    [InlineData("""{"backend_params": [{"name": "id", "value": "userId", "location": "PATH", "origin": "REQUEST"}, {"name": "u", "value": "$context.authorizer.frontend.user", "location": "QUERY", "origin": "SYSTEM"}]}""", "APIG.2036", "backend_params[1].value")]
    [InlineData("""{"backend_params": [{"name": "id", "value": "userId", "location": "PATH", "origin": "REQUEST"}, {"name": "u", "value": "$context.authorizer.backend.user", "location": "QUERY", "origin": "SYSTEM"}]}""", "APIG.2036", "backend_params[1].value")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "frontend_authorizer", "condition_type": "exact", "condition_value": "1", "frontend_authorizer_param_name": "$context.authorizer.frontend.user"}]}]}""", "APIG.2036", "policy_https[0].conditions[0].frontend_authorizer_param_name")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x/{p}", "conditions": [{"condition_origin": "source", "condition_value": "1.1.1.1"}]}]}""", "APIG.2027", "policy_https[0].req_uri")]
    [InlineData("""{"req_params": [{"name": "userId", "type": "STRING", "location": "PATH"}, {"name": "USERID", "type": "STRING", "location": "QUERY"}]}""", "APIG.3209", "req_params[1].name")]
    [InlineData("""{"backend_params": [{"name": "id", "value": "userId", "location": "PATH", "origin": "REQUEST"}, {"name": "x", "value": "1", "location": "HEADER", "origin": "CONSTANT"}, {"name": "X", "value": "2", "location": "HEADER", "origin": "CONSTANT"}]}""", "APIG.3209", "backend_params[2].name")]
    [InlineData("""{"policy_https": [{"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "source", "condition_value": "1.1.1.1"}]}, {"name": "policy_x", "effect_mode": "ALL", "url_domain": "a.com", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/x", "conditions": [{"condition_origin": "source", "condition_value": "1.1.1.1"}]}]}""", "APIG.3210", "policy_https[1].name")]
    [InlineData("""{"backend_api": {"enable_client_ssl": true}}""", "APIG.3717", "backend_api.enable_client_ssl")]
    [InlineData("""{"backend_api": {"url_domain": "bad host!"}}""", "APIG.2024", "backend_api.url_domain")]
    [InlineData("""{"backend_api": {"url_domain": "http://example.com"}}""", "APIG.2024", "backend_api.url_domain")]
    [InlineData("""{"backend_api": {"url_domain": "example.com:99999"}}""", "APIG.2025", "backend_api.url_domain")]
    [InlineData("""{"backend_api": {"url_domain": "example.com:0"}}""", "APIG.2025", "backend_api.url_domain")]
    [InlineData("""{"group_id": "not a valid id"}""", "APIG.2012", "group_id")]
    [InlineData("""{"authorizer_id": "not/valid"}""", "APIG.2012", "authorizer_id")]
    public void Relational_rules_have_their_own_codes(string patch, string code, string parameter) =>
        AssertError(Reject(ApiJson.With(ApiJson.Http, patch)), code, parameter);

    [Fact]
    public void More_than_ten_tags_is_APIG_3133_forbidden()
    {
        var tags = string.Join(',', Enumerable.Range(0, 11).Select(i => $"\"tag{i}\""));
        var error = Reject(ApiJson.With(ApiJson.Http, $$"""{"tags": [{{tags}}]}"""));

        Assert.Equal("APIG.3133", error.ErrorCode);
        Assert.Equal(403, error.StatusCode);
        Build(ApiJson.With(ApiJson.Http, $$"""{"tags": [{{string.Join(',', Enumerable.Range(0, 10).Select(i => $"\"tag{i}\""))}}]}"""));
    }

    [Theory]
    [InlineData("""{"backend_api": {"url_domain": "#backend_host#:#backend_port#"}}""")]
    [InlineData("""{"backend_api": {"url_domain": "[::1]:8443"}}""")]
    [InlineData("""{"backend_api": {"url_domain": "api.example.com"}}""")]
    [InlineData("""{"backend_api": {"url_domain": "api.example.com:65535", "req_uri": "/#prefix#/{id}"}}""")]
    [InlineData("""{"backend_api": {"retry_count": "10", "timeout": 60000}}""")]
    [InlineData("""{"backend_api": {"retry_count": "-1", "timeout": 1, "req_protocol": "HTTPS", "enable_client_ssl": true}}""")]
    [InlineData("""{"req_protocol": "BOTH", "req_method": "ANY", "match_mode": "SWA", "cors": true}""")]
    [InlineData("""{"req_uri": "/users/{userId+}"}""")]
    [InlineData("""{"req_uri": "/users/{userId}/", "content_type": "application/json"}""")]
    [InlineData("""{"authorizer_id": "", "response_id": "", "roma_app_id": "", "backend_api": {"authorizer_id": ""}}""")]
    [InlineData("""{"auth_type": "AUTHORIZER", "authorizer_id": "0d98aa1e1f2c4e3b9d8c7b6a5f4e3d2c", "backend_params": [{"name": "id", "value": "userId", "location": "PATH", "origin": "REQUEST"}, {"name": "u", "value": "$context.authorizer.frontend.user_name", "location": "QUERY", "origin": "SYSTEM"}]}""")]
    [InlineData("""{"backend_api": {"authorizer_id": "0d98aa1e1f2c4e3b9d8c7b6a5f4e3d2c"}, "backend_params": [{"name": "id", "value": "userId", "location": "PATH", "origin": "REQUEST"}, {"name": "u", "value": "$context.authorizer.backend.tenant", "location": "QUERY", "origin": "SYSTEM"}]}""")]
    [InlineData("""{"policy_https": [{"name": "策略_one", "effect_mode": "ALL", "req_protocol": "HTTPS", "req_method": "POST", "req_uri": "/p/{pid}", "timeout": 100, "retry_count": "3", "vpc_channel_status": 1, "vpc_channel_info": {"vpc_channel_id": "abc"}, "backend_params": [{"name": "pid", "value": "userId", "location": "PATH", "origin": "REQUEST"}], "conditions": [{"condition_origin": "system", "condition_type": "pattern", "sys_param_name": "req_path", "condition_value": "^/users/.*$"}, {"condition_origin": "cookie", "condition_type": "enum", "cookie_param_name": "tier", "condition_value": "gold,silver"}, {"condition_origin": "source", "condition_value": "10.0.0.1, 192.168.0.0/16, ::1"}]}]}""")]
    public void Documented_variants_are_accepted(string patch) => Build(ApiJson.With(ApiJson.Http, patch));

    internal static void AssertError(ApiErrorException error, string code, string parameter)
    {
        Assert.Equal(code, error.ErrorCode);
        Assert.Contains(parameter, error.Message, StringComparison.Ordinal);
    }
}
