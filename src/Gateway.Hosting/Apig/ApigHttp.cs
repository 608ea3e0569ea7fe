using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Gateway.Apig.Common;
using Gateway.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>Request reading and response writing shared by the APIG REST endpoints.</summary>
internal static class ApigHttp
{
    /// <summary>The largest management body accepted (the documented AK/SK signing limit).</summary>
    public const int MaxBodyBytes = 12 * 1024 * 1024;

    public const string JsonContentType = "application/json;charset=UTF-8";

    public static ApigScope Scope(HttpContext context)
    {
        var projectId = RouteId(context, "project_id");
        var instanceId = RouteId(context, "instance_id");
        return new ApigScope(projectId, instanceId);
    }

    public static string RouteId(HttpContext context, string name)
    {
        var value = context.GetRouteValue(name) as string;
        if (string.IsNullOrEmpty(value) || !ApigPatterns.ResourceId().IsMatch(value))
        {
            throw ApigErrors.InvalidId(name);
        }

        return value;
    }

    /// <summary>Reads and deserializes a JSON body; malformed JSON and wrong types become APIG.2000/2012 naming the field.</summary>
    public static async Task<T> ReadBodyAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return await ReadBodyCoreAsync(context, type).ConfigureAwait(false);
        }
        catch (ApiErrorException error) when (error.ErrorCode.StartsWith("APIG.20", StringComparison.Ordinal) && IsInstanceRoute(context))
        {
            // Instance management (3.23) reports its parameter errors with the APIC prefix.
            throw new ApiErrorException(400, "APIC.7211", error.Message);
        }
    }

    private static bool IsInstanceRoute(HttpContext context) => context.GetRouteValue("instance_id") is null || context.Request.Path.Value?.EndsWith("/instances", StringComparison.Ordinal) == true;

    private static async Task<T> ReadBodyCoreAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            throw ApigErrors.TooLarge("body");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw ApigErrors.TooLarge("body");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw ApigErrors.Unparsable("the request body is empty");
        }

        try
        {
            return JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), type)
                ?? throw ApigErrors.Unparsable("the request body must be a JSON object");
        }
        catch (JsonException exception)
        {
            throw JsonError(exception);
        }
    }

    private static ApiErrorException JsonError(JsonException exception)
    {
        // A value of the wrong type names its field ("$.backend_api.timeout"); broken syntax is a parse error.
        var path = exception.Path;
        var parameter = string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        if (parameter is not null && exception.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return ApigErrors.InvalidId(parameter);
        }

        return ApigErrors.Unparsable(parameter is null
            ? "Serialization error: the body is not valid JSON"
            : $"Serialization error: the body is not valid JSON near {parameter}");
    }

    public static string? Query(HttpContext context, string name)
    {
        var values = context.Request.Query[name];
        return values.Count == 0 ? null : values[0];
    }

    public static long? QueryLong(HttpContext context, string name)
    {
        var text = Query(context, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApigErrors.Invalid(name);
    }

    public static int? QueryInt(HttpContext context, string name)
    {
        var value = QueryLong(context, name);
        return value is null ? null : value is >= int.MinValue and <= int.MaxValue ? (int)value : throw ApigErrors.Invalid(name);
    }

    public static ListQuery Page(HttpContext context) => ListQuery.Create(QueryLong(context, "offset"), QueryLong(context, "limit"));

    public static IResult Json<T>(T value, JsonTypeInfo<T> type, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, type, JsonContentType, statusCode);

    public static IResult Error(ApiErrorException error) =>
        Results.Json(new ApiErrorBody(error.ErrorCode, error.Message), HostingJsonContext.Default.ApiErrorBody, JsonContentType, error.StatusCode);
}

/// <summary>The documented management error body.</summary>
internal sealed record ApiErrorBody(string ErrorCode, string ErrorMsg);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ApiErrorBody))]
internal sealed partial class HostingJsonContext : JsonSerializerContext;
