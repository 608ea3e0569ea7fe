using System.Buffers.Text;
using Gateway.Net.Telemetry;

namespace Gateway.Net.DataPlane;

internal sealed partial class GatewayConnection
{
    private byte[] _logLine = new byte[512];
    private long _requestStarted;

    /// <summary>Notes when a request's head was read, for the access log's duration (only when logging).</summary>
    private void MarkRequestStart()
    {
        if (_options.AccessLog is not null)
        {
            _requestStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Counts the response in the metrics and, when enabled, writes its access-log line.</summary>
    private void RecordResponse(int status)
    {
        GatewayMetrics.RecordRequest(_currentApi?.Id, status);
        if (_options.AccessLog is { } log)
        {
            WriteAccessLogLine(log, status);
        }
    }

    /// <summary>
    /// <c>time request-id client-ip "METHOD path" status api-id|- milliseconds</c>: the path without its query (queries
    /// carry credentials such as AppCodes and signatures), the time to the response head.
    /// </summary>
    private void WriteAccessLogLine(AccessLog log, int status)
    {
        var path = _head[_head.Path];
        var method = _head[_head.MethodName];
        var apiId = _currentApi is null ? "-"u8 : _currentApi.IdBytes;
        var needed = 160 + path.Length + method.Length + apiId.Length + _requestId.Length;
        if (_logLine.Length < needed)
        {
            _logLine = new byte[Math.Max(needed, _logLine.Length * 2)];
        }

        var line = _logLine.AsSpan();
        var length = 0;
        DateTime.UtcNow.TryFormat(line, out var written, "O");
        length += written;
        line[length++] = (byte)' ';
        Append(line, ref length, _requestId);
        line[length++] = (byte)' ';
        Append(line, ref length, SourceIp());
        Append(line, ref length, " \""u8);
        Append(line, ref length, method);
        line[length++] = (byte)' ';
        Append(line, ref length, path);
        Append(line, ref length, "\" "u8);
        Utf8Formatter.TryFormat(status, line[length..], out written);
        length += written;
        line[length++] = (byte)' ';
        Append(line, ref length, apiId);
        line[length++] = (byte)' ';
        var elapsed = _requestStarted == 0 ? 0 : System.Diagnostics.Stopwatch.GetElapsedTime(_requestStarted).TotalMilliseconds;
        Utf8Formatter.TryFormat(Math.Round(elapsed, 3), line[length..], out written);
        length += written;
        line[length++] = (byte)'\n';
        log.TryWrite(line[..length]);
    }

    private static void Append(Span<byte> line, ref int length, ReadOnlySpan<byte> value)
    {
        value.CopyTo(line[length..]);
        length += value.Length;
    }
}
