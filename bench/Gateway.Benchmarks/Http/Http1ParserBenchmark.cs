using System.Buffers;
using BenchmarkDotNet.Attributes;
using Gateway.Net.Http.Parsing;
using Gateway.Net.Http.Serialization;

namespace Gateway.Benchmarks.Http;

/// <summary>The HTTP/1.1 codec on the data plane's hot path: every operation must allocate nothing.</summary>
[MemoryDiagnoser]
public class Http1ParserBenchmark
{
    private readonly Http1RequestParser _requestParser = new(HttpParserLimits.Default);
    private readonly Http1ResponseParser _responseParser = new(HttpParserLimits.Default);
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private ReadOnlySequence<byte> _get;
    private ReadOnlySequence<byte> _getSegmented;
    private ReadOnlySequence<byte> _post;
    private ReadOnlySequence<byte> _chunked;
    private ReadOnlySequence<byte> _response;

    [GlobalSetup]
    public void Setup()
    {
        var get = RequestData.TypicalGet.ToArray();
        _get = new ReadOnlySequence<byte>(get);

        // Cuts inside the request line and the target, at the start of a field, inside two values and between a CR and its LF.
        _getSegmented = SegmentedSequence.Split(get, 20, 75, 131, 210, 300);
        _post = new ReadOnlySequence<byte>(RequestData.PostWithContentLength.ToArray());
        _chunked = new ReadOnlySequence<byte>(RequestData.ChunkedBody());
        _response = new ReadOnlySequence<byte>(RequestData.TypicalResponse.ToArray());
    }

    [Benchmark(Baseline = true)]
    public int GetSingleSegment() => ParseRequestHead(_get);

    [Benchmark]
    public int GetMultiSegment() => ParseRequestHead(_getSegmented);

    [Benchmark]
    public long PostWithContentLength()
    {
        var reader = new SequenceReader<byte>(_post);
        var handler = new CountingHandler();
        _requestParser.Reset();
        if (_requestParser.TryParseHead(ref reader, ref handler) != HttpParseStatus.Complete)
        {
            throw new InvalidOperationException("The request did not parse.");
        }

        var body = HttpBodyReader.ForRequest(_requestParser);
        return handler.Count + ReadBody(ref body, ref reader);
    }

    [Benchmark]
    public long ChunkedBodyDecode()
    {
        var reader = new SequenceReader<byte>(_chunked);
        var body = HttpBodyReader.Create(BodyFraming.Chunked, 0, HttpParserLimits.Default, long.MaxValue);
        return ReadBody(ref body, ref reader);
    }

    [Benchmark]
    public int ResponseHead()
    {
        var reader = new SequenceReader<byte>(_response);
        var handler = new CountingHandler();
        _responseParser.Reset(KnownMethod.Get);
        if (_responseParser.TryParseHead(ref reader, ref handler) != HttpParseStatus.Complete)
        {
            throw new InvalidOperationException("The response did not parse.");
        }

        return handler.Count;
    }

    [Benchmark]
    public int WriteForwardedRequestHead()
    {
        _output.ResetWrittenCount();
        var writer = new Http1HeadWriter(_output);
        writer.WriteRequestLine(KnownMethod.Get, "/api/v1/orders/12345?expand=items&page=2"u8, HttpProtocolVersion.Http11);
        writer.WriteHeader(KnownHeaders.Host, "backend.internal:8080"u8);
        writer.WriteHeader("User-Agent"u8, "Mozilla/5.0 (X11; Linux x86_64)"u8);
        writer.WriteHeader("Accept"u8, "application/json, text/plain, */*"u8);
        writer.WriteHeader(KnownHeaders.XForwardedFor, "203.0.113.7"u8);
        writer.WriteHeader(KnownHeaders.XRequestId, "2b7e1516-28ae-4d2a-9f3c-0a1b2c3d4e5f"u8);
        writer.WriteContentLength(0);
        writer.WriteEndOfHead();
        writer.Commit();
        return _output.WrittenCount;
    }

    private int ParseRequestHead(ReadOnlySequence<byte> input)
    {
        var reader = new SequenceReader<byte>(input);
        var handler = new CountingHandler();
        _requestParser.Reset();
        if (_requestParser.TryParseHead(ref reader, ref handler) != HttpParseStatus.Complete)
        {
            throw new InvalidOperationException("The request did not parse.");
        }

        return handler.Count;
    }

    private static long ReadBody(ref HttpBodyReader body, ref SequenceReader<byte> reader)
    {
        long total = 0;
        var trailers = new CountingHandler();
        BodyReadStatus status;
        while ((status = body.Read(ref reader, isInputCompleted: false, out var data, ref trailers)) == BodyReadStatus.Data)
        {
            total += data.Length;
        }

        if (status != BodyReadStatus.Completed)
        {
            throw new InvalidOperationException("The body did not end where its framing says.");
        }

        return total + trailers.Count;
    }

    /// <summary>Touches every callback argument so the work cannot be optimised away.</summary>
    private struct CountingHandler : IHttpRequestHandler, IHttpResponseHandler
    {
        public int Count;

        public void OnRequestLine(HttpRequestLine requestLine) => Count += requestLine.Target.Length + (int)requestLine.Method;

        public void OnStatusLine(HttpStatusLine statusLine) => Count += statusLine.StatusCode;

        public void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Count += name.Length + value.Length + (int)header;
    }
}
