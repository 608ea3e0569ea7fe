using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gateway.Net.DataPlane.Authorizers;

/// <summary>
/// Reads an authorizer's answer. The answer is the body of an HTTP 200 response, in Huawei's authorizer result shape:
/// <code>{"status": "allow" | "deny", "context": {"user": "abc", "level": 3, "admin": false}}</code>
/// The FunctionGraph wrapper <c>{"statusCode": 200, "body": "{\"status\":\"allow\",…}"}</c> is accepted too, so a
/// function written for Huawei answers unchanged. Context values must be strings, numbers or booleans (Huawei refuses
/// objects and arrays); numbers and booleans are kept as their JSON text, null values are skipped. Anything else (no
/// status, another status word, a nested value, a value with control characters that could split a backend header)
/// makes the whole answer invalid.
/// </summary>
internal static class AuthorizerResult
{
    /// <summary>Most context entries taken from one answer.</summary>
    public const int MaxContextEntries = 64;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4, CommentHandling = JsonCommentHandling.Disallow };

    public static bool TryParse(ReadOnlySpan<byte> body, out AuthorizerDecision decision)
    {
        try
        {
            return TryParseCore(body, allowWrapper: true, out decision);
        }
        catch (JsonException)
        {
            decision = null!;
            return false;
        }
    }

    private static bool TryParseCore(ReadOnlySpan<byte> body, bool allowWrapper, out AuthorizerDecision decision)
    {
        decision = null!;
        var reader = new Utf8JsonReader(body, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool? allowed = null;
        List<byte[]>? names = null;
        List<byte[]>? values = null;
        string? wrappedBody = null;
        var wrapperStatusOk = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                var status = reader.GetString()!;
                if (string.Equals(status, "allow", StringComparison.OrdinalIgnoreCase))
                {
                    allowed = true;
                }
                else if (string.Equals(status, "deny", StringComparison.OrdinalIgnoreCase))
                {
                    allowed = false;
                }
                else
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("context"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartObject || !ReadContext(ref reader, names = [], values = []))
                {
                    return false;
                }
            }
            else if (allowWrapper && reader.ValueTextEquals("body"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    wrappedBody = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (allowWrapper && reader.ValueTextEquals("statusCode"u8))
            {
                reader.Read();
                wrapperStatusOk = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var code) && code == 200;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return false; // truncated, or more than one value
        }

        if (allowed is null)
        {
            // The FunctionGraph wrapper: the result is the JSON text in "body".
            return wrappedBody is not null && wrapperStatusOk &&
                TryParseCore(Encoding.UTF8.GetBytes(wrappedBody), allowWrapper: false, out decision);
        }

        decision = allowed.Value
            ? new AuthorizerDecision(true, names is null ? [] : [.. names], values is null ? [] : [.. values])
            : AuthorizerDecision.Deny;
        return true;
    }

    private static bool ReadContext(ref Utf8JsonReader reader, List<byte[]> names, List<byte[]> values)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Encoding.UTF8.GetBytes(reader.GetString()!);
            reader.Read();
            byte[]? value = reader.TokenType switch
            {
                JsonTokenType.String => Encoding.UTF8.GetBytes(reader.GetString()!),
                JsonTokenType.Number => reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray(),
                JsonTokenType.True => "true"u8.ToArray(),
                JsonTokenType.False => "false"u8.ToArray(),
                JsonTokenType.Null => null,
                _ => [0], // object or array: refused below
            };
            if (value is null)
            {
                continue;
            }

            if (name.Length == 0 || HasControl(name) || HasControl(value) || names.Count >= MaxContextEntries)
            {
                return false;
            }

            if (names.FindIndex(existing => existing.AsSpan().SequenceEqual(name)) < 0)
            {
                names.Add(name);
                values.Add(value);
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    private static bool HasControl(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b < 0x20 || b == 0x7F)
            {
                return true;
            }
        }

        return false;
    }
}
