using System.Text;
using Gateway.Net.Http.Parsing;

namespace Gateway.Net.TestSupport;

/// <summary>Collects what a parser reports; shared by the struct handlers below.</summary>
internal sealed class Recording
{
    public string Method = "";
    public string Target = "";
    public HttpTargetForm TargetForm;
    public HttpProtocolVersion Version;
    public int StatusCode;
    public string Reason = "";
    public string Path = "";
    public string Query = "";
    public string Authority = "";
    public int RequestLines;
    public readonly List<(KnownHeader Known, string Name, string Value)> Headers = [];
    public readonly List<(KnownHeader Known, string Name, string Value)> Trailers = [];

    public void Clear()
    {
        Method = Target = Reason = Path = Query = Authority = "";
        StatusCode = 0;
        RequestLines = 0;
        Headers.Clear();
        Trailers.Clear();
    }

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}

internal struct RecordingRequestHandler(Recording recording) : IHttpRequestHandler
{
    public readonly void OnRequestLine(HttpRequestLine requestLine)
    {
        recording.RequestLines++;
        recording.Method = Recording.Text(requestLine.MethodName);
        recording.Target = Recording.Text(requestLine.Target);
        recording.TargetForm = requestLine.TargetForm;
        recording.Version = requestLine.Version;
        recording.Path = Recording.Text(requestLine.Path);
        recording.Query = Recording.Text(requestLine.Query);
        recording.Authority = Recording.Text(requestLine.Authority);
    }

    public readonly void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        recording.Headers.Add((header, Recording.Text(name), Recording.Text(value)));
}

internal struct RecordingResponseHandler(Recording recording) : IHttpResponseHandler
{
    public readonly void OnStatusLine(HttpStatusLine statusLine)
    {
        recording.StatusCode = statusLine.StatusCode;
        recording.Reason = Recording.Text(statusLine.ReasonPhrase);
        recording.Version = statusLine.Version;
    }

    public readonly void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        recording.Headers.Add((header, Recording.Text(name), Recording.Text(value)));
}

internal struct RecordingTrailersHandler(Recording recording) : IHttpHeadersHandler
{
    public readonly void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        recording.Trailers.Add((header, Recording.Text(name), Recording.Text(value)));
}
