using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gateway.Net.Telemetry;

/// <summary>
/// The data plane's instruments on the <c>Gateway</c> meter. Tag values are cached objects (API ids are strings the
/// snapshot already holds, status codes are boxed once), so recording allocates nothing.
/// </summary>
internal static class GatewayMetrics
{
    public const string MeterName = "Gateway";

    private static readonly Meter Meter = new(MeterName);
    private static readonly object[] BoxedStatus = CreateBoxedStatus();

    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("gateway.requests", description: "Requests answered, by API and status.");

    public static readonly Histogram<double> BackendDuration = Meter.CreateHistogram<double>("gateway.backend.duration", unit: "ms", description: "Time from sending a request to a backend to the end of its response.");

    public static readonly UpDownCounter<long> ActiveConnections = Meter.CreateUpDownCounter<long>("gateway.connections.active", description: "Open client connections.");

    public static void RecordRequest(string? apiId, int status)
    {
        if (!Requests.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "api", apiId ?? "none" },
            { "status", (uint)status < (uint)BoxedStatus.Length ? BoxedStatus[status] : status },
        };
        Requests.Add(1, tags);
    }

    public static void RecordBackend(string apiId, long startTimestamp)
    {
        if (BackendDuration.Enabled)
        {
            BackendDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, new KeyValuePair<string, object?>("api", apiId));
        }
    }

    private static object[] CreateBoxedStatus()
    {
        var boxes = new object[600];
        for (var i = 0; i < boxes.Length; i++)
        {
            boxes[i] = i;
        }

        return boxes;
    }
}
