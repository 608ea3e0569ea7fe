using System.Net;
using Gateway.Apig.VpcChannels;
using Gateway.Hosting.Tests.Apig;
using Gateway.Hosting.Tests.Signatures;

namespace Gateway.Hosting.Tests.VpcChannels;

/// <summary>The REST contract of 3.17.1–3.17.5: channels.</summary>
public sealed class VpcChannelContractTests
{
    private static string Repeat(char c, int count) => new(c, count);

    [Fact]
    public async Task Create_answers_201_with_the_channel_and_its_groups()
    {
        await using var host = await FamilyHost.StartAsync();
        using var reply = await host.PostAsync("/vpc-channels", VpcSamples.Channel);

        reply.ShouldBe(HttpStatusCode.Created);
        var channel = reply.Json;
        Assert.Equal(
            ["name", "port", "balance_strategy", "member_type", "type", "dict_code", "create_time", "id", "status", "member_groups"],
            channel.EnumerateObject().Select(p => p.Name));
        Assert.Equal("VPC_demo", FamilyHost.Text(channel, "name"));
        Assert.Equal(22, channel.GetProperty("port").GetInt32());
        Assert.Equal(1, channel.GetProperty("balance_strategy").GetInt32());
        Assert.Equal("ip", FamilyHost.Text(channel, "member_type"));
        Assert.Equal(2, channel.GetProperty("type").GetInt32());
        Assert.Equal("", FamilyHost.Text(channel, "dict_code"));
        Assert.Equal("2025-03-01T08:30:00.0000000Z", FamilyHost.Text(channel, "create_time"));
        Assert.Matches("^[0-9a-f]{32}$", FamilyHost.Text(channel, "id"));
        Assert.Equal(1, channel.GetProperty("status").GetInt32());

        var groups = channel.GetProperty("member_groups");
        Assert.Equal(2, groups.GetArrayLength());
        Assert.Equal(
            ["member_group_name", "member_group_remark", "member_group_weight", "microservice_labels", "member_group_id", "create_time", "update_time"],
            groups[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["test", "default"], groups.EnumerateArray().Select(g => FamilyHost.Text(g, "member_group_name")).Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public async Task Show_adds_members_and_the_health_check()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);

        using var reply = await host.GetAsync($"/vpc-channels/{id}");

        reply.ShouldBe(HttpStatusCode.OK);
        var channel = reply.Json;
        var groups = channel.GetProperty("member_groups").EnumerateArray().ToDictionary(g => FamilyHost.Text(g, "member_group_name"), g => FamilyHost.Text(g, "member_group_id"));
        var members = channel.GetProperty("members").EnumerateArray().OrderBy(m => FamilyHost.Text(m, "host"), StringComparer.Ordinal).ToList();
        Assert.Equal(2, members.Count);
        var member = members[0];
        Assert.Equal(
            ["host", "weight", "is_backup", "member_group_name", "status", "port", "ecs_id", "ecs_name", "id", "vpc_channel_id", "create_time", "member_group_id"],
            member.EnumerateObject().Select(p => p.Name));
        Assert.Equal("192.168.0.5", FamilyHost.Text(member, "host"));
        Assert.Equal(1, member.GetProperty("weight").GetInt32());
        Assert.False(member.GetProperty("is_backup").GetBoolean());
        Assert.Equal("test", FamilyHost.Text(member, "member_group_name"));
        Assert.Equal(groups["test"], FamilyHost.Text(member, "member_group_id"));
        Assert.Equal(1, member.GetProperty("status").GetInt32());
        Assert.Equal(22, member.GetProperty("port").GetInt32());
        Assert.Equal("192.168.0.5", FamilyHost.Text(member, "ecs_id"));
        Assert.Equal("192.168.0.5", FamilyHost.Text(member, "ecs_name"));
        Assert.Equal(id, FamilyHost.Text(member, "vpc_channel_id"));
        Assert.Equal(groups["default"], FamilyHost.Text(members[1], "member_group_id"));

        var health = channel.GetProperty("vpc_health_config");
        Assert.Equal(
            ["protocol", "path", "method", "port", "threshold_normal", "threshold_abnormal", "time_interval", "http_code", "enable_client_ssl", "status", "timeout", "vpc_channel_id", "id", "create_time"],
            health.EnumerateObject().Select(p => p.Name));
        Assert.Equal("http", FamilyHost.Text(health, "protocol"));
        Assert.Equal("/vpc/demo", FamilyHost.Text(health, "path"));
        Assert.Equal("GET", FamilyHost.Text(health, "method"));
        Assert.Equal(22, health.GetProperty("port").GetInt32());
        Assert.Equal(2, health.GetProperty("threshold_normal").GetInt32());
        Assert.Equal(5, health.GetProperty("threshold_abnormal").GetInt32());
        Assert.Equal(10, health.GetProperty("time_interval").GetInt32());
        Assert.Equal(5, health.GetProperty("timeout").GetInt32());
        Assert.Equal("200", FamilyHost.Text(health, "http_code"));
        Assert.Equal(1, health.GetProperty("status").GetInt32());
        Assert.Equal(id, FamilyHost.Text(health, "vpc_channel_id"));

        using var unknown = await host.GetAsync($"/vpc-channels/{FamilyHost.Unknown}");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3023", FamilyHost.Unknown);
        using var malformed = await host.GetAsync("/vpc-channels/bad%20id");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "vpc_channel_id");
    }

    [Fact]
    public async Task Defaults_apply_to_a_minimal_channel()
    {
        await using var host = await FamilyHost.StartAsync();
        using var reply = await host.PostAsync("/vpc-channels", """{"name": "VPC_min", "port": 443}""");
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(1, reply.Json.GetProperty("balance_strategy").GetInt32());
        Assert.Equal("ecs", FamilyHost.Text(reply.Json, "member_type"));
        Assert.Equal(2, reply.Json.GetProperty("type").GetInt32());
        Assert.Equal(0, reply.Json.GetProperty("member_groups").GetArrayLength());
        using var shown = await host.GetAsync($"/vpc-channels/{FamilyHost.Text(reply.Json, "id")}");
        Assert.Equal(0, shown.Json.GetProperty("members").GetArrayLength());
        Assert.False(shown.Json.TryGetProperty("vpc_health_config", out _));
    }

    [Fact]
    public async Task Ecs_members_carry_their_server_and_optional_address()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host, VpcSamples.EcsChannel);
        var members = (await VpcSamples.MembersAsync(host, id)).OrderBy(m => FamilyHost.Text(m, "ecs_name"), StringComparer.Ordinal).ToList();
        Assert.Equal("APIGtest01", FamilyHost.Text(members[0], "ecs_name"));
        Assert.Equal("192.168.0.39", FamilyHost.Text(members[0], "host"));
        Assert.Equal(8081, members[0].GetProperty("port").GetInt32());
        Assert.Equal("1082720c-3c15-409c-9ae3-4983ddfb6a9d", FamilyHost.Text(members[1], "ecs_id"));
        Assert.False(members[1].TryGetProperty("host", out _));
        Assert.Equal(8080, members[1].GetProperty("port").GetInt32());
        Assert.Equal("", FamilyHost.Text(members[1], "member_group_id"));
        Assert.Equal("", FamilyHost.Text(members[1], "member_group_name"));
    }

    [Fact]
    public async Task Microservice_channels_keep_their_description_and_group_fields()
    {
        await using var host = await FamilyHost.StartAsync();
        using var reply = await host.PostAsync("/vpc-channels", VpcSamples.MicroserviceChannel);
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(3, reply.Json.GetProperty("type").GetInt32());
        var info = reply.Json.GetProperty("microservice_info");
        Assert.Matches("^[0-9a-f]{32}$", FamilyHost.Text(info, "id"));
        Assert.Equal(host.InstanceId, FamilyHost.Text(info, "instance_id"));
        Assert.Equal("CCE", FamilyHost.Text(info, "service_type"));
        Assert.Equal("testapp", FamilyHost.Text(info.GetProperty("cce_info"), "app_name"));
        Assert.Equal("deployment", FamilyHost.Text(info.GetProperty("cce_info"), "workload_type"));
        var group = reply.Json.GetProperty("member_groups").EnumerateArray().Single(g => FamilyHost.Text(g, "member_group_name") == "default");
        Assert.Equal("v2", FamilyHost.Text(group, "microservice_version"));
        Assert.Equal(80, group.GetProperty("microservice_port").GetInt32());
        Assert.Equal("cluster_id", FamilyHost.Text(group.GetProperty("microservice_labels")[0], "label_name"));
    }

    public static TheoryData<string, string, string> InvalidChannels() => new()
    {
        { """{"name": null}""", "APIG.2001", "name" },
        { """{"name": "ab"}""", "APIG.2011", "name" },
        { """{"name": "1abc"}""", "APIG.2011", "name" },
        { """{"name": "abc def"}""", "APIG.2011", "name" },
        { $$"""{"name": "a{{Repeat('b', 64)}}"}""", "APIG.2003", "name" },
        { """{"port": null}""", "APIG.2001", "port" },
        { """{"port": 0}""", "APIG.2004", "port" },
        { """{"port": 65536}""", "APIG.2003", "port" },
        { """{"port": "22"}""", "APIG.2012", "port" },
        { """{"balance_strategy": 5}""", "APIG.2011", "balance_strategy" },
        { """{"member_type": "vm"}""", "APIG.2011", "member_type" },
        { """{"type": 1}""", "APIG.2011", "type" },
        { """{"dict_code": "ab"}""", "APIG.2011", "dict_code" },
        { """{"dict_code": "a b c"}""", "APIG.2011", "dict_code" },
        { """{"members": [{"host": "10.0.0.1", "weight": -1}]}""", "APIG.2004", "members[0].weight" },
        { """{"members": [{"host": "10.0.0.1", "weight": 10001}]}""", "APIG.2003", "members[0].weight" },
        { """{"members": [{"host": "10.0.0.1", "port": 65536}]}""", "APIG.2003", "members[0].port" },
        { """{"members": [{"host": "10.0.0.1", "port": -1}]}""", "APIG.2004", "members[0].port" },
        { """{"members": [{"host": "10.0.0.1", "status": 3}]}""", "APIG.2011", "members[0].status" },
        { """{"members": [{"host": "10.0.0.1"}, {"weight": 1}]}""", "APIG.2001", "members[1].host" },
        { """{"members": [null]}""", "APIG.2001", "members[0]" },
        { """{"members": [{"host": "10.0.0.256"}]}""", "APIG.2011", "members[0].host" },
        { """{"members": [{"host": "bad host"}]}""", "APIG.2011", "members[0].host" },
        { """{"members": [{"host": "-leading.example"}]}""", "APIG.2011", "members[0].host" },
        { $$"""{"members": [{"host": "{{Repeat('h', 65)}}"}]}""", "APIG.2003", "members[0].host" },
        { """{"members": [{"host": "10.0.0.1", "member_group_name": "nogroup"}]}""", "APIG.2011", "members[0].member_group_name" },
        { """{"member_type": "ecs", "members": [{"ecs_name": "server"}]}""", "APIG.2001", "members[0].ecs_id" },
        { """{"member_type": "ecs", "members": [{"ecs_id": "i-1"}]}""", "APIG.2001", "members[0].ecs_name" },
        { """{"member_type": "ecs", "members": [{"ecs_id": "i 1", "ecs_name": "server"}]}""", "APIG.2011", "members[0].ecs_id" },
        { $$"""{"member_type": "ecs", "members": [{"ecs_id": "{{Repeat('i', 65)}}", "ecs_name": "server"}]}""", "APIG.2003", "members[0].ecs_id" },
        { """{"member_type": "ecs", "members": [{"ecs_id": "i-1", "ecs_name": "ser/ver"}]}""", "APIG.2011", "members[0].ecs_name" },
        { """{"member_groups": [{"member_group_weight": 1}]}""", "APIG.2001", "member_groups[0].member_group_name" },
        { """{"member_groups": [{"member_group_name": "_group"}]}""", "APIG.2011", "member_groups[0].member_group_name" },
        { """{"member_groups": [{"member_group_name": "group", "member_group_weight": 101}]}""", "APIG.2003", "member_groups[0].member_group_weight" },
        { """{"member_groups": [{"member_group_name": "group", "member_group_weight": -1}]}""", "APIG.2004", "member_groups[0].member_group_weight" },
        { $$"""{"member_groups": [{"member_group_name": "group", "member_group_remark": "{{Repeat('r', 256)}}"}]}""", "APIG.2003", "member_groups[0].member_group_remark" },
        { """{"member_groups": [{"member_group_name": "group", "microservice_port": 70000}]}""", "APIG.2003", "member_groups[0].microservice_port" },
        { $$"""{"member_groups": [{"member_group_name": "group", "microservice_version": "{{Repeat('v', 65)}}"}]}""", "APIG.2003", "member_groups[0].microservice_version" },
        { """{"member_groups": [{"member_group_name": "group", "microservice_labels": [{"label_name": "-x", "label_value": "y"}]}]}""", "APIG.2011", "member_groups[0].microservice_labels[0].label_name" },
        { """{"member_groups": [{"member_group_name": "group", "microservice_labels": [{"label_name": "x"}]}]}""", "APIG.2001", "member_groups[0].microservice_labels[0].label_value" },
        { """{"vpc_health_config": {"protocol": "UDP", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}}""", "APIG.2011", "vpc_health_config.protocol" },
        { """{"vpc_health_config": {"threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}}""", "APIG.2001", "vpc_health_config.protocol" },
        { """{"vpc_health_config": {"protocol": "HTTP", "http_code": "200", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}}""", "APIG.2001", "vpc_health_config.path" },
        { """{"vpc_health_config": {"protocol": "HTTP", "path": "/", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}}""", "APIG.2001", "vpc_health_config.http_code" },
        { """{"vpc_health_config": {"protocol": "HTTP", "path": "health", "http_code": "200", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}}""", "APIG.2011", "vpc_health_config.path" },
        { """{"vpc_health_config": {"protocol": "TCP", "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}}""", "APIG.2001", "vpc_health_config.threshold_normal" },
        { """{"vpc_health_config": {"protocol": "TCP", "threshold_normal": 0, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}}""", "APIG.2004", "vpc_health_config.threshold_normal" },
        { """{"vpc_health_config": {"protocol": "TCP", "threshold_normal": 2, "threshold_abnormal": 11, "time_interval": 10, "timeout": 5}}""", "APIG.2003", "vpc_health_config.threshold_abnormal" },
        { """{"vpc_health_config": {"protocol": "TCP", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 301, "timeout": 5}}""", "APIG.2003", "vpc_health_config.time_interval" },
        { """{"vpc_health_config": {"protocol": "TCP", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 40, "timeout": 31}}""", "APIG.2003", "vpc_health_config.timeout" },
        { """{"vpc_health_config": {"protocol": "TCP", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 5, "timeout": 5}}""", "APIG.2011", "vpc_health_config.time_interval" },
        { """{"vpc_health_config": {"protocol": "TCP", "method": "POST", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}}""", "APIG.2011", "vpc_health_config.method" },
        { """{"vpc_health_config": {"protocol": "TCP", "port": 65536, "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}}""", "APIG.2003", "vpc_health_config.port" },
        { """{"vpc_health_config": {"protocol": "TCP", "status": 0, "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}}""", "APIG.2011", "vpc_health_config.status" },
        { """{"vpc_health_config": {"protocol": "HTTPS", "path": "/", "http_code": "600", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}}""", "APIG.2011", "vpc_health_config.http_code" },
        { """{"vpc_health_config": {"protocol": "HTTPS", "path": "/", "http_code": "299-200", "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}}""", "APIG.2011", "vpc_health_config.http_code" },
        { """{"microservice_info": {"service_type": "K8S"}}""", "APIG.2011", "microservice_info.service_type" },
        { """{"microservice_info": {"service_type": "CSE"}}""", "APIG.2001", "microservice_info.cse_info" },
        { """{"microservice_info": {"service_type": "CSE", "cse_info": {"engine_id": "e"}}}""", "APIG.2001", "microservice_info.cse_info.service_id" },
        { """{"microservice_info": {"service_type": "CCE", "cce_info": {"cluster_id": "c", "namespace": "default", "workload_type": "deployment"}}}""", "APIG.2001", "microservice_info.cce_info.app_name" },
        { """{"microservice_info": {"service_type": "CCE", "cce_info": {"cluster_id": "c", "namespace": "default", "workload_type": "job", "app_name": "a"}}}""", "APIG.2011", "microservice_info.cce_info.workload_type" },
        { """{"microservice_info": {"service_type": "CCE", "cce_info": {"cluster_id": "c", "namespace": "default", "workload_type": "deployment", "label_key": "app"}}}""", "APIG.2001", "microservice_info.cce_info.label_value" },
        { """{"microservice_info": {"service_type": "CCE_SERVICE", "cce_service_info": {"cluster_id": "c", "namespace": "Default", "service_name": "svc"}}}""", "APIG.2011", "microservice_info.cce_service_info.namespace" },
    };

    [Theory]
    [MemberData(nameof(InvalidChannels))]
    public async Task Create_rejects_bad_input_naming_the_parameter(string patch, string code, string parameter)
    {
        await using var host = await FamilyHost.StartAsync();
        using var reply = await host.PostAsync("/vpc-channels", VpcSamples.With("""{"name": "VPC_demo", "port": 22, "member_type": "ip"}""", patch));
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
        Assert.Equal(0, await host.CountStoredAsync(VpcChannelStoreKeys.Channels(host.InstanceId)));
        Assert.Equal(0, await host.CountStoredAsync(VpcChannelStoreKeys.Members(host.InstanceId)));
        Assert.Equal(0, await host.CountStoredAsync(VpcChannelStoreKeys.MemberGroups(host.InstanceId)));
    }

    [Fact]
    public async Task Update_applies_the_same_rules()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        foreach (var (patch, code, parameter) in InvalidChannels().Select(row => ((string)row[0], (string)row[1], (string)row[2])))
        {
            using var reply = await host.PutAsync($"/vpc-channels/{id}", VpcSamples.With("""{"name": "VPC_demo", "port": 22, "member_type": "ip"}""", patch));
            reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
        }

        Assert.Equal(2, (await VpcSamples.MembersAsync(host, id)).Count);
    }

    [Theory]
    [InlineData("""{"members": [{"host": "backend.internal"}]}""")]
    [InlineData("""{"members": [{"host": "fd00::1"}]}""")]
    [InlineData("""{"members": [{"host": "10.0.0.1", "weight": 0, "port": 0}, {"host": "10.0.0.2", "weight": 10000, "port": 65535}]}""")]
    [InlineData("""{"vpc_health_config": {"protocol": "TCP", "threshold_normal": 1, "threshold_abnormal": 10, "time_interval": 300, "timeout": 30}}""")]
    [InlineData("""{"vpc_health_config": {"protocol": "https", "path": "/ping", "method": "HEAD", "http_code": "201,202,210-299", "threshold_normal": 10, "threshold_abnormal": 1, "time_interval": 2, "timeout": 1, "enable_client_ssl": true, "status": 2}}""")]
    [InlineData("""{"dict_code": "a-b_c.d"}""")]
    [InlineData("""{"microservice_info": {"service_type": "CSE", "cse_info": {"engine_id": "e1", "service_id": "s1"}}}""")]
    [InlineData("""{"microservice_info": {"service_type": "CCE_SERVICE", "cce_service_info": {"cluster_id": "c", "namespace": "my-ns1", "service_name": "svc_1"}}}""")]
    [InlineData("""{"microservice_info": {"service_type": "CCE", "cce_info": {"cluster_id": "c", "namespace": "default", "workload_type": "daemonset", "label_key": "app.kubernetes.io/name", "label_value": "web"}}}""")]
    public async Task Boundary_values_are_accepted(string patch)
    {
        await using var host = await FamilyHost.StartAsync();
        using var reply = await host.PostAsync("/vpc-channels", VpcSamples.With("""{"name": "VPC_demo", "port": 65535, "member_type": "ip"}""", patch));
        reply.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Repeated_addresses_and_group_names_keep_the_first_definition()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host, """
            {"name": "VPC_dup", "port": 80, "member_type": "ip",
             "member_groups": [{"member_group_name": "blue", "member_group_weight": 7}, {"member_group_name": "blue", "member_group_weight": 9}],
             "members": [{"host": "10.0.0.1", "weight": 3}, {"host": "10.0.0.1", "weight": 4}, {"host": "10.0.0.2"}]}
            """);
        using var shown = await host.GetAsync($"/vpc-channels/{id}");
        Assert.Equal(7, shown.Json.GetProperty("member_groups").EnumerateArray().Single().GetProperty("member_group_weight").GetInt32());
        var members = shown.Json.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(2, members.Count);
        Assert.Equal(3, members.Single(m => FamilyHost.Text(m, "host") == "10.0.0.1").GetProperty("weight").GetInt32());
        Assert.Equal(1, members.Single(m => FamilyHost.Text(m, "host") == "10.0.0.2").GetProperty("weight").GetInt32());
    }

    [Fact]
    public async Task Names_are_unique_per_instance()
    {
        await using var host = await FamilyHost.StartAsync();
        var first = await VpcSamples.CreateNamedChannelAsync(host, "VPC_one");
        var second = await VpcSamples.CreateNamedChannelAsync(host, "VPC_two");

        using var duplicate = await host.PostAsync("/vpc-channels", VpcSamples.With(VpcSamples.Channel, """{"name": "VPC_one"}"""));
        duplicate.ShouldFail(HttpStatusCode.BadRequest, "APIG.3208", "VPC_one");
        using var renamed = await host.PutAsync($"/vpc-channels/{second}", VpcSamples.With(VpcSamples.Channel, """{"name": "VPC_one"}"""));
        renamed.ShouldFail(HttpStatusCode.BadRequest, "APIG.3208");
        using var same = await host.PutAsync($"/vpc-channels/{first}", VpcSamples.With(VpcSamples.Channel, """{"name": "VPC_one"}"""));
        same.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task At_most_30_channels_per_instance()
    {
        await using var host = await FamilyHost.StartAsync();
        for (var i = 0; i < VpcChannelManager.MaxChannels; i++)
        {
            await VpcSamples.CreateChannelAsync(host, $$"""{"name": "VPC_{{i}}", "port": 80}""");
        }

        using var reply = await host.PostAsync("/vpc-channels", """{"name": "VPC_extra", "port": 80}""");
        reply.ShouldFail(HttpStatusCode.Forbidden, "APIG.3109");
        Assert.Equal(30, await host.CountStoredAsync(VpcChannelStoreKeys.Channels(host.InstanceId)));
    }

    [Fact]
    public async Task At_most_200_members_per_channel()
    {
        await using var host = await FamilyHost.StartAsync();
        string Members(int count) => string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"host": "10.0.{{i / 250}}.{{i % 250 + 1}}"}"""));

        using var tooMany = await host.PostAsync("/vpc-channels", $$"""{"name": "VPC_big", "port": 80, "member_type": "ip", "members": [{{Members(201)}}]}""");
        tooMany.ShouldFail(HttpStatusCode.Forbidden, "APIG.3110");
        using var full = await host.PostAsync("/vpc-channels", $$"""{"name": "VPC_big", "port": 80, "member_type": "ip", "members": [{{Members(200)}}]}""");
        full.ShouldBe(HttpStatusCode.Created);
        var id = FamilyHost.Text(full.Json, "id");
        using var oneMore = await host.PostAsync($"/vpc-channels/{id}/members", """{"members": [{"host": "10.9.9.9"}]}""");
        oneMore.ShouldFail(HttpStatusCode.Forbidden, "APIG.3110");
        using var existing = await host.PostAsync($"/vpc-channels/{id}/members", """{"members": [{"host": "10.0.0.1", "weight": 5}]}""");
        existing.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(200, await host.CountStoredAsync(VpcChannelStoreKeys.Members(host.InstanceId)));
    }

    [Fact]
    public async Task Update_overwrites_given_lists_and_keeps_identities()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        using var before = await host.GetAsync($"/vpc-channels/{id}");
        var memberIds = before.Json.GetProperty("members").EnumerateArray().ToDictionary(m => FamilyHost.Text(m, "host"), m => FamilyHost.Text(m, "id"));
        var testGroup = before.Json.GetProperty("member_groups").EnumerateArray().Single(g => FamilyHost.Text(g, "member_group_name") == "test");
        var healthId = FamilyHost.Text(before.Json.GetProperty("vpc_health_config"), "id");
        host.Clock.Advance(TimeSpan.FromMinutes(1));

        using var updated = await host.PutAsync($"/vpc-channels/{id}", """
            {"name": "VPC_renamed", "port": 8080, "balance_strategy": 4, "member_type": "ip", "dict_code": "code1",
             "member_groups": [{"member_group_name": "test", "member_group_weight": 50}],
             "members": [{"host": "192.168.0.5", "weight": 9, "member_group_name": "test"}, {"host": "192.168.3.3", "is_backup": true}]}
            """);
        updated.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("VPC_renamed", FamilyHost.Text(updated.Json, "name"));
        Assert.Equal(4, updated.Json.GetProperty("balance_strategy").GetInt32());
        Assert.Equal("code1", FamilyHost.Text(updated.Json, "dict_code"));
        Assert.Equal("2025-03-01T08:30:01.0000000Z", FamilyHost.Text(updated.Json, "create_time"));
        var group = updated.Json.GetProperty("member_groups").EnumerateArray().Single();
        Assert.Equal(FamilyHost.Text(testGroup, "member_group_id"), FamilyHost.Text(group, "member_group_id"));
        Assert.Equal(50, group.GetProperty("member_group_weight").GetInt32());
        Assert.Equal("2025-03-01T08:31:01.0000000Z", FamilyHost.Text(group, "update_time"));

        using var shown = await host.GetAsync($"/vpc-channels/{id}");
        var members = shown.Json.GetProperty("members").EnumerateArray().ToDictionary(m => FamilyHost.Text(m, "host"));
        Assert.Equal(["192.168.0.5", "192.168.3.3"], members.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(memberIds["192.168.0.5"], FamilyHost.Text(members["192.168.0.5"], "id"));
        Assert.Equal(9, members["192.168.0.5"].GetProperty("weight").GetInt32());
        Assert.Equal(8080, members["192.168.3.3"].GetProperty("port").GetInt32());
        Assert.True(members["192.168.3.3"].GetProperty("is_backup").GetBoolean());

        // The health check was not given, so it stays.
        Assert.Equal(healthId, FamilyHost.Text(shown.Json.GetProperty("vpc_health_config"), "id"));
        Assert.Equal(2, await host.CountStoredAsync(VpcChannelStoreKeys.Members(host.InstanceId)));
        Assert.Equal(1, await host.CountStoredAsync(VpcChannelStoreKeys.MemberGroups(host.InstanceId)));
    }

    [Fact]
    public async Task Update_with_empty_lists_removes_everything_and_omitted_lists_keep_it()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);

        using var kept = await host.PutAsync($"/vpc-channels/{id}", """{"name": "VPC_demo", "port": 22, "member_type": "ip"}""");
        kept.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(2, kept.Json.GetProperty("member_groups").GetArrayLength());
        Assert.Equal(2, (await VpcSamples.MembersAsync(host, id)).Count);

        // Dropping a group drops its members, even when the members list is not given.
        using var oneGroup = await host.PutAsync($"/vpc-channels/{id}", """{"name": "VPC_demo", "port": 22, "member_type": "ip", "member_groups": [{"member_group_name": "test"}]}""");
        oneGroup.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["192.168.0.5"], (await VpcSamples.MembersAsync(host, id)).Select(m => FamilyHost.Text(m, "host")));

        using var emptied = await host.PutAsync($"/vpc-channels/{id}", """{"name": "VPC_demo", "port": 22, "member_type": "ip", "member_groups": [], "members": []}""");
        emptied.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(0, emptied.Json.GetProperty("member_groups").GetArrayLength());
        Assert.Empty(await VpcSamples.MembersAsync(host, id));
        Assert.Equal(0, await host.CountStoredAsync(VpcChannelStoreKeys.Members(host.InstanceId)));
        Assert.Equal(0, await host.CountStoredAsync(VpcChannelStoreKeys.MemberGroups(host.InstanceId)));
    }

    [Fact]
    public async Task Changing_the_member_type_needs_new_members()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        using var refused = await host.PutAsync($"/vpc-channels/{id}", """{"name": "VPC_demo", "port": 22, "member_type": "ecs"}""");
        refused.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "members");
        using var accepted = await host.PutAsync($"/vpc-channels/{id}", """{"name": "VPC_demo", "port": 22, "member_type": "ecs", "members": [{"ecs_id": "i-1", "ecs_name": "server1"}]}""");
        accepted.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["i-1"], (await VpcSamples.MembersAsync(host, id)).Select(m => FamilyHost.Text(m, "ecs_id")));
    }

    [Fact]
    public async Task Update_errors()
    {
        await using var host = await FamilyHost.StartAsync();
        using var unknown = await host.PutAsync($"/vpc-channels/{FamilyHost.Unknown}", VpcSamples.Channel);
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3023");
        using var instance = await host.Host.PostAsync($"/v2/{ApigTestHost.ProjectId}/apigw/instances/{FamilyHost.Unknown}/vpc-channels", VpcSamples.Channel);
        instance.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");
        using var body = await host.PutAsync($"/vpc-channels/{FamilyHost.Unknown}", "[]");
        body.ShouldFail(HttpStatusCode.BadRequest, "APIG.2000");
    }

    [Fact]
    public async Task Delete_removes_the_channel_with_its_members_and_groups()
    {
        await using var host = await FamilyHost.StartAsync();
        var kept = await VpcSamples.CreateNamedChannelAsync(host, "VPC_kept");
        var id = await VpcSamples.CreateChannelAsync(host);

        using var deleted = await host.DeleteAsync($"/vpc-channels/{id}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var again = await host.DeleteAsync($"/vpc-channels/{id}");
        again.ShouldFail(HttpStatusCode.NotFound, "APIG.3023");
        Assert.Equal(1, await host.CountStoredAsync(VpcChannelStoreKeys.Channels(host.InstanceId)));
        Assert.Equal(2, await host.CountStoredAsync(VpcChannelStoreKeys.Members(host.InstanceId)));
        Assert.Equal(2, await host.CountStoredAsync(VpcChannelStoreKeys.MemberGroups(host.InstanceId)));
        Assert.Equal(2, (await VpcSamples.MembersAsync(host, kept)).Count);
    }

    [Fact]
    public async Task A_channel_an_api_uses_cannot_be_deleted()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        var apiId = await host.CreateApiAsync("Api_vpc", VpcSamples.ThroughChannel(id));

        using var refused = await host.DeleteAsync($"/vpc-channels/{id}");
        refused.ShouldFail(HttpStatusCode.Forbidden, "APIG.3414", "Api_vpc");

        // Published, then moved off the channel: the version in force still uses it.
        await host.PublishAsync(apiId);
        var moved = VpcSamples.With(VpcSamples.With(Gateway.Hosting.Tests.Apis.ApiSamples.Http,
            $$"""{"name": "Api_vpc", "req_uri": "/Api_vpc/{userId}", "group_id": "{{host.DefaultGroupId}}"}"""), "{}");
        using var updated = await host.PutAsync($"/apis/{apiId}", moved);
        updated.ShouldBe(HttpStatusCode.OK);
        using var stillUsed = await host.DeleteAsync($"/vpc-channels/{id}");
        stillUsed.ShouldFail(HttpStatusCode.Forbidden, "APIG.3414");

        await host.PublishAsync(apiId, action: "offline");
        using var deleted = await host.DeleteAsync($"/vpc-channels/{id}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_channel_a_policy_backend_uses_cannot_be_deleted()
    {
        await using var host = await FamilyHost.StartAsync();
        var id = await VpcSamples.CreateChannelAsync(host);
        using var api = await host.PostAsync("/apis", VpcSamples.With(Gateway.Hosting.Tests.Apis.ApiSamples.Http, $$"""
            {"group_id": "{{host.DefaultGroupId}}",
             "policy_https": [{"name": "policy_http", "effect_mode": "ALL", "url_domain": null, "vpc_channel_status": 1, "vpc_channel_info": {"vpc_channel_id": "{{id}}"},
               "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/alternative",
               "conditions": [{"condition_origin": "param", "condition_type": "exact", "condition_value": "7", "req_param_name": "query_demo"}]}]}
            """));
        api.ShouldBe(HttpStatusCode.Created);
        using var refused = await host.DeleteAsync($"/vpc-channels/{id}");
        refused.ShouldFail(HttpStatusCode.Forbidden, "APIG.3414");
    }

    [Fact]
    public async Task List_pages_and_filters()
    {
        await using var host = await FamilyHost.StartAsync();
        var alpha = await VpcSamples.CreateNamedChannelAsync(host, "alpha_channel", """{"dict_code": "code_a"}""");
        var beta = await VpcSamples.CreateNamedChannelAsync(host, "beta_channel", """{"members": [{"host": "10.1.1.1", "port": 8443}], "member_groups": [{"member_group_name": "blue"}]}""");
        var alphaTwo = await VpcSamples.CreateNamedChannelAsync(host, "alpha_two", """{"port": 9000, "member_groups": [{"member_group_name": "testing"}], "members": [{"host": "10.2.2.2"}]}""");

        using var all = await host.GetAsync("/vpc-channels");
        all.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["size", "total", "vpc_channels"], all.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal([alpha, beta, alphaTwo], FamilyHost.Ids(all, "vpc_channels"));
        var item = all.Json.GetProperty("vpc_channels")[0];
        Assert.False(item.TryGetProperty("members", out _));
        Assert.False(item.TryGetProperty("vpc_health_config", out _));
        Assert.Equal(2, item.GetProperty("member_groups").GetArrayLength());

        async Task<List<string>> Query(string query)
        {
            using var reply = await host.GetAsync("/vpc-channels?" + query);
            reply.ShouldBe(HttpStatusCode.OK);
            return FamilyHost.Ids(reply, "vpc_channels");
        }

        Assert.Equal([beta], await Query("offset=1&limit=1"));
        Assert.Equal([alpha, beta, alphaTwo], await Query("offset=-1&limit=501"));
        Assert.Equal([beta], await Query($"id={beta}"));
        Assert.Equal([alpha, alphaTwo], await Query("name=ALPHA"));
        Assert.Empty(await Query("name=alpha&precise_search=name"));
        Assert.Equal([alphaTwo], await Query("name=alpha_two&precise_search=name,member_group_name"));
        Assert.Equal([alpha], await Query("dict_code=code_a"));
        Assert.Equal([beta], await Query("member_host=10.1.1.1"));
        Assert.Empty(await Query("member_host=10.1.1"));
        Assert.Equal([beta], await Query("member_port=8443"));
        Assert.Equal([alpha], await Query("member_port=22"));
        Assert.Equal([alphaTwo], await Query("member_port=9000"));
        Assert.Equal([alpha, alphaTwo], await Query("member_group_name=test"));
        Assert.Equal([alpha], await Query("member_group_name=test&precise_search=member_group_name"));

        using var shown = await host.GetAsync($"/vpc-channels/{beta}");
        var blue = FamilyHost.Text(shown.Json.GetProperty("member_groups")[0], "member_group_id");
        Assert.Equal([beta], await Query($"member_group_id={blue}"));

        using var badPort = await host.GetAsync("/vpc-channels?member_port=65536");
        badPort.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "member_port");
        using var notNumber = await host.GetAsync("/vpc-channels?member_port=abc");
        notNumber.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "member_port");
    }
}
