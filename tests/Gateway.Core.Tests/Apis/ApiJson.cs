using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Apig.Apis;

namespace Gateway.Core.Tests.Apis;

/// <summary>Sample API bodies and a JSON merge-patch helper for table-driven cases.</summary>
internal static partial class ApiJson
{
    public const string GroupId = "0123456789abcdef0123456789abcdef";

    /// <summary>A web API using most features: a path parameter, mapped and constant backend parameters and a policy backend.</summary>
    public const string Http = """
        {
          "name": "Api_http",
          "type": 1,
          "version": "V0.0.1",
          "req_protocol": "HTTPS",
          "req_method": "GET",
          "req_uri": "/users/{userId}",
          "auth_type": "NONE",
          "backend_type": "HTTP",
          "group_id": "0123456789abcdef0123456789abcdef",
          "tags": ["demo"],
          "req_params": [
            { "name": "userId", "type": "STRING", "location": "PATH" },
            { "name": "query_demo", "type": "STRING", "location": "QUERY", "min_size": 1, "max_size": 8 },
            { "name": "header-demo", "type": "NUMBER", "location": "HEADER", "min_num": 1, "max_num": 10 }
          ],
          "backend_api": {
            "url_domain": "192.168.1.5:8080",
            "req_protocol": "HTTP",
            "req_method": "GET",
            "req_uri": "/backend/{id}",
            "timeout": 5000
          },
          "backend_params": [
            { "name": "id", "value": "userId", "location": "PATH", "origin": "REQUEST" },
            { "name": "backHeader", "value": "header-demo", "location": "HEADER", "origin": "REQUEST" },
            { "name": "X-CONSTANT", "value": "demo", "location": "HEADER", "origin": "CONSTANT" },
            { "name": "app-id", "value": "$context.appId", "location": "HEADER", "origin": "SYSTEM" }
          ],
          "policy_https": [
            {
              "name": "policy_one",
              "effect_mode": "ANY",
              "url_domain": "10.0.0.1:80",
              "req_protocol": "HTTP",
              "req_method": "GET",
              "req_uri": "/alternative",
              "conditions": [
                { "condition_origin": "param", "condition_type": "exact", "condition_value": "7", "req_param_name": "query_demo" },
                { "condition_origin": "source", "condition_value": "10.0.0.0/8" }
              ]
            }
          ]
        }
        """;

    /// <summary>A GRPCS API with a GRPC backend behind a VPC channel.</summary>
    public const string Grpc = """
        {
          "name": "grpc_api",
          "type": 1,
          "req_protocol": "GRPCS",
          "req_method": "POST",
          "req_uri": "/helloworld.Greeter/SayHello",
          "auth_type": "NONE",
          "backend_type": "GRPC",
          "group_id": "0123456789abcdef0123456789abcdef",
          "backend_api": {
            "req_protocol": "GRPCS",
            "req_method": "POST",
            "req_uri": "/",
            "timeout": 5000,
            "vpc_channel_status": 1,
            "vpc_channel_info": { "vpc_channel_id": "56a7d7358e1b42459c9d730d65b14e59" }
          }
        }
        """;

    /// <summary>A mock API with a mock policy backend.</summary>
    public const string Mock = """
        {
          "name": "mock_api",
          "type": 2,
          "req_protocol": "HTTPS",
          "req_method": "ANY",
          "req_uri": "/mock",
          "match_mode": "SWA",
          "auth_type": "IAM",
          "backend_type": "MOCK",
          "group_id": "0123456789abcdef0123456789abcdef",
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

    /// <summary>A FunctionGraph API with a function policy backend.</summary>
    public const string Function = """
        {
          "name": "function_api",
          "type": 1,
          "req_method": "POST",
          "req_uri": "/fn",
          "auth_type": "APP",
          "auth_opt": { "app_code_auth_type": "HEADER" },
          "backend_type": "FUNCTION",
          "group_id": "0123456789abcdef0123456789abcdef",
          "func_info": {
            "function_urn": "urn:fss:xx-xxx-7:0123:function:default:hello",
            "invocation_type": "sync",
            "network_type": "V2",
            "timeout": 300000
          },
          "policy_functions": [
            {
              "name": "policy_fn",
              "effect_mode": "ALL",
              "function_urn": "urn:fss:xx-xxx-7:0123:function:default:other",
              "invocation_type": "async",
              "network_type": "V1",
              "conditions": [ { "condition_origin": "system", "condition_type": "exact", "sys_param_name": "req_method", "condition_value": "POST" } ]
            }
          ]
        }
        """;

    /// <summary>
    /// Applies a JSON merge patch (objects merge recursively, null removes, anything else replaces). In the patch,
    /// <c>@c123</c> stands for the character c repeated 123 times.
    /// </summary>
    public static string With(string json, string patch)
    {
        var target = JsonNode.Parse(json)!.AsObject();
        Merge(target, JsonNode.Parse(Expand(patch))!.AsObject());
        return target.ToJsonString();
    }

    public static ApiRequest Request(string json) => JsonSerializer.Deserialize(json, ApiJsonContext.Default.ApiRequest)!;

    public static string Expand(string text) =>
        Repeat().Replace(text, match => new string(match.Groups[1].Value[0], int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                Merge(targetObject, patchObject);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    [GeneratedRegex(@"@(.)(\d+)")]
    private static partial Regex Repeat();
}
