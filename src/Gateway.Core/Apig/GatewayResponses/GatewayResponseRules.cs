using System.Text.RegularExpressions;
using Gateway.Apig.Common;
using Gateway.Errors;

namespace Gateway.Apig.GatewayResponses;

/// <summary>Validation of gateway-response bodies: names, error types, statuses and headers.</summary>
internal static partial class GatewayResponseRules
{
    /// <summary>ResponseInfo headers: 0–10.</summary>
    public const int MaxHeaders = 10;

    /// <summary>The document prints no limit for body templates; this matches its other long text fields.</summary>
    public const int MaxBodyLength = 20480;

    public static string Name(string? value) => Check.Text(value, "name", 1, 64, ResponseName());

    /// <summary>The canonical error type of a path segment or map key, or APIG.2011 naming <paramref name="parameter"/>.</summary>
    public static string Type(string? value, string parameter) =>
        GatewayResponseCatalog.Normalize(value) ?? throw ApigErrors.Invalid(parameter);

    /// <summary>The customizations of a <c>responses</c> map, keyed by canonical type.</summary>
    public static Dictionary<string, ResponseCustomization> Responses(Dictionary<string, ResponseInfoInput?> inputs)
    {
        var customized = new Dictionary<string, ResponseCustomization>(StringComparer.Ordinal);
        foreach (var (key, input) in inputs)
        {
            var at = $"responses.{key}";
            var type = Type(key, at);
            if (customized.ContainsKey(type))
            {
                throw GatewayResponseErrors.DuplicateType(at);
            }

            customized[type] = Customization(input ?? throw ApigErrors.Invalid(at), $"{at}.");
        }

        return customized;
    }

    /// <summary>One ResponseInfo; <paramref name="prefix"/> is prepended to the parameter names ("" for 3.19.6).</summary>
    public static ResponseCustomization Customization(ResponseInfoInput input, string prefix)
    {
        if (input.Status is { } status)
        {
            var parameter = prefix + "status";
            if (status < 200)
            {
                throw ApigErrors.OutOfRange(parameter);
            }

            if (status > 599)
            {
                throw ApigErrors.TooLarge(parameter);
            }

            if (!GatewayResponseCatalog.IsValidStatus(status))
            {
                throw GatewayResponseErrors.InvalidStatus(parameter);
            }
        }

        Check.MaxLength(input.Body, prefix + "body", MaxBodyLength);
        return new ResponseCustomization { Status = input.Status, Body = input.Body, Headers = Headers(input.Headers, prefix + "headers") };
    }

    /// <summary>Headers: at most 10, keys of letters, digits and '-' (1–128) unique ignoring case, values of 1–1024 characters.</summary>
    public static List<ResponseHeader>? Headers(List<ResponseHeaderInput?>? inputs, string parameter)
    {
        if (inputs is null)
        {
            return null;
        }

        if (inputs.Count > MaxHeaders)
        {
            throw ApigErrors.TooLarge(parameter);
        }

        var headers = new List<ResponseHeader>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var at = $"{parameter}[{i}]";
            var input = inputs[i] ?? throw ApigErrors.Missing(at);
            var key = Check.Text(input.Key, at + ".key", 1, 128, HeaderKey());
            var value = Check.Text(input.Value, at + ".value", 1, 1024);
            foreach (var header in headers)
            {
                if (string.Equals(header.Key, key, StringComparison.OrdinalIgnoreCase))
                {
                    throw GatewayResponseErrors.DuplicateHeader(at + ".key", key);
                }
            }

            headers.Add(new ResponseHeader { Key = key, Value = value });
        }

        return headers;
    }

    /// <summary>Response names: letters, digits, _ and -; 1–64.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,64}$")]
    private static partial Regex ResponseName();

    /// <summary>Header keys: letters, digits and -.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9\-]+$")]
    public static partial Regex HeaderKey();
}
