using System.Buffers;
using System.Runtime.CompilerServices;

namespace Gateway.Net.Http.Parsing;

/// <summary>
/// Incremental, allocation-free HTTP/1.x response-head parser for the upstream side, with the same defences as the
/// request parser. One instance per upstream connection.
/// </summary>
/// <remarks>
/// Call <see cref="Reset"/> with the method of the request the response answers, then <see cref="TryParseHead"/> until
/// complete. For an interim 1xx response (<see cref="IsInterim"/>), forward or drop it, call <see cref="Reset"/> again and
/// parse the next head. A refused response is answered to the client with 502 and the upstream connection is closed.
/// </remarks>
internal sealed class Http1ResponseParser : Http1HeadParser
{
    private bool _answersHead;

    public Http1ResponseParser(HttpParserLimits limits)
        : base(limits, isRequest: false)
    {
        Reset(KnownMethod.Get);
    }

    public int StatusCode { get; private set; }

    /// <summary>A 1xx response other than 101: the final response is still to come.</summary>
    public bool IsInterim => StatusCode is >= 100 and < 200 && StatusCode != 101;

    /// <summary>Prepares for the next response head; <paramref name="requestMethod"/> matters because HEAD responses have no body.</summary>
    public void Reset(KnownMethod requestMethod)
    {
        ResetHead();
        _answersHead = requestMethod == KnownMethod.Head;
        StatusCode = 0;
    }

    /// <summary>Parses whatever is left of the head: the status line if not yet read, then the header fields.</summary>
    public HttpParseStatus TryParseHead<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttpResponseHandler
    {
        if (CurrentStage == Stage.StartLine)
        {
            var status = TryParseStatusLine(ref reader, ref handler);
            if (status != HttpParseStatus.Complete)
            {
                return status;
            }
        }

        return TryParseHeaders(ref reader, ref handler);
    }

    /// <summary>Parses the status line; nothing is consumed until the whole line has arrived.</summary>
    public HttpParseStatus TryParseStatusLine<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttpResponseHandler
    {
        if (CurrentStage != Stage.StartLine)
        {
            return CurrentStage == Stage.Rejected ? HttpParseStatus.Rejected : HttpParseStatus.Complete;
        }

        var span = reader.UnreadSpan;
        int lineFeed = Http1Syntax.IndexOfLineFeed(span, Limits.MaxRequestLineLength);
        LineStep step;
        if (lineFeed >= 0)
        {
            step = TakeStatusLine(span[..(lineFeed + 1)], ref handler);
            if (step == LineStep.Done)
            {
                reader.Advance(lineFeed + 1);
            }
        }
        else
        {
            step = TakeSplitStatusLine(ref reader, ref handler);
        }

        return ToStatus(step);
    }

    /// <summary>Parses header fields up to and including the empty line, then decides the body framing.</summary>
    public HttpParseStatus TryParseHeaders<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttpResponseHandler
    {
        switch (CurrentStage)
        {
            case Stage.Headers:
                return ParseHeaderLines(ref reader, ref handler);
            case Stage.Complete:
                return HttpParseStatus.Complete;
            case Stage.Rejected:
                return HttpParseStatus.Rejected;
            default:
                throw new InvalidOperationException("The status line has not been parsed yet.");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    private LineStep TakeSplitStatusLine<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttpResponseHandler
    {
        int length = Http1Syntax.FindLineLength(reader, Limits.MaxRequestLineLength);
        if (length == 0)
        {
            return LineStep.Incomplete;
        }

        if (length < 0)
        {
            return Reject(RequestRejection.StatusLineTooLong);
        }

        // The line crosses a segment boundary: give the handler one contiguous copy.
        byte[]? rented = null;
        Span<byte> line = length <= Http1Syntax.StackLineLength
            ? stackalloc byte[Http1Syntax.StackLineLength]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        line = line[..length];
        reader.TryCopyTo(line);
        var step = TakeStatusLine(line, ref handler);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        if (step == LineStep.Done)
        {
            reader.Advance(length);
        }

        return step;
    }

    private LineStep TakeStatusLine<THandler>(ReadOnlySpan<byte> lineWithLf, ref THandler handler)
        where THandler : struct, IHttpResponseHandler
    {
        int length = lineWithLf.Length;
        if (length < 2 || lineWithLf[length - 2] != HttpCharacters.CR)
        {
            return Reject(RequestRejection.InvalidLineTerminator);
        }

        // HTTP-version SP 3DIGIT [SP reason-phrase]; a missing SP before an empty reason is tolerated.
        var line = lineWithLf[..(length - 2)];
        int versionEnd = line.IndexOf(HttpCharacters.Space);
        var versionToken = versionEnd < 0 ? line : line[..versionEnd];
        if (!TryMatchVersion(versionToken, out var version))
        {
            return Reject(IsOtherHttpVersion(versionToken) ? RequestRejection.UnsupportedHttpVersion
                : versionToken.Contains(HttpCharacters.CR) ? RequestRejection.InvalidLineTerminator
                : RequestRejection.InvalidStatusLine);
        }

        if (versionEnd < 0)
        {
            return Reject(RequestRejection.InvalidStatusLine);
        }

        var rest = line[(versionEnd + 1)..];
        if (rest.Length < 3 || (rest.Length > 3 && rest[3] != HttpCharacters.Space))
        {
            return Reject(RequestRejection.InvalidStatusLine);
        }

        int hundreds = rest[0] - '0', tens = rest[1] - '0', units = rest[2] - '0';
        if ((uint)(hundreds - 1) > 4 || (uint)tens > 9 || (uint)units > 9)
        {
            return Reject(RequestRejection.InvalidStatusLine);
        }

        var reason = rest.Length > 3 ? rest[4..] : default;
        int bad = reason.IndexOfAnyExcept(HttpCharacters.FieldValue);
        if (bad >= 0)
        {
            return Reject(reason[bad] == HttpCharacters.CR ? RequestRejection.InvalidLineTerminator : RequestRejection.InvalidStatusLine);
        }

        StatusCode = (hundreds * 100) + (tens * 10) + units;
        Version = version;
        CurrentStage = Stage.Headers;
        handler.OnStatusLine(new HttpStatusLine(version, StatusCode, reason));
        return LineStep.Done;
    }

    private protected override RequestRejection CompleteHead()
    {
        ref var framing = ref Framing;

        // Conflicting or duplicated framing is refused even where the status means no body: it signals a confused peer.
        if (framing.HasTransferEncoding && framing.HasContentLength)
        {
            return RequestRejection.ContentLengthWithTransferEncoding;
        }

        if (framing.HasTransferEncoding && Version == HttpProtocolVersion.Http10)
        {
            return RequestRejection.TransferEncodingInHttp10;
        }

        bool hasNoBody = StatusCode is < 200 or 204 or 304 || _answersHead;
        if (hasNoBody)
        {
            BodyFraming = BodyFraming.None;
        }
        else if (framing.HasTransferEncoding)
        {
            BodyFraming = BodyFraming.Chunked;
        }
        else if (framing.HasContentLength)
        {
            BodyFraming = framing.ContentLength > 0 ? BodyFraming.ContentLength : BodyFraming.None;
            ContentLength = framing.ContentLength;
        }
        else
        {
            BodyFraming = BodyFraming.CloseDelimited;
        }

        if (BodyFraming != BodyFraming.ContentLength)
        {
            ContentLength = 0;
        }

        bool close = (framing.Connection & ConnectionOptions.Close) != 0;
        KeepAlive = BodyFraming != BodyFraming.CloseDelimited && StatusCode != 101 && (Version == HttpProtocolVersion.Http11
            ? !close
            : !close && (framing.Connection & ConnectionOptions.KeepAlive) != 0);
        return RequestRejection.None;
    }
}
