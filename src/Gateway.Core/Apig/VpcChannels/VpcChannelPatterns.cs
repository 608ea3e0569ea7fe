using System.Text.RegularExpressions;

namespace Gateway.Apig.VpcChannels;

/// <summary>The naming rules of 3.17. <c>\z</c> anchors the end, so a trailing newline does not slip through.</summary>
internal static partial class VpcChannelPatterns
{
    // Chinese characters are the CJK Unified Ideographs block, as in the shared naming rules.
    private const string Han = @"\u4e00-\u9fa5";

    /// <summary>NAME_VPC and member group names: Chinese, letters, digits, - _ .; starts with a letter or Chinese character; 3–64.</summary>
    [GeneratedRegex($@"^[A-Za-z{Han}][A-Za-z0-9{Han}\-_.]{{2,63}}\z")]
    public static partial Regex ChannelName();

    /// <summary>dict_code: letters, digits, - _ .; 3–64.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9\-_.]{3,64}\z")]
    public static partial Regex DictCode();

    /// <summary>ecs_id: letters, digits, - _.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9\-_]+\z")]
    public static partial Regex EcsId();

    /// <summary>ecs_name: Chinese, letters, digits, - _ ..</summary>
    [GeneratedRegex($@"^[A-Za-z0-9{Han}\-_.]+\z")]
    public static partial Regex EcsName();

    /// <summary>A host name: dot-separated labels of letters, digits, - and _, each starting and ending with a letter, digit or _.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_]([A-Za-z0-9_\-]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_\-]{0,61}[A-Za-z0-9_])?)*\z")]
    public static partial Regex HostName();

    /// <summary>Microservice label names and values: letters, digits, - _ .; alphanumeric at both ends.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9\-_.]*[A-Za-z0-9])?\z")]
    public static partial Regex Label();

    /// <summary>CCE app_name, label_value and service_name: Chinese, letters, digits, . - _; starts with a letter or Chinese character.</summary>
    [GeneratedRegex($@"^[A-Za-z{Han}][A-Za-z0-9{Han}.\-_]*\z")]
    public static partial Regex WorkloadName();

    /// <summary>CCE label_key: the NAME_GROUP_API characters without 、; starts with a letter, Chinese character or digit.</summary>
    [GeneratedRegex($@"^[A-Za-z0-9{Han}][A-Za-z0-9{Han}\-_./()（）:：]*\z")]
    public static partial Regex WorkloadLabelKey();

    /// <summary>A Kubernetes namespace: lowercase letters, digits and -; starts with a letter and ends alphanumeric.</summary>
    [GeneratedRegex(@"^[a-z]([a-z0-9\-]*[a-z0-9])?\z")]
    public static partial Regex KubernetesNamespace();

    /// <summary>A health-check path: an absolute path of visible ASCII characters.</summary>
    [GeneratedRegex(@"^/[\x21-\x7E]*\z")]
    public static partial Regex HealthPath();
}
