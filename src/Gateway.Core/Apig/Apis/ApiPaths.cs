using System.Net;
using System.Net.Sockets;
using Gateway.Apig.Common;

namespace Gateway.Apig.Apis;

/// <summary>
/// The syntax of request paths (<c>req_uri</c>) and backend addresses (<c>url_domain</c>).
/// </summary>
/// <remarks>
/// A path template starts with <c>/</c> and is a sequence of <c>/</c>-separated segments; only the last segment may be
/// empty (so <c>/</c> and a trailing slash are allowed, <c>//</c> is not). A segment is either a whole path parameter,
/// <c>{name}</c>, or a literal of letters, digits, <c>* - _ .</c> and <c>%</c>-escapes (<c>%</c> plus two hex digits).
/// The last segment may instead be a greedy parameter <c>{name+}</c> that takes the rest of the path. Parameter names
/// follow NAME_PARAM and appear once per path. Backend paths may also carry environment-variable references
/// <c>#name#</c> inside literal segments.
/// </remarks>
internal static class ApiPaths
{
    public const int MaxLength = 512;

    /// <summary>Parses a path template; returns its parameter names in order, or null when the path breaks the rules.</summary>
    public static List<string>? ParseTemplate(string path, bool allowVariables)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return null;
        }

        var names = new List<string>();
        var segments = path[1..].Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var isLast = i == segments.Length - 1;
            if (segment.Length == 0)
            {
                if (!isLast)
                {
                    return null;
                }

                continue;
            }

            if (segment[0] != '{')
            {
                if (!IsLiteral(segment, allowVariables))
                {
                    return null;
                }

                continue;
            }

            if (segment[^1] != '}')
            {
                return null;
            }

            var name = segment[1..^1];
            if (name.EndsWith('+'))
            {
                if (!isLast)
                {
                    return null;
                }

                name = name[..^1];
            }

            if (!ApigPatterns.ParameterName().IsMatch(name) || names.Contains(name, StringComparer.Ordinal))
            {
                return null;
            }

            names.Add(name);
        }

        return names;
    }

    private static bool IsLiteral(string segment, bool allowVariables)
    {
        var i = 0;
        while (i < segment.Length)
        {
            var c = segment[i];
            if (c == '%')
            {
                if (i + 2 >= segment.Length || !char.IsAsciiHexDigit(segment[i + 1]) || !char.IsAsciiHexDigit(segment[i + 2]))
                {
                    return false;
                }

                i += 3;
            }
            else if (c == '#' && allowVariables)
            {
                var end = segment.IndexOf('#', i + 1);
                if (end < 0 || !ApigPatterns.VariableName().IsMatch(segment.AsSpan(i + 1, end - i - 1)))
                {
                    return false;
                }

                i = end + 1;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '*' or '-' or '_' or '.')
            {
                i++;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Checks a backend address: <c>host</c> or <c>host:port</c>, where host is a domain name, an IPv4 address or a
    /// bracketed IPv6 address and port is 1–65535; environment variables (<c>#name#</c>) may stand for any part.
    /// </summary>
    public static void CheckUrlDomain(string value, string parameter)
    {
        if (value.Contains("://", StringComparison.Ordinal))
        {
            throw ApiErrors.InvalidUrlDomain(parameter);
        }

        string host;
        string? port;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(value.AsSpan(1, close - 1), out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw ApiErrors.InvalidUrlDomain(parameter);
            }

            var rest = value[(close + 1)..];
            if (rest.Length > 0 && rest[0] != ':')
            {
                throw ApiErrors.InvalidUrlDomain(parameter);
            }

            host = "ipv6";
            port = rest.Length == 0 ? null : rest[1..];
        }
        else
        {
            var colon = value.LastIndexOf(':');
            host = colon < 0 ? value : value[..colon];
            port = colon < 0 ? null : value[(colon + 1)..];
        }

        if (!IsHost(host))
        {
            throw ApiErrors.InvalidUrlDomain(parameter);
        }

        if (port is not null && !IsPort(port))
        {
            throw ApiErrors.InvalidPort(parameter);
        }
    }

    private static bool IsHost(string host)
    {
        var withoutVariables = ApigPatterns.VariableReference().Replace(host, "v");
        if (withoutVariables.Length == 0)
        {
            return false;
        }

        foreach (var c in withoutVariables)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPort(string port)
    {
        if (ApigPatterns.VariableReference().Match(port) is { Success: true } match && match.Length == port.Length)
        {
            return true;
        }

        if (port.Length is 0 or > 5)
        {
            return false;
        }

        foreach (var c in port)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        var number = int.Parse(port, System.Globalization.CultureInfo.InvariantCulture);
        return number is >= 1 and <= 65535;
    }
}
