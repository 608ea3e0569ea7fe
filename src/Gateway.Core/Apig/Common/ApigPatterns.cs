using System.Text.RegularExpressions;

namespace Gateway.Apig.Common;

/// <summary>The documented naming rules (apig.md section 3 "Common naming regexes" and 7.2).</summary>
internal static partial class ApigPatterns
{
    // Chinese characters are the CJK Unified Ideographs block, as in Huawei's own validators.
    private const string Han = @"\u4e00-\u9fa5";

    /// <summary>NAME_GROUP_API: Chinese, letters, digits, - _ . / ( ) （ ） : ： 、; starts with a letter, Chinese character or digit; 3–255.</summary>
    [GeneratedRegex($@"^[A-Za-z0-9{Han}][A-Za-z0-9{Han}\-_./()（）:：、]{{2,254}}\z")]
    public static partial Regex GroupOrApiName();

    /// <summary>NAME_POLICY: Chinese, letters, digits, _; starts with a letter or Chinese character; 3–64.</summary>
    [GeneratedRegex($@"^[A-Za-z{Han}][A-Za-z0-9{Han}_]{{2,63}}\z")]
    public static partial Regex PolicyName();

    /// <summary>NAME_ENV: letters, digits, _; starts with a letter; 3–64.</summary>
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]{2,63}\z")]
    public static partial Regex EnvironmentName();

    /// <summary>Variable names: letters, digits, _, -; starts with a letter; 3–32.</summary>
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_\-]{2,31}\z")]
    public static partial Regex VariableName();

    /// <summary>Variable values: letters, digits, _ - / . :; 1–255.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_\-/.:]{1,255}\z")]
    public static partial Regex VariableValue();

    /// <summary>NAME_PARAM: letters, digits, - _ .; starts with a letter; 1–32.</summary>
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9\-_.]{0,31}\z")]
    public static partial Regex ParameterName();

    /// <summary>Instance names: Chinese, letters, digits, - _; starts with a Chinese character or letter; 3–64.</summary>
    [GeneratedRegex($@"^[A-Za-z{Han}][A-Za-z0-9{Han}\-_]{{2,63}}\z")]
    public static partial Regex InstanceName();

    /// <summary>API tags: letters, digits, Chinese and - * # % . : _; starts with a Chinese character or letter; 1–128.</summary>
    [GeneratedRegex($@"^[A-Za-z{Han}][A-Za-z0-9{Han}\-*#%.:_]{{0,127}}\z")]
    public static partial Regex ApiTag();

    /// <summary>Resource IDs are opaque tokens: letters, digits, - and _ (32-hex IDs and the literal default-environment ID).</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,64}\z")]
    public static partial Regex ResourceId();

    /// <summary>Environment-variable references <c>#name#</c> inside backend addresses and paths.</summary>
    [GeneratedRegex(@"#([A-Za-z][A-Za-z0-9_\-]{2,31})#")]
    public static partial Regex VariableReference();
}
