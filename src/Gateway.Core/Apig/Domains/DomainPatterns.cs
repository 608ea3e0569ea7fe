using System.Text.RegularExpressions;

namespace Gateway.Apig.Domains;

/// <summary>Naming rules of the domain family.</summary>
internal static partial class DomainPatterns
{
    /// <summary>Certificate names: Chinese, letters, digits, _; starts with a letter or Chinese character; 4–50.</summary>
    [GeneratedRegex(@"^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_]{3,49}$")]
    public static partial Regex CertificateName();
}
