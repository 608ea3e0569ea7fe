using System.Buffers.Text;

namespace Gateway.Net.DataPlane;

internal sealed partial class GatewayConnection
{
    /// <summary>Frontend parameter checks (<c>req_params</c>): required, and when validation is on, type, range, length and enumeration.</summary>
    private bool CheckParameters(CompiledApi api, int captureCount)
    {
        foreach (var rule in api.RequestParameters)
        {
            var found = TryGetParameter(rule, captureCount, out var value);
            if (!found || value.IsEmpty)
            {
                if (rule.Required && rule.DefaultValue is null)
                {
                    return false;
                }

                continue;
            }

            if (!rule.Validate)
            {
                continue;
            }

            if (rule.IsNumber)
            {
                if (!Utf8Parser.TryParse(value, out long number, out var consumed) || consumed != value.Length ||
                    (rule.Min is { } min && number < min) || (rule.Max is { } max && number > max))
                {
                    return false;
                }
            }
            else
            {
                var length = System.Text.Encoding.UTF8.GetCharCount(value);
                if ((rule.Min is { } min && length < min) || (rule.Max is { } max && length > max))
                {
                    return false;
                }
            }

            if (rule.Enumerations is { } allowed && !IsOneOf(value, allowed))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsOneOf(ReadOnlySpan<byte> value, byte[][] allowed)
    {
        foreach (var candidate in allowed)
        {
            if (value.SequenceEqual(candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The raw value of a frontend parameter in this request (path capture, query value as sent, or header).</summary>
    private bool TryGetParameter(RequestParameterRule rule, int captureCount, out ReadOnlySpan<byte> value)
    {
        switch (rule.Location)
        {
            case ParameterLocation.Path when rule.PathCaptureIndex >= 0 && rule.PathCaptureIndex < captureCount:
            {
                var capture = _captures[rule.PathCaptureIndex];
                value = _head[_head.Path].Slice(capture.Start, capture.Length);
                return true;
            }

            case ParameterLocation.Query:
                return TryGetQueryValue(_head[_head.Query], rule.Name, out value);

            case ParameterLocation.Header:
                return _head.TryGetHeader(rule.Name, out value);

            default:
                value = default;
                return false;
        }
    }

    /// <summary>The first value of <paramref name="name"/> in a raw query (with or without the leading '?').</summary>
    private static bool TryGetQueryValue(ReadOnlySpan<byte> query, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (!query.IsEmpty && query[0] == (byte)'?')
        {
            query = query[1..];
        }

        while (!query.IsEmpty)
        {
            var end = query.IndexOf((byte)'&');
            var pair = end < 0 ? query : query[..end];
            var equals = pair.IndexOf((byte)'=');
            var key = equals < 0 ? pair : pair[..equals];
            if (key.SequenceEqual(name))
            {
                value = equals < 0 ? default : pair[(equals + 1)..];
                return true;
            }

            query = end < 0 ? default : query[(end + 1)..];
        }

        value = default;
        return false;
    }
}
