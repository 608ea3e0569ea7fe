using System.Buffers;

namespace Gateway.Net.Http.Parsing;

/// <summary>
/// Reads one message body whatever its framing, handing out slices of the input so bytes can be forwarded as they
/// arrive. A mutable struct: keep it in a field and call it through that field.
/// </summary>
/// <remarks>
/// Loop on <see cref="Read{TTrailers}"/> while it returns <see cref="BodyReadStatus.Data"/>, forwarding each slice
/// before advancing the pipe to <c>reader.Position</c>. <see cref="BodyReadStatus.NeedMoreData"/> means read the pipe
/// again; <see cref="BodyReadStatus.Completed"/> leaves the reader at the next pipelined message.
/// </remarks>
internal struct HttpBodyReader
{
    private readonly BodyFraming _framing;
    private long _remaining;
    private ChunkedBodyDecoder _chunked;
    private bool _completed;

    private HttpBodyReader(BodyFraming framing, long contentLength, HttpParserLimits limits, long maxBodySize)
    {
        _framing = framing;
        _remaining = framing == BodyFraming.ContentLength ? contentLength : 0;
        _chunked = framing == BodyFraming.Chunked ? new ChunkedBodyDecoder(limits, maxBodySize) : default;
        _completed = framing == BodyFraming.None;
        Rejection = RequestRejection.None;
    }

    public RequestRejection Rejection { get; private set; }

    public readonly BodyFraming Framing => _framing;

    public readonly bool IsCompleted => _completed;

    /// <summary>A reader for the body of the request whose head <paramref name="parser"/> just completed.</summary>
    public static HttpBodyReader ForRequest(Http1RequestParser parser) =>
        new(parser.BodyFraming, parser.ContentLength, parser.Limits, parser.Limits.MaxRequestBodySize);

    /// <summary>A reader for the body of the response whose head <paramref name="parser"/> just completed.</summary>
    public static HttpBodyReader ForResponse(Http1ResponseParser parser) =>
        new(parser.BodyFraming, parser.ContentLength, parser.Limits, long.MaxValue);

    public static HttpBodyReader Create(BodyFraming framing, long contentLength, HttpParserLimits limits, long maxBodySize) =>
        new(framing, contentLength, limits, maxBodySize);

    /// <summary>Reads body bytes, dropping any trailers.</summary>
    public BodyReadStatus Read(ref SequenceReader<byte> reader, bool isInputCompleted, out ReadOnlySequence<byte> data)
    {
        var discard = default(DiscardingHeadersHandler);
        return Read(ref reader, isInputCompleted, out data, ref discard);
    }

    /// <summary>
    /// Produces the next run of body bytes. <paramref name="isInputCompleted"/> tells that no bytes will follow those in
    /// the reader (the peer closed): it ends a close-delimited body and turns a truncated one into a rejection.
    /// </summary>
    public BodyReadStatus Read<TTrailers>(ref SequenceReader<byte> reader, bool isInputCompleted, out ReadOnlySequence<byte> data, ref TTrailers trailers)
        where TTrailers : struct, IHttpHeadersHandler
    {
        data = default;
        if (_completed)
        {
            return BodyReadStatus.Completed;
        }

        if (Rejection != RequestRejection.None)
        {
            return BodyReadStatus.Rejected;
        }

        BodyReadStatus status;
        switch (_framing)
        {
            case BodyFraming.ContentLength:
                status = TakeCounted(ref reader, out data);
                break;

            case BodyFraming.Chunked:
                status = _chunked.Read(ref reader, out data, ref trailers);
                if (status == BodyReadStatus.Rejected)
                {
                    Rejection = _chunked.Rejection;
                }

                break;

            default:
                long available = reader.Remaining;
                if (available > 0)
                {
                    data = reader.UnreadSequence;
                    reader.Advance(available);
                    return BodyReadStatus.Data;
                }

                status = isInputCompleted ? BodyReadStatus.Completed : BodyReadStatus.NeedMoreData;
                break;
        }

        if (status == BodyReadStatus.Completed)
        {
            _completed = true;
        }
        else if (status == BodyReadStatus.NeedMoreData && isInputCompleted)
        {
            Rejection = RequestRejection.UnexpectedEndOfBody;
            return BodyReadStatus.Rejected;
        }

        return status;
    }

    private BodyReadStatus TakeCounted(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> data)
    {
        data = default;
        if (_remaining == 0)
        {
            return BodyReadStatus.Completed;
        }

        long take = Math.Min(_remaining, reader.Remaining);
        if (take == 0)
        {
            return BodyReadStatus.NeedMoreData;
        }

        data = reader.UnreadSequence.Slice(0, take);
        reader.Advance(take);
        _remaining -= take;
        return BodyReadStatus.Data;
    }
}
