using System.Net;
using Gateway.Hosting.Tests.Apig;
using Gateway.Hosting.Tests.Apis;
using Gateway.Hosting.Tests.Signatures;

namespace Gateway.Hosting.Tests.VpcChannels;

/// <summary>Sample 3.17 bodies and the steps the VPC channel tests share.</summary>
internal static class VpcSamples
{
    /// <summary>The documented server-type create example (3.17.1).</summary>
    public const string Channel = """
        {
          "balance_strategy": 1,
          "member_type": "ip",
          "name": "VPC_demo",
          "port": 22,
          "type": 2,
          "vpc_health_config": {
            "http_code": "200",
            "path": "/vpc/demo",
            "port": 22,
            "protocol": "http",
            "threshold_abnormal": 5,
            "threshold_normal": 2,
            "time_interval": 10,
            "timeout": 5,
            "enable_client_ssl": false
          },
          "member_groups": [
            { "member_group_name": "test", "member_group_weight": 1, "member_group_remark": "remark" },
            { "member_group_name": "default", "member_group_weight": 2, "member_group_remark": "remark" }
          ],
          "members": [
            { "host": "192.168.0.5", "weight": 1, "member_group_name": "test" },
            { "host": "192.168.1.124", "weight": 2, "member_group_name": "default" }
          ]
        }
        """;

    /// <summary>A channel of ECS members without groups.</summary>
    public const string EcsChannel = """
        {
          "name": "VPC_ecs",
          "port": 8080,
          "balance_strategy": 2,
          "member_type": "ecs",
          "members": [
            { "ecs_id": "1082720c-3c15-409c-9ae3-4983ddfb6a9d", "ecs_name": "APIGtest02", "weight": 2 },
            { "ecs_id": "ebe1104f-1254-4ac6-8ed7-366bec84f36e", "ecs_name": "APIGtest01", "host": "192.168.0.39", "port": 8081 }
          ]
        }
        """;

    /// <summary>The documented microservice-type example (3.17.1).</summary>
    public const string MicroserviceChannel = """
        {
          "balance_strategy": 1,
          "member_type": "ip",
          "name": "VPC_micro",
          "port": 22,
          "type": 3,
          "member_groups": [
            { "member_group_name": "test", "member_group_weight": 1, "microservice_version": "v1", "microservice_port": 80 },
            { "member_group_name": "default", "member_group_weight": 2, "microservice_version": "v2", "microservice_port": 80,
              "microservice_labels": [ { "label_name": "cluster_id", "label_value": "c429700c-5dc4-482a-9c0e-99f6c0635113" } ] }
          ],
          "members": [
            { "host": "192.168.0.5", "weight": 1, "member_group_name": "test" },
            { "host": "192.168.1.124", "weight": 2, "member_group_name": "default" }
          ],
          "microservice_info": {
            "service_type": "CCE",
            "cce_info": { "cluster_id": "ab1485b4f91b45abbcd560be591f7309", "namespace": "default", "workload_type": "deployment", "app_name": "testapp" }
          }
        }
        """;

    /// <summary>A JSON merge patch applied to a sample (see <see cref="ApiTestHost.With"/>).</summary>
    public static string With(string json, string patch) => ApiTestHost.With(json, patch);

    /// <summary>Creates a channel a second after the previous step and returns its id.</summary>
    public static async Task<string> CreateChannelAsync(FamilyHost host, string body = Channel)
    {
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        using var created = await host.PostAsync("/vpc-channels", body);
        created.ShouldBe(HttpStatusCode.Created);
        return created.Json.GetProperty("id").GetString()!;
    }

    public static async Task<string> CreateNamedChannelAsync(FamilyHost host, string name, string patch = "{}") =>
        await CreateChannelAsync(host, With(With(Channel, $$"""{"name": "{{name}}"}"""), patch));

    /// <summary>An API patch that sends the default backend through the channel.</summary>
    public static string ThroughChannel(string channelId) =>
        $$"""{"backend_api": {"url_domain": null, "vpc_channel_status": 1, "vpc_channel_info": {"vpc_channel_id": "{{channelId}}" } } }""";

    /// <summary>The members of a channel as the detail view shows them.</summary>
    public static async Task<List<System.Text.Json.JsonElement>> MembersAsync(FamilyHost host, string channelId)
    {
        using var shown = await host.GetAsync($"/vpc-channels/{channelId}");
        shown.ShouldBe(HttpStatusCode.OK);
        return [.. shown.Json.GetProperty("members").EnumerateArray().Select(member => member.Clone())];
    }
}
