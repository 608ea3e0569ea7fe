using System.Text.RegularExpressions;
using Gateway.Errors;

namespace Gateway.Apig.Common;

/// <summary>Validation steps that throw the documented APIG error for the named parameter.</summary>
internal static class Check
{
    public static string Required(string? value, string parameter)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw ApigErrors.Missing(parameter);
        }

        return value;
    }

    public static T Required<T>(T? value, string parameter)
        where T : struct =>
        value ?? throw ApigErrors.Missing(parameter);

    public static T Required<T>(T? value, string parameter)
        where T : class =>
        value ?? throw ApigErrors.Missing(parameter);

    /// <summary>Checks length (in UTF-16 code units, as the document counts characters) and, when given, the pattern.</summary>
    public static string Text(string? value, string parameter, int minLength, int maxLength, Regex? pattern = null)
    {
        var text = Required(value, parameter);
        MaxLength(text, parameter, maxLength);
        if (text.Length < minLength || (pattern is not null && !pattern.IsMatch(text)))
        {
            throw ApigErrors.Invalid(parameter);
        }

        return text;
    }

    /// <summary>Like <see cref="Text"/> but null stays null; an empty string is accepted when <paramref name="minLength"/> is 0.</summary>
    public static string? OptionalText(string? value, string parameter, int minLength, int maxLength, Regex? pattern = null)
    {
        if (value is null || (value.Length == 0 && minLength == 0))
        {
            return value;
        }

        MaxLength(value, parameter, maxLength);
        if (value.Length < minLength || (pattern is not null && !pattern.IsMatch(value)))
        {
            throw ApigErrors.Invalid(parameter);
        }

        return value;
    }

    public static void MaxLength(string? value, string parameter, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            throw ApigErrors.TooLarge(parameter);
        }
    }

    public static string OneOf(string? value, string parameter, ReadOnlySpan<string> allowed)
    {
        var text = Required(value, parameter);
        foreach (var candidate in allowed)
        {
            if (string.Equals(candidate, text, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw ApigErrors.Invalid(parameter);
    }

    public static string? OptionalOneOf(string? value, string parameter, ReadOnlySpan<string> allowed) =>
        value is null ? null : OneOf(value, parameter, allowed);

    public static int OneOf(int? value, string parameter, ReadOnlySpan<int> allowed)
    {
        var number = Required(value, parameter);
        foreach (var candidate in allowed)
        {
            if (candidate == number)
            {
                return number;
            }
        }

        throw ApigErrors.Invalid(parameter);
    }

    public static int Range(int? value, string parameter, long min, long max)
    {
        var number = Required(value, parameter);
        if (number < min)
        {
            throw ApigErrors.OutOfRange(parameter);
        }

        if (number > max)
        {
            throw ApigErrors.TooLarge(parameter);
        }

        return number;
    }

    public static void Id(string? value, string parameter)
    {
        if (value is not null && !ApigPatterns.ResourceId().IsMatch(value))
        {
            throw ApigErrors.InvalidId(parameter);
        }
    }
}
