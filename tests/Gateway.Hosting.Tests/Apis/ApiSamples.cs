namespace Gateway.Hosting.Tests.Apis;

/// <summary>Sample bodies of 3.5.1 (group_id is filled in by <see cref="ApiTestHost.Body"/>).</summary>
internal static class ApiSamples
{
    /// <summary>A web API close to the documented example: mapped, constant and system backend parameters and a policy backend.</summary>
    public const string Http = """
        {
          "name": "Api_http",
          "type": 1,
          "version": "V0.0.1",
          "req_protocol": "HTTPS",
          "req_method": "GET",
          "req_uri": "/test/{userId}",
          "auth_type": "NONE",
          "backend_type": "HTTP",
          "remark": "demo",
          "tags": ["demo"],
          "req_params": [
            { "name": "userId", "type": "STRING", "location": "PATH" },
            { "name": "query_demo", "type": "STRING", "location": "QUERY", "required": 1 },
            { "name": "header-demo", "type": "STRING", "location": "HEADER", "required": 2 }
          ],
          "backend_api": {
            "url_domain": "192.168.189.156:12346",
            "req_protocol": "HTTP",
            "req_method": "GET",
            "req_uri": "/test/benchmark/{id}",
            "timeout": 5000,
            "retry_count": "-1"
          },
          "backend_params": [
            { "name": "id", "value": "userId", "location": "PATH", "origin": "REQUEST" },
            { "name": "backHeader", "value": "header-demo", "location": "HEADER", "origin": "REQUEST" },
            { "name": "X-CONSTANT-HEADER", "value": "demo", "location": "HEADER", "origin": "CONSTANT" },
            { "name": "app-id", "value": "$context.appId", "location": "HEADER", "origin": "SYSTEM" }
          ],
          "policy_https": [
            {
              "name": "policy_http",
              "effect_mode": "ALL",
              "url_domain": "10.0.0.1:80",
              "req_protocol": "HTTP",
              "req_method": "GET",
              "req_uri": "/alternative",
              "conditions": [
                { "condition_origin": "param", "condition_type": "exact", "condition_value": "7", "req_param_name": "query_demo" }
              ]
            }
          ]
        }
        """;

    /// <summary>The documented MOCK example.</summary>
    public const string Mock = """
        {
          "name": "Api_mock",
          "type": 1,
          "req_protocol": "HTTPS",
          "req_method": "GET",
          "req_uri": "/test/mock",
          "match_mode": "SWA",
          "auth_type": "IAM",
          "backend_type": "MOCK",
          "mock_info": { "result_content": "mock success" },
          "policy_mocks": [
            {
              "name": "policy_mock",
              "effect_mode": "ANY",
              "result_content": "mock policy success",
              "conditions": [ { "condition_origin": "source", "condition_value": "1.0.1.0" } ]
            }
          ]
        }
        """;

    /// <summary>A FunctionGraph API.</summary>
    public const string Function = """
        {
          "name": "Api_function",
          "type": 1,
          "req_protocol": "HTTPS",
          "req_method": "POST",
          "req_uri": "/test/function",
          "auth_type": "APP",
          "backend_type": "FUNCTION",
          "func_info": {
            "function_urn": "urn:fss:xx-xxx-7:0123:function:default:hello",
            "invocation_type": "sync",
            "network_type": "V1",
            "timeout": 5000
          }
        }
        """;
}
