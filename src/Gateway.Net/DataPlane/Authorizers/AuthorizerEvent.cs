using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Gateway.Net.DataPlane.Authorizers;

/// <summary>
/// The JSON event the gateway POSTs to a FRONTEND custom authorizer, modelled on the event FunctionGraph functions get
/// from Huawei APIG:
/// <code>
/// {
///   "type": "FRONTEND",
///   "httpMethod": "GET",
///   "path": "/orders/42",                         // as sent, still percent-encoded
///   "headers": {"authorization": "Bearer x"},      // names lower-cased; repeated headers joined with ","
///   "queryStringParameters": {"id": "42"},         // percent-decoded ('+' kept); repeated keys joined with ","
///   "requestContext": {"apiId": "…", "requestId": "…", "stage": "RELEASE", "sourceIp": "127.0.0.1"},
///   "user_data": "…",                              // the authorizer's user_data, "" when unset
///   "body": "",                                    // need_body: the request body, else ""
///   "isBase64Encoded": false                       // true when the body is not UTF-8 text and is sent base64
/// }
/// </code>
/// Building it allocates; it is built only when the decision is not cached, next to a network call.
/// </summary>
internal static class AuthorizerEvent
{
    public static void Write(
        Utf8JsonWriter json,
        RequestHead head,
        ReadOnlySpan<byte> apiId,
        ReadOnlySpan<byte> stage,
        ReadOnlySpan<byte> requestId,
        ReadOnlySpan<byte> sourceIp,
        string? userData,
        ReadOnlySpan<byte> body = default)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "FRONTEND"u8);
        WriteText(json, "httpMethod"u8, head[head.MethodName]);
        WriteText(json, "path"u8, head[head.Path]);

        json.WriteStartObject("headers"u8);
        foreach (var (name, value) in Headers(head))
        {
            json.WriteString(name, value);
        }

        json.WriteEndObject();

        json.WriteStartObject("queryStringParameters"u8);
        foreach (var (name, value) in Query(head[head.Query]))
        {
            json.WriteString(name, value);
        }

        json.WriteEndObject();

        json.WriteStartObject("requestContext"u8);
        WriteText(json, "apiId"u8, apiId);
        WriteText(json, "requestId"u8, requestId);
        WriteText(json, "stage"u8, stage.IsEmpty ? "RELEASE"u8 : stage);
        WriteText(json, "sourceIp"u8, sourceIp);
        json.WriteEndObject();

        json.WriteString("user_data"u8, userData ?? string.Empty);
        // Text bodies go as they are; anything that is not valid UTF-8 goes base64, as FunctionGraph events carry it.
        var text = Utf8.IsValid(body);
        if (text)
        {
            json.WriteString("body"u8, body);
        }
        else
        {
            json.WriteBase64String("body"u8, body);
        }

        json.WriteBoolean("isBase64Encoded"u8, !text);
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>Header fields with lower-case names, repeated names joined in order of arrival.</summary>
    internal static Dictionary<string, string> Headers(RequestHead head)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var header in head.Headers)
        {
            var name = Encoding.ASCII.GetString(head[header.Name]).ToLowerInvariant();
            var value = Decode(head[header.Value]);
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + "," + value : value;
        }

        return headers;
    }

    /// <summary>Query parameters, percent-decoded; empty names skipped; repeated names joined in order.</summary>
    internal static Dictionary<string, string> Query(ReadOnlySpan<byte> query)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!query.IsEmpty && query[0] == (byte)'?')
        {
            query = query[1..];
        }

        while (!query.IsEmpty)
        {
            var end = query.IndexOf((byte)'&');
            var pair = end < 0 ? query : query[..end];
            query = end < 0 ? default : query[(end + 1)..];
            var equals = pair.IndexOf((byte)'=');
            var name = Unescape(equals < 0 ? pair : pair[..equals]);
            if (name.Length == 0)
            {
                continue;
            }

            var value = equals < 0 ? string.Empty : Unescape(pair[(equals + 1)..]);
            parameters[name] = parameters.TryGetValue(name, out var earlier) ? earlier + "," + value : value;
        }

        return parameters;
    }

    private static string Unescape(ReadOnlySpan<byte> raw) => Uri.UnescapeDataString(Decode(raw));

    /// <summary>UTF-8 text, or Latin-1 for bytes that are not valid UTF-8 (obs-text in a header): never throws.</summary>
    private static string Decode(ReadOnlySpan<byte> bytes) =>
        Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);

    private static void WriteText(Utf8JsonWriter json, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (Utf8.IsValid(value))
        {
            json.WriteString(name, value);
        }
        else
        {
            json.WriteString(name, Encoding.Latin1.GetString(value));
        }
    }
}
