using System.Text.Json.Serialization;

namespace Gateway.Apig.Overview;

/// <summary>3.11.1 response. <c>instance_num</c> is the number of APIs, despite its name.</summary>
internal sealed record ApiOutline(int InstanceNum, int NumsOnRelease, int NumsOffRelease);

/// <summary>3.11.2 response.</summary>
internal sealed record GroupOutline(int OffsellNums, int OnsellNums);

/// <summary>3.11.3 response.</summary>
internal sealed record AppOutline(int AuthedNums, int UnauthedNums);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ApiOutline))]
[JsonSerializable(typeof(GroupOutline))]
[JsonSerializable(typeof(AppOutline))]
internal sealed partial class OverviewJsonContext : JsonSerializerContext;
