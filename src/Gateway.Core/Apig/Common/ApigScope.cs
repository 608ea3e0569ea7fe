namespace Gateway.Apig.Common;

/// <summary>The project and gateway instance a management call addresses.</summary>
internal readonly record struct ApigScope(string ProjectId, string InstanceId);

/// <summary>Store key layout of APIG resources.</summary>
internal static class ApigKeys
{
    public const string Root = "apig/";

    public static string ProjectFence(string projectId) => $"apig/projects/{projectId}/fence";

    public static string Instances(string projectId) => $"apig/projects/{projectId}/instances/";

    public static string Instance(string projectId, string instanceId) => $"{Instances(projectId)}{instanceId}";

    /// <summary>Instance IDs are unique across projects; this index maps an ID to its project.</summary>
    public static string InstanceIdIndex(string instanceId) => $"apig/instance-ids/{instanceId}";

    public static string InstancePrefix(string instanceId) => $"apig/inst/{instanceId}/";

    public static string InstanceFence(string instanceId) => $"apig/inst/{instanceId}/fence";

    public static string Groups(string instanceId) => $"apig/inst/{instanceId}/groups/";

    public static string Group(string instanceId, string groupId) => Groups(instanceId) + groupId;

    public static string Environments(string instanceId) => $"apig/inst/{instanceId}/envs/";

    public static string Environment(string instanceId, string envId) => Environments(instanceId) + envId;

    public static string Variables(string instanceId) => $"apig/inst/{instanceId}/variables/";

    public static string Variable(string instanceId, string variableId) => Variables(instanceId) + variableId;

    public static string Apis(string instanceId) => $"apig/inst/{instanceId}/apis/";

    public static string Api(string instanceId, string apiId) => Apis(instanceId) + apiId;

    public static string ApiVersions(string instanceId) => $"apig/inst/{instanceId}/api-versions/";

    public static string ApiVersion(string instanceId, string versionId) => ApiVersions(instanceId) + versionId;

    public static string Publications(string instanceId) => $"apig/inst/{instanceId}/publications/";

    /// <summary>The effective publication of one API in one environment.</summary>
    public static string Publication(string instanceId, string apiId, string envId) => $"{Publications(instanceId)}{apiId}:{envId}";
}
