using System.Buffers;
using Gateway.Net.Http.Parsing;

namespace Gateway.Net.TestSupport;

/// <summary>
/// Drives the parsers the way a connection loop does: input arrives in deliveries (each one a new segment), every
/// step starts a fresh <see cref="SequenceReader{T}"/> over the unconsumed bytes, and only what the parser consumed is
/// dropped. It also checks the parsers always make progress: every step consumes, completes a stage, or needs data.
/// </summary>
internal static class ConnectionSimulator
{
    public static RunResult RunRequests(byte[] input, IReadOnlyList<int>? splitPoints = null, HttpParserLimits? limits = null, int maxMessages = 64) =>
        Run(input, splitPoints ?? [], limits ?? HttpParserLimits.Default, responseMethods: null, maxMessages);

    public static RunResult RunResponses(byte[] input, IReadOnlyList<KnownMethod> requestMethods, IReadOnlyList<int>? splitPoints = null, HttpParserLimits? limits = null) =>
        Run(input, splitPoints ?? [], limits ?? HttpParserLimits.Default, requestMethods, maxMessages: 64);

    /// <summary>Every split point at once: one byte per segment, one delivery per byte.</summary>
    public static int[] EveryByte(int length) => Enumerable.Range(1, Math.Max(length - 1, 0)).ToArray();

    private static RunResult Run(byte[] input, IReadOnlyList<int> splitPoints, HttpParserLimits limits, IReadOnlyList<KnownMethod>? responseMethods, int maxMessages)
    {
        bool isResponse = responseMethods is not null;
        var boundaries = splitPoints.Where(p => p > 0 && p < input.Length).Distinct().Order().Append(input.Length).ToList();
        int deliveries = 1;
        int received = boundaries[0];
        long consumed = 0;

        var recording = new Recording();
        var requestParser = new Http1RequestParser(limits);
        var responseParser = new Http1ResponseParser(limits);
        int responseIndex = 0;
        responseParser.Reset(MethodFor(responseMethods, responseIndex));
        var messages = new List<ParsedMessage>();
        var body = new List<byte>();
        bool inBody = false;
        var bodyReader = default(HttpBodyReader);

        int stepBudget = (input.Length * 4) + 64;
        while (true)
        {
            if (--stepBudget < 0)
            {
                throw new InvalidOperationException("The parser stopped making progress.");
            }

            bool inputDone = deliveries == boundaries.Count;
            var sequence = Build(input, boundaries, consumed, received);
            var reader = new SequenceReader<byte>(sequence);
            bool needsData;

            if (!inBody)
            {
                bool headStarted = isResponse ? responseParser.StatusCode != 0 : recording.RequestLines != 0;
                if (reader.End && inputDone && !headStarted)
                {
                    return new RunResult(RunOutcome.Complete, messages, RequestRejection.None, consumed);
                }

                HttpParseStatus status;
                RequestRejection rejection;
                if (isResponse)
                {
                    var handler = new RecordingResponseHandler(recording);
                    status = responseParser.TryParseHead(ref reader, ref handler);
                    rejection = responseParser.Rejection;
                }
                else
                {
                    var handler = new RecordingRequestHandler(recording);
                    status = requestParser.TryParseHead(ref reader, ref handler);
                    rejection = requestParser.Rejection;
                }

                consumed += reader.Consumed;
                if (status == HttpParseStatus.Rejected)
                {
                    return new RunResult(RunOutcome.Rejected, messages, rejection, consumed);
                }

                needsData = status == HttpParseStatus.Incomplete;
                if (!needsData)
                {
                    inBody = true;
                    body.Clear();
                    bodyReader = isResponse ? HttpBodyReader.ForResponse(responseParser) : HttpBodyReader.ForRequest(requestParser);
                }
            }
            else
            {
                var trailers = new RecordingTrailersHandler(recording);
                BodyReadStatus status;
                do
                {
                    status = bodyReader.Read(ref reader, inputDone, out var data, ref trailers);
                    if (status == BodyReadStatus.Data)
                    {
                        if (data.IsEmpty)
                        {
                            throw new InvalidOperationException("Data without bytes.");
                        }

                        body.AddRange(data.ToArray());
                    }
                }
                while (status == BodyReadStatus.Data);

                consumed += reader.Consumed;
                if (status == BodyReadStatus.Rejected)
                {
                    return new RunResult(RunOutcome.Rejected, messages, bodyReader.Rejection, consumed);
                }

                needsData = status == BodyReadStatus.NeedMoreData;
                if (!needsData)
                {
                    messages.Add(isResponse ? Snapshot(recording, responseParser, body) : Snapshot(recording, requestParser, body));
                    inBody = false;
                    recording.Clear();
                    if (isResponse)
                    {
                        if (!responseParser.IsInterim)
                        {
                            responseIndex++;
                        }

                        bool reusable = responseParser.KeepAlive || responseParser.IsInterim;
                        responseParser.Reset(MethodFor(responseMethods, responseIndex));
                        if (!reusable)
                        {
                            // Nothing after a response that ends the connection is read.
                            return new RunResult(RunOutcome.Complete, messages, RequestRejection.None, consumed);
                        }
                    }
                    else
                    {
                        requestParser.Reset();
                    }

                    if (messages.Count >= maxMessages)
                    {
                        return new RunResult(RunOutcome.Complete, messages, RequestRejection.None, consumed);
                    }
                }
            }

            if (needsData)
            {
                if (inputDone)
                {
                    return new RunResult(RunOutcome.Incomplete, messages, RequestRejection.None, consumed);
                }

                received = boundaries[deliveries++];
            }
        }
    }

    private static KnownMethod MethodFor(IReadOnlyList<KnownMethod>? methods, int index) =>
        methods is null || methods.Count == 0 ? KnownMethod.Get : methods[Math.Min(index, methods.Count - 1)];

    // The unconsumed bytes, cut where the deliveries were.
    private static ReadOnlySequence<byte> Build(byte[] input, List<int> boundaries, long consumed, int received)
    {
        var segments = new List<byte[]>();
        int start = 0;
        foreach (int end in boundaries)
        {
            if (end > received)
            {
                break;
            }

            int from = (int)Math.Max(start, consumed);
            if (from < end)
            {
                segments.Add(input[from..end]);
            }

            start = end;
        }

        return SegmentedSequence.Create(segments.ToArray());
    }

    private static ParsedMessage Snapshot(Recording recording, Http1RequestParser parser, List<byte> body) => new()
    {
        Method = recording.Method,
        Target = recording.Target,
        TargetForm = recording.TargetForm,
        Version = parser.Version,
        Headers = recording.Headers.ToList(),
        Framing = parser.BodyFraming,
        ContentLength = parser.ContentLength,
        KeepAlive = parser.KeepAlive,
        ExpectContinue = parser.ExpectContinue,
        Body = body.ToArray(),
        Trailers = recording.Trailers.ToList(),
    };

    private static ParsedMessage Snapshot(Recording recording, Http1ResponseParser parser, List<byte> body) => new()
    {
        StatusCode = parser.StatusCode,
        Reason = recording.Reason,
        Version = parser.Version,
        Headers = recording.Headers.ToList(),
        Framing = parser.BodyFraming,
        ContentLength = parser.ContentLength,
        KeepAlive = parser.KeepAlive,
        Body = body.ToArray(),
        Trailers = recording.Trailers.ToList(),
    };
}
