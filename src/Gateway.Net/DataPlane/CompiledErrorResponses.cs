using System.Text;
using Gateway.Apig.GatewayResponses;

namespace Gateway.Net.DataPlane;

/// <summary>A value a gateway-response body template can carry.</summary>
internal enum ResponsePlaceholder : byte
{
    None,
    ErrorCode,
    ErrorMessage,
    ErrorType,
    RequestId,
    SourceIp,
    Stage,
    ApiId,
}

/// <summary>One piece of a compiled body template: literal bytes or a placeholder.</summary>
internal readonly record struct TemplatePart(byte[]? Literal, ResponsePlaceholder Placeholder);

/// <summary>The response for one error type: status, extra headers, and the body template split into parts.</summary>
internal sealed class CompiledErrorResponse(GatewayErrorResponse error, int status, (byte[] Name, byte[] Value)[] headers, TemplatePart[] body)
{
    public GatewayErrorResponse Error { get; } = error;

    public int Status { get; } = status;

    public (byte[] Name, byte[] Value)[] Headers { get; } = headers;

    public TemplatePart[] Body { get; } = body;
}

/// <summary>
/// A group's gateway response (3.19) compiled for every error type the data plane raises: what the group configured,
/// or the documented defaults, with the body template pre-split so answering copies bytes only.
/// </summary>
internal sealed class CompiledErrorResponses
{
    private static readonly string[] TypeNames = BuildTypeNames();

    private readonly CompiledErrorResponse[] _byError;

    private CompiledErrorResponses(CompiledErrorResponse[] byError) => _byError = byError;

    /// <summary>The documented defaults, for requests that reach no group.</summary>
    public static CompiledErrorResponses Defaults => DefaultsHolder.Value;

    public CompiledErrorResponse this[GatewayError error] => _byError[(int)error];

    public static CompiledErrorResponses Compile(GatewayResponseRecord? record)
    {
        var errors = Enum.GetValues<GatewayError>();
        var compiled = new CompiledErrorResponse[errors.Length];
        foreach (var error in errors)
        {
            var defaults = GatewayErrors.Default(error);
            var effective = GatewayResponseCatalog.Effective(record, TypeNames[(int)error], defaults.Status);
            var headers = new (byte[], byte[])[effective.Headers.Count];
            for (var i = 0; i < headers.Length; i++)
            {
                headers[i] = (Encoding.ASCII.GetBytes(effective.Headers[i].Key), Encoding.UTF8.GetBytes(effective.Headers[i].Value));
            }

            compiled[(int)error] = new CompiledErrorResponse(defaults, effective.Status, headers, SplitTemplate(effective.BodyTemplate));
        }

        return new CompiledErrorResponses(compiled);
    }

    private static string[] BuildTypeNames()
    {
        var names = new string[Enum.GetValues<GatewayError>().Length];
        foreach (var error in Enum.GetValues<GatewayError>())
        {
            names[(int)error] = GatewayErrors.Default(error).Type;
        }

        return names;
    }

    private static readonly (string Token, ResponsePlaceholder Placeholder)[] Tokens =
    [
        ("$context.error.code", ResponsePlaceholder.ErrorCode),
        ("$context.error.message", ResponsePlaceholder.ErrorMessage),
        ("$context.error.type", ResponsePlaceholder.ErrorType),
        ("$context.requestId", ResponsePlaceholder.RequestId),
        ("$context.sourceIp", ResponsePlaceholder.SourceIp),
        ("$context.stage", ResponsePlaceholder.Stage),
        ("$context.apiId", ResponsePlaceholder.ApiId),
    ];

    /// <summary>Splits a body template at its <c>$context.*</c> variables; unknown variables stay literal text.</summary>
    internal static TemplatePart[] SplitTemplate(string template)
    {
        var parts = new List<TemplatePart>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var matched = false;
            if (template[i] == '$')
            {
                foreach (var (token, placeholder) in Tokens)
                {
                    if (string.CompareOrdinal(template, i, token, 0, token.Length) == 0 &&
                        (i + token.Length == template.Length || !char.IsLetterOrDigit(template[i + token.Length])))
                    {
                        if (literal.Length > 0)
                        {
                            parts.Add(new TemplatePart(Encoding.UTF8.GetBytes(literal.ToString()), ResponsePlaceholder.None));
                            literal.Clear();
                        }

                        parts.Add(new TemplatePart(null, placeholder));
                        i += token.Length;
                        matched = true;
                        break;
                    }
                }
            }

            if (!matched)
            {
                literal.Append(template[i]);
                i++;
            }
        }

        if (literal.Length > 0)
        {
            parts.Add(new TemplatePart(Encoding.UTF8.GetBytes(literal.ToString()), ResponsePlaceholder.None));
        }

        return [.. parts];
    }

    // Built after every static table above exists (static fields initialize in text order).
    private static class DefaultsHolder
    {
        public static readonly CompiledErrorResponses Value = Compile(null);
    }
}
