using System.Text.RegularExpressions;

namespace Gateway.Apig.Apps;

/// <summary>The documented credential formats (apig.md 3.28 and section 0).</summary>
internal static partial class AppPatterns
{
    /// <summary>app_key: letters, digits, _ and -; starts with a letter or digit; 8–200.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_\-]{7,199}$")]
    public static partial Regex AppKey();

    /// <summary>app_secret: letters, digits, _ - ! @ # $ %; starts with a letter or digit; 8–128.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_\-!@#$%]{7,127}$")]
    public static partial Regex AppSecret();

    /// <summary>
    /// app_code: letters, digits and + _ ! @ # $ % - / =; starts with a letter, digit, + or /; 64–180. The printed
    /// charsets are garbled five different ways; this is the canonical set of apig.md section 0.
    /// </summary>
    [GeneratedRegex(@"^[A-Za-z0-9+/][A-Za-z0-9+_!@#$%\-/=]{63,179}$")]
    public static partial Regex AppCode();
}
