using Gateway.Apig.Common;

namespace Gateway.Apig.Apps;

/// <summary>The credential value checks the managers apply, in one place so they can be tested on their own.</summary>
internal static class AppRules
{
    /// <summary>A custom AppKey; null or empty means "generate one".</summary>
    public static string? OptionalAppKey(string? value) =>
        string.IsNullOrEmpty(value) ? null : Check.Text(value, "app_key", 8, 200, AppPatterns.AppKey());

    /// <summary>A custom AppSecret; null or empty means "generate one".</summary>
    public static string? OptionalAppSecret(string? value) =>
        string.IsNullOrEmpty(value) ? null : Check.Text(value, "app_secret", 8, 128, AppPatterns.AppSecret());

    public static string AppCode(string? value) => Check.Text(value, "app_code", 64, 180, AppPatterns.AppCode());
}
