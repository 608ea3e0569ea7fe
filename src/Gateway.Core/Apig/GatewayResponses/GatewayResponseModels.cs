using System.Text.Json.Serialization;

namespace Gateway.Apig.GatewayResponses;

/// <summary>3.19.1 create / 3.19.3 update body.</summary>
internal sealed record GatewayResponseRequest
{
    public string? Name { get; init; }
    public Dictionary<string, ResponseInfoInput?>? Responses { get; init; }
}

/// <summary>ResponseInfo as sent (also the 3.19.6 body).</summary>
internal sealed record ResponseInfoInput
{
    public int? Status { get; init; }
    public string? Body { get; init; }
    public List<ResponseHeaderInput?>? Headers { get; init; }
}

/// <summary>ResponseInfoHeader as sent.</summary>
internal sealed record ResponseHeaderInput
{
    public string? Key { get; init; }
    public string? Value { get; init; }
}

/// <summary>ResponseInfoHeader: one header added to a gateway response.</summary>
internal sealed record ResponseHeader
{
    public required string Key { get; init; }
    public required string Value { get; init; }
}

/// <summary>
/// The customization of one error type as stored: what the user set. Unset members fall back to the type's default
/// (see <see cref="GatewayResponseCatalog"/>).
/// </summary>
internal sealed record ResponseCustomization
{
    public int? Status { get; init; }
    public string? Body { get; init; }
    public List<ResponseHeader>? Headers { get; init; }
}

/// <summary>
/// A stored gateway response of a group: its name and the error types the user customized. The group's default
/// response is stored only once it has been changed; until then it is derived (see <see cref="GatewayResponseCatalog"/>).
/// </summary>
internal sealed record GatewayResponseRecord
{
    public required string Id { get; init; }
    public required string GroupId { get; init; }
    public required string Name { get; init; }
    public bool Default { get; init; }
    public required string CreateTime { get; init; }
    public required string UpdateTime { get; init; }
    public Dictionary<string, ResponseCustomization> Customized { get; init; } = [];
}

/// <summary>ResponseInfoResp: the effective definition of one error type and whether it is still the default.</summary>
internal sealed record ResponseInfoResp
{
    public int? Status { get; init; }
    public required string Body { get; init; }
    public List<ResponseHeader>? Headers { get; init; }
    public bool Default { get; init; }
}

/// <summary>The response object of 3.19.1–3.19.3 and a 3.19.8 list item (ResponsesInfo).</summary>
internal sealed record GatewayResponseView
{
    public required string Name { get; init; }
    public required Dictionary<string, ResponseInfoResp> Responses { get; init; }
    public required string Id { get; init; }
    public bool Default { get; init; }
    public required string CreateTime { get; init; }
    public required string UpdateTime { get; init; }
}

/// <summary>3.19.8 response.</summary>
internal sealed record GatewayResponseList(int Size, long Total, IReadOnlyList<GatewayResponseView> Responses);

/// <summary>The response an error of some type gets on the data plane: status, body template and extra headers.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="BodyTemplate">The body with <c>$context.*</c> variables still to substitute.</param>
/// <param name="Headers">Headers to add, in order.</param>
internal sealed record EffectiveGatewayResponse(int Status, string BodyTemplate, IReadOnlyList<ResponseHeader> Headers);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(GatewayResponseRequest))]
[JsonSerializable(typeof(ResponseInfoInput))]
[JsonSerializable(typeof(GatewayResponseRecord))]
[JsonSerializable(typeof(GatewayResponseView))]
[JsonSerializable(typeof(GatewayResponseList))]
[JsonSerializable(typeof(Dictionary<string, ResponseInfoResp>))]
internal sealed partial class GatewayResponseJsonContext : JsonSerializerContext;
