using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gateway.Apig.Common;
using Gateway.Errors;

namespace Gateway.Apig.VpcChannels;

/// <summary>The validated channel fields of a 3.17.1/3.17.2 body; null lists mean "not given".</summary>
internal sealed record ChannelDefinition(
    string Name,
    int Port,
    int BalanceStrategy,
    string MemberType,
    int Type,
    string DictCode,
    List<MemberGroupDefinition>? Groups,
    List<MemberDefinition>? Members,
    HealthCheckDefinition? Health,
    MicroserviceDefinition? Microservice);

/// <summary>A validated member. <see cref="Address"/> identifies it within its channel (host for ip, ecs_id for ecs).</summary>
internal sealed record MemberDefinition(
    string At,
    string Address,
    string? Host,
    int Weight,
    bool IsBackup,
    string? GroupName,
    int Status,
    int Port,
    string EcsId,
    string EcsName);

/// <summary>A validated member group.</summary>
internal sealed record MemberGroupDefinition(
    string Name,
    string? Remark,
    int? Weight,
    string? DictCode,
    string? MicroserviceVersion,
    int? MicroservicePort,
    List<MicroserviceLabel> Labels);

/// <summary>A validated health check.</summary>
internal sealed record HealthCheckDefinition(
    string Protocol,
    string? Path,
    string Method,
    int Port,
    int ThresholdNormal,
    int ThresholdAbnormal,
    int TimeInterval,
    string? HttpCode,
    bool EnableClientSsl,
    int Status,
    int Timeout)
{
    public VpcHealthConfig ToConfig(string id, string channelId, string createTime) => new()
    {
        Protocol = Protocol,
        Path = Path,
        Method = Method,
        Port = Port,
        ThresholdNormal = ThresholdNormal,
        ThresholdAbnormal = ThresholdAbnormal,
        TimeInterval = TimeInterval,
        HttpCode = HttpCode,
        EnableClientSsl = EnableClientSsl,
        Status = Status,
        Timeout = Timeout,
        VpcChannelId = channelId,
        Id = id,
        CreateTime = createTime,
    };
}

/// <summary>A validated microservice description.</summary>
internal sealed record MicroserviceDefinition(string? ServiceType, CseInfo? Cse, CceInfo? Cce, CceServiceInfo? CceService);

/// <summary>
/// Checks every documented field rule of 3.17 bodies and applies the defaults. Rules that need the store (name
/// uniqueness, group references, quotas) are the manager's.
/// </summary>
/// <remarks>
/// Error codes: missing → APIG.2001, too long or above the maximum → APIG.2003, below the minimum → APIG.2004, bad enum
/// value, pattern or cross-field rule → APIG.2011, malformed ID → APIG.2012. Parameters are named by their JSON path,
/// e.g. <c>members[1].weight</c> or <c>vpc_health_config.timeout</c>.
/// </remarks>
internal static class VpcChannelValidator
{
    /// <summary>VPC_INSTANCE_NUM_LIMIT. The document gives no value; 200 is Huawei's published default.</summary>
    public const int MaxMembersPerChannel = 200;

    public const int MaxHealthPathLength = 512;
    public const int MaxHttpCodeLength = 255;

    private static readonly int[] BalanceStrategies = [1, 2, 3, 4];
    private static readonly string[] MemberTypes = ["ip", "ecs"];
    private static readonly int[] ChannelTypes = [2, 3];
    private static readonly int[] Statuses = [1, 2];
    private static readonly string[] Protocols = ["TCP", "HTTP", "HTTPS"];
    private static readonly string[] HealthMethods = ["GET", "HEAD"];
    private static readonly string[] ServiceTypes = ["CSE", "CCE", "CCE_SERVICE"];
    private static readonly string[] WorkloadTypes = ["deployment", "statefulset", "daemonset"];

    /// <summary>The channel's fields, members, groups, health check and microservice.</summary>
    public static ChannelDefinition Channel(VpcChannelRequest request)
    {
        var name = Check.Text(request.Name, "name", 3, 64, VpcChannelPatterns.ChannelName());
        var port = Check.Range(request.Port, "port", 1, 65535);

        // balance_strategy and member_type are marked mandatory but also given defaults; the defaults apply when omitted.
        var balanceStrategy = request.BalanceStrategy is null ? 1 : Check.OneOf(request.BalanceStrategy, "balance_strategy", BalanceStrategies);
        var memberType = request.MemberType is null ? "ecs" : Check.OneOf(request.MemberType, "member_type", MemberTypes);
        var type = request.Type is null ? 2 : Check.OneOf(request.Type, "type", ChannelTypes);
        var dictCode = DictCode(request.DictCode, "dict_code") ?? "";
        var groups = request.MemberGroups is null ? null : Groups(request.MemberGroups, "member_groups");
        var members = request.Members is null ? null : Members(request.Members, "members", memberType);
        var health = request.VpcHealthConfig is null ? null : Health(request.VpcHealthConfig, "vpc_health_config");
        var microservice = request.MicroserviceInfo is null ? null : Microservice(request.MicroserviceInfo, "microservice_info");
        return new ChannelDefinition(name, port, balanceStrategy, memberType, type, dictCode, groups, members, health, microservice);
    }

    /// <summary>Validates members; for repeated addresses the first definition wins (3.17.6).</summary>
    public static List<MemberDefinition> Members(List<MemberInput?> inputs, string at, string memberType)
    {
        var members = new List<MemberDefinition>(inputs.Count);
        var addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < inputs.Count; i++)
        {
            var member = Member(inputs[i], $"{at}[{i}]", memberType);
            if (addresses.Add(member.Address))
            {
                members.Add(member);
            }
        }

        return members;
    }

    /// <summary>
    /// One member. ip members need a host and echo it as ecs_id/ecs_name; ecs members need ecs_id and ecs_name and may
    /// give a host (the server's address, which the data plane connects to). An omitted or 0 port means the channel's.
    /// </summary>
    public static MemberDefinition Member(MemberInput? input, string at, string memberType)
    {
        var member = Check.Required(input, at);
        var weight = member.Weight is null ? 1 : Check.Range(member.Weight, $"{at}.weight", 0, 10000);
        var status = member.Status is null ? 1 : Check.OneOf(member.Status, $"{at}.status", Statuses);
        var port = member.Port is null ? 0 : Check.Range(member.Port, $"{at}.port", 0, 65535);
        var groupName = string.IsNullOrEmpty(member.MemberGroupName)
            ? null
            : Check.Text(member.MemberGroupName, $"{at}.member_group_name", 3, 64, VpcChannelPatterns.ChannelName());
        string? host = null;
        if (memberType == "ip" || !string.IsNullOrEmpty(member.Host))
        {
            host = Host(member.Host, $"{at}.host");
        }

        if (memberType == "ip")
        {
            return new MemberDefinition(at, host!, host, weight, member.IsBackup ?? false, groupName, status, port, host!, host!);
        }

        var ecsId = Check.Text(member.EcsId, $"{at}.ecs_id", 1, 64, VpcChannelPatterns.EcsId());
        var ecsName = Check.Text(member.EcsName, $"{at}.ecs_name", 1, 64, VpcChannelPatterns.EcsName());
        return new MemberDefinition(at, ecsId, host, weight, member.IsBackup ?? false, groupName, status, port, ecsId, ecsName);
    }

    /// <summary>Validates member groups; for repeated names the first definition wins (3.17.13).</summary>
    public static List<MemberGroupDefinition> Groups(List<MemberGroupInput?> inputs, string at)
    {
        var groups = new List<MemberGroupDefinition>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var group = Group(inputs[i], $"{at}[{i}]");
            if (!groups.Exists(existing => string.Equals(existing.Name, group.Name, StringComparison.Ordinal)))
            {
                groups.Add(group);
            }
        }

        return groups;
    }

    /// <summary>One member group. The microservice fields are kept for any channel type; only microservice channels use them.</summary>
    public static MemberGroupDefinition Group(MemberGroupInput? input, string at)
    {
        var group = Check.Required(input, at);
        var prefix = at.Length == 0 ? "" : at + ".";
        var name = Check.Text(group.MemberGroupName, $"{prefix}member_group_name", 3, 64, VpcChannelPatterns.ChannelName());
        Check.MaxLength(group.MemberGroupRemark, $"{prefix}member_group_remark", 255);
        var weight = group.MemberGroupWeight is null ? (int?)null : Check.Range(group.MemberGroupWeight, $"{prefix}member_group_weight", 0, 100);
        var dictCode = DictCode(group.DictCode, $"{prefix}dict_code");
        Check.MaxLength(group.MicroserviceVersion, $"{prefix}microservice_version", 64);
        var microservicePort = group.MicroservicePort is null ? (int?)null : Check.Range(group.MicroservicePort, $"{prefix}microservice_port", 0, 65535);
        var labels = new List<MicroserviceLabel>();
        if (group.MicroserviceLabels is { } inputs)
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var labelAt = $"{prefix}microservice_labels[{i}]";
                var label = Check.Required(inputs[i], labelAt);
                labels.Add(new MicroserviceLabel
                {
                    LabelName = Check.Text(label.LabelName, $"{labelAt}.label_name", 1, 63, VpcChannelPatterns.Label()),
                    LabelValue = Check.Text(label.LabelValue, $"{labelAt}.label_value", 1, 63, VpcChannelPatterns.Label()),
                });
            }
        }

        return new MemberGroupDefinition(name, group.MemberGroupRemark, weight, dictCode, group.MicroserviceVersion, microservicePort, labels);
    }

    /// <summary>
    /// A health check. protocol and method are accepted in any case and kept as sent (the documented examples send
    /// <c>http</c>). path is required for HTTP and HTTPS, http_code for HTTP (HTTPS defaults to 200). time_interval must
    /// exceed timeout.
    /// </summary>
    public static HealthCheckDefinition Health(HealthConfigInput input, string at)
    {
        var prefix = at.Length == 0 ? "" : at + ".";
        var protocol = Check.Required(input.Protocol, $"{prefix}protocol");
        var canonicalProtocol = Canonical(protocol, $"{prefix}protocol", Protocols);
        var method = string.IsNullOrEmpty(input.Method) ? "GET" : input.Method;
        Canonical(method, $"{prefix}method", HealthMethods);
        var port = input.Port is null ? 0 : Check.Range(input.Port, $"{prefix}port", 0, 65535);
        var thresholdNormal = Check.Range(input.ThresholdNormal, $"{prefix}threshold_normal", 1, 10);
        var thresholdAbnormal = Check.Range(input.ThresholdAbnormal, $"{prefix}threshold_abnormal", 1, 10);
        var timeInterval = Check.Range(input.TimeInterval, $"{prefix}time_interval", 1, 300);
        var timeout = Check.Range(input.Timeout, $"{prefix}timeout", 1, 30);
        if (timeInterval <= timeout)
        {
            throw VpcChannelErrors.Invalid($"{prefix}time_interval", "time_interval must be greater than timeout");
        }

        var status = input.Status is null ? 1 : Check.OneOf(input.Status, $"{prefix}status", Statuses);
        string? path = null;
        if (canonicalProtocol != "TCP" || !string.IsNullOrEmpty(input.Path))
        {
            path = Check.Text(input.Path, $"{prefix}path", 1, MaxHealthPathLength, VpcChannelPatterns.HealthPath());
        }

        var httpCode = input.HttpCode;
        if (string.IsNullOrEmpty(httpCode))
        {
            httpCode = canonicalProtocol switch
            {
                "HTTP" => throw ApigErrors.Missing($"{prefix}http_code"),
                "HTTPS" => "200",
                _ => null,
            };
        }
        else
        {
            Check.MaxLength(httpCode, $"{prefix}http_code", MaxHttpCodeLength);
            if (!IsHttpCodeList(httpCode))
            {
                throw VpcChannelErrors.Invalid($"{prefix}http_code", "Use codes 100-599 as a list (200,201), a range (200-299) or both (201,210-299)");
            }
        }

        return new HealthCheckDefinition(protocol, path, method, port, thresholdNormal, thresholdAbnormal, timeInterval, httpCode,
            input.EnableClientSsl ?? false, status, timeout);
    }

    /// <summary>
    /// Whether <paramref name="value"/> is a comma-separated list of HTTP codes (100–599) and ascending ranges of them,
    /// e.g. <c>200</c>, <c>200,201,202</c>, <c>200-299</c> or <c>201,202,210-299</c>.
    /// </summary>
    public static bool IsHttpCodeList(string value)
    {
        foreach (var item in value.Split(','))
        {
            var dash = item.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (!IsHttpCode(item, out _))
                {
                    return false;
                }
            }
            else if (!IsHttpCode(item[..dash], out var low) || !IsHttpCode(item[(dash + 1)..], out var high) || low > high)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The microservice a type-3 channel follows. Each info block is required by its service_type.</summary>
    public static MicroserviceDefinition Microservice(MicroserviceInput input, string at)
    {
        var serviceType = input.ServiceType is null ? null : Check.OneOf(input.ServiceType, $"{at}.service_type", ServiceTypes);
        CseInfo? cse = null;
        CceInfo? cce = null;
        CceServiceInfo? cceService = null;
        if (input.CseInfo is not null || serviceType == "CSE")
        {
            var cseAt = $"{at}.cse_info";
            var info = Check.Required(input.CseInfo, cseAt);
            cse = new CseInfo
            {
                EngineId = Check.Text(info.EngineId, $"{cseAt}.engine_id", 1, 64),
                ServiceId = Check.Text(info.ServiceId, $"{cseAt}.service_id", 1, 64),
            };
        }

        if (input.CceInfo is not null || serviceType == "CCE")
        {
            cce = Cce(Check.Required(input.CceInfo, $"{at}.cce_info"), $"{at}.cce_info");
        }

        if (input.CceServiceInfo is not null || serviceType == "CCE_SERVICE")
        {
            var serviceAt = $"{at}.cce_service_info";
            var info = Check.Required(input.CceServiceInfo, serviceAt);
            cceService = new CceServiceInfo
            {
                ClusterId = Check.Text(info.ClusterId, $"{serviceAt}.cluster_id", 1, 64),
                Namespace = Check.Text(info.Namespace, $"{serviceAt}.namespace", 1, 63, VpcChannelPatterns.KubernetesNamespace()),
                ServiceName = Check.Text(info.ServiceName, $"{serviceAt}.service_name", 1, 64, VpcChannelPatterns.WorkloadName()),
            };
        }

        return new MicroserviceDefinition(serviceType, cse, cce, cceService);
    }

    /// <summary>A member's host: an IPv4 or IPv6 address or a host name, at most 64 characters.</summary>
    public static string Host(string? value, string parameter)
    {
        var host = Check.Required(value, parameter);
        Check.MaxLength(host, parameter, 64);
        if (!IsHost(host))
        {
            throw ApigErrors.Invalid(parameter);
        }

        return host;
    }

    private static bool IsHost(string host)
    {
        if (host.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        // Names made of digits and dots only must be dotted-quad IPv4 addresses ("10.0.0.256" and "1" are not hosts).
        if (host.AsSpan().IndexOfAnyExcept("0123456789.") < 0)
        {
            var parts = host.Split('.');
            return parts.Length == 4 && Array.TrueForAll(parts, part => part.Length is >= 1 and <= 3 && int.Parse(part, CultureInfo.InvariantCulture) <= 255);
        }

        return VpcChannelPatterns.HostName().IsMatch(host);
    }

    private static CceInfo Cce(CceInput info, string at)
    {
        var clusterId = Check.Text(info.ClusterId, $"{at}.cluster_id", 1, 64);
        var @namespace = Check.Text(info.Namespace, $"{at}.namespace", 1, 64);
        var workloadType = Check.OneOf(info.WorkloadType, $"{at}.workload_type", WorkloadTypes);
        var appName = Check.OptionalText(info.AppName, $"{at}.app_name", 1, 64, VpcChannelPatterns.WorkloadName());
        var labelKey = Check.OptionalText(info.LabelKey, $"{at}.label_key", 1, 64, VpcChannelPatterns.WorkloadLabelKey());
        var labelValue = Check.OptionalText(info.LabelValue, $"{at}.label_value", 1, 64, VpcChannelPatterns.WorkloadName());

        // Either app_name or the (label_key, label_value) pair identifies the workload.
        if (labelKey is not null && labelValue is null)
        {
            throw ApigErrors.Missing($"{at}.label_value");
        }

        if (labelValue is not null && labelKey is null)
        {
            throw ApigErrors.Missing($"{at}.label_key");
        }

        if (appName is null && labelKey is null)
        {
            throw ApigErrors.Missing($"{at}.app_name");
        }

        return new CceInfo
        {
            ClusterId = clusterId,
            Namespace = @namespace,
            WorkloadType = workloadType,
            AppName = appName,
            LabelKey = labelKey,
            LabelValue = labelValue,
        };
    }

    private static string? DictCode(string? value, string parameter) =>
        string.IsNullOrEmpty(value) ? null : Check.Text(value, parameter, 3, 64, VpcChannelPatterns.DictCode());

    private static string Canonical(string value, string parameter, string[] allowed)
    {
        foreach (var candidate in allowed)
        {
            if (string.Equals(candidate, value, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        throw ApigErrors.Invalid(parameter);
    }

    private static bool IsHttpCode(string text, out int code)
    {
        code = 0;
        return text.Length == 3 &&
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code) &&
            code is >= 100 and <= 599;
    }
}
