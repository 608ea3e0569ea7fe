using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Net.DataPlane;

/// <summary>
/// Policy backends: the first policy whose conditions hold (ALL: every one, ANY: at least one) serves the request with
/// its own plan; otherwise the default backend does. Values are compared as bytes; patterns run on a per-connection
/// char buffer, so evaluating allocates nothing.
/// </summary>
internal sealed partial class GatewayConnection
{
    private char[] _conditionChars = new char[256];
    private byte[] _conditionBytes = new byte[256];

    /// <summary>The plan that serves this request: the first matching policy's, else the routed API's own.</summary>
    private CompiledApi SelectBackend(CompiledApi api, int captureCount)
    {
        if (api.Policies is not { } policies)
        {
            return api;
        }

        foreach (var policy in policies)
        {
            if (PolicyMatches(policy, api, captureCount))
            {
                return policy.Plan;
            }
        }

        return api;
    }

    private bool PolicyMatches(CompiledPolicy policy, CompiledApi api, int captureCount)
    {
        foreach (var condition in policy.Conditions)
        {
            var holds = ConditionHolds(condition, api, captureCount);
            if (holds != policy.MatchAll)
            {
                return holds; // ANY: the first that holds decides; ALL: the first that fails does
            }
        }

        return policy.MatchAll && policy.Conditions.Length > 0;
    }

    private bool ConditionHolds(CompiledCondition condition, CompiledApi api, int captureCount)
    {
        ReadOnlySpan<byte> value;
        switch (condition.Source)
        {
            case ConditionSource.Parameter:
            {
                var rule = api.RequestParameters[condition.ParameterIndex];
                if (TryGetParameter(rule, captureCount, out var raw) && !raw.IsEmpty)
                {
                    value = rule.Location == ParameterLocation.Query ? DecodeQueryValue(raw) : raw;
                }
                else if (rule.DefaultValue is { } fallback)
                {
                    value = fallback;
                }
                else
                {
                    return false;
                }

                break;
            }

            case ConditionSource.SourceIp when condition.Match == ConditionMatch.Networks:
                return SourceIn(condition.Networks);
            case ConditionSource.SourceIp:
                value = SourceIp();
                break;
            case ConditionSource.RequestPath:
                value = _head[_head.Path];
                break;
            case ConditionSource.RequestMethod:
                value = _head[_head.MethodName];
                break;
            case ConditionSource.Cookie:
                if (!_head.TryGetHeader("Cookie"u8, out var cookies) || !TryGetCookie(cookies, condition.Name, out value))
                {
                    return false;
                }

                break;
            case ConditionSource.AuthorizerOutput:
                // The context the frontend authorizer returned for this request (GatewayConnection.Authorizer.cs).
                if (_authorizerDecision is not { } decision || _authorizerRequest != _requestCount || !decision.TryGet(condition.Name, out value))
                {
                    return false;
                }

                break;
            default:
                return false; // undeclared sources never match
        }

        return ValueMatches(condition, value);
    }

    private bool ValueMatches(CompiledCondition condition, ReadOnlySpan<byte> value)
    {
        switch (condition.Match)
        {
            case ConditionMatch.Exact:
                return value.SequenceEqual(condition.Value);
            case ConditionMatch.Enum:
                return IsOneOf(value, condition.Values);
            case ConditionMatch.Pattern when condition.Pattern is { } pattern:
            {
                var needed = Encoding.UTF8.GetMaxCharCount(value.Length);
                if (needed > _conditionChars.Length)
                {
                    _conditionChars = new char[Math.Max(needed, _conditionChars.Length * 2)];
                }

                var length = Encoding.UTF8.GetChars(value, _conditionChars);
                try
                {
                    return pattern.IsMatch(_conditionChars.AsSpan(0, length));
                }
                catch (RegexMatchTimeoutException)
                {
                    return false; // a pattern that needs backtracking ran out of time on this value
                }
            }

            default:
                return false;
        }
    }

    private bool SourceIn(AddressBlock[] networks)
    {
        Span<byte> address = stackalloc byte[16];
        if (ClientAddress() is not { } client || !client.TryWriteBytes(address, out var written))
        {
            return false;
        }

        var bytes = address[..written];
        if (written == 16 && client.IsIPv4MappedToIPv6)
        {
            bytes = bytes[12..];
        }

        foreach (var network in networks)
        {
            if (network.Contains(bytes))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A query value with its percent-escapes and '+' decoded (into a per-connection buffer).</summary>
    private ReadOnlySpan<byte> DecodeQueryValue(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOfAny((byte)'%', (byte)'+') < 0)
        {
            return raw;
        }

        if (raw.Length > _conditionBytes.Length)
        {
            _conditionBytes = new byte[Math.Max(raw.Length, _conditionBytes.Length * 2)];
        }

        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == (byte)'+')
            {
                b = (byte)' ';
            }
            else if (b == (byte)'%' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
            {
                b = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                i += 2;
            }

            _conditionBytes[length++] = b;
        }

        return _conditionBytes.AsSpan(0, length);
    }

    private static bool IsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    private static int HexValue(byte b) => b <= (byte)'9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>The value of cookie <paramref name="name"/> in a Cookie header (<c>a=1; b=2</c>).</summary>
    internal static bool TryGetCookie(ReadOnlySpan<byte> header, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        while (!header.IsEmpty)
        {
            var end = header.IndexOf((byte)';');
            var pair = end < 0 ? header : header[..end];
            pair = pair[System.Text.Ascii.Trim(pair)];
            var equals = pair.IndexOf((byte)'=');
            if (equals > 0 && pair[..equals].TrimEnd((byte)' ').SequenceEqual(name))
            {
                value = pair[(equals + 1)..].TrimStart((byte)' ');
                if (value.Length >= 2 && value[0] == (byte)'"' && value[^1] == (byte)'"')
                {
                    value = value[1..^1];
                }

                return true;
            }

            header = end < 0 ? default : header[(end + 1)..];
        }

        value = default;
        return false;
    }
}
