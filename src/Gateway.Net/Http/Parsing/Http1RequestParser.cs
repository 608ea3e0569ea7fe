using System.Buffers;
using System.Runtime.CompilerServices;

namespace Gateway.Net.Http.Parsing;

/// <summary>
/// Incremental, allocation-free HTTP/1.x request-head parser. One instance per connection.
/// </summary>
/// <remarks>
/// A connection loop reads from its pipe, wraps the buffer in a <see cref="SequenceReader{T}"/> and calls
/// <see cref="TryParseHead"/> until it returns <see cref="HttpParseStatus.Complete"/>, advancing the pipe to
/// <c>reader.Position</c> (examined = buffer end) after each call. Then it reads the body with an
/// <see cref="HttpBodyReader"/> built from <see cref="BodyFraming"/>, calls <see cref="Reset"/>, and the reader is
/// already at the next pipelined request. On <see cref="HttpParseStatus.Rejected"/> it answers
/// <c>Rejection.ToStatusCode()</c> and closes: the bytes after a refused head are never interpreted.
/// </remarks>
internal sealed class Http1RequestParser : Http1HeadParser
{
    private int _skippedEmptyLineBytes;

    public Http1RequestParser(HttpParserLimits limits)
        : base(limits, isRequest: true)
    {
        Reset();
    }

    public KnownMethod Method { get; private set; }

    public HttpTargetForm TargetForm { get; private set; }

    /// <summary>The client sent <c>Expect: 100-continue</c> on HTTP/1.1.</summary>
    public bool ExpectContinue { get; private set; }

    /// <summary>Prepares for the next request on the same connection.</summary>
    public void Reset()
    {
        ResetHead();
        _skippedEmptyLineBytes = 0;
        Method = KnownMethod.Custom;
        TargetForm = HttpTargetForm.Origin;
        ExpectContinue = false;
    }

    /// <summary>Parses whatever is left of the head: the request line if not yet read, then the header fields.</summary>
    public HttpParseStatus TryParseHead<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttpRequestHandler
    {
        if (CurrentStage == Stage.StartLine)
        {
            var status = TryParseRequestLine(ref reader, ref handler);
            if (status != HttpParseStatus.Complete)
            {
                return status;
            }
        }

        return TryParseHeaders(ref reader, ref handler);
    }

    /// <summary>
    /// Parses the request line. Nothing is consumed until the whole line has arrived (empty lines before it, which
    /// RFC 9112 section 2.2 lets a server ignore, are consumed and count towards the line limit).
    /// </summary>
    public HttpParseStatus TryParseRequestLine<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttpRequestHandler
    {
        if (CurrentStage != Stage.StartLine)
        {
            return CurrentStage == Stage.Rejected ? HttpParseStatus.Rejected : HttpParseStatus.Complete;
        }

        while (true)
        {
            var span = reader.UnreadSpan;
            int lineFeed = Http1Syntax.IndexOfLineFeed(span, RequestLineBudget);
            LineStep step;
            if (lineFeed >= 0)
            {
                step = TakeRequestLine(span[..(lineFeed + 1)], ref handler);
                if (step is LineStep.Continue or LineStep.Done)
                {
                    reader.Advance(lineFeed + 1);
                }
            }
            else
            {
                step = TakeSplitRequestLine(ref reader, ref handler);
            }

            if (step != LineStep.Continue)
            {
                return ToStatus(step);
            }
        }
    }

    /// <summary>Parses header fields up to and including the empty line, then decides the body framing.</summary>
    public HttpParseStatus TryParseHeaders<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttpRequestHandler
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
                throw new InvalidOperationException("The request line has not been parsed yet.");
        }
    }

    private int RequestLineBudget => Limits.MaxRequestLineLength - _skippedEmptyLineBytes;

    [MethodImpl(MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    private LineStep TakeSplitRequestLine<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttpRequestHandler
    {
        int length = Http1Syntax.FindLineLength(reader, RequestLineBudget);
        if (length == 0)
        {
            return LineStep.Incomplete;
        }

        if (length < 0)
        {
            return Reject(RequestRejection.RequestLineTooLong);
        }

        // The line crosses a segment boundary: give the handler one contiguous copy.
        byte[]? rented = null;
        Span<byte> line = length <= Http1Syntax.StackLineLength
            ? stackalloc byte[Http1Syntax.StackLineLength]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        line = line[..length];
        reader.TryCopyTo(line);
        var step = TakeRequestLine(line, ref handler);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        if (step is LineStep.Continue or LineStep.Done)
        {
            reader.Advance(length);
        }

        return step;
    }

    private LineStep TakeRequestLine<THandler>(ReadOnlySpan<byte> lineWithLf, ref THandler handler)
        where THandler : struct, IHttpRequestHandler
    {
        int length = lineWithLf.Length;
        if (length < 2 || lineWithLf[length - 2] != HttpCharacters.CR)
        {
            return Reject(RequestRejection.InvalidLineTerminator);
        }

        if (length == 2)
        {
            _skippedEmptyLineBytes += 2;
            return LineStep.Continue;
        }

        var line = lineWithLf[..(length - 2)];

        // method SP request-target SP HTTP-version, single spaces only.
        int methodEnd = line.IndexOfAnyExcept(HttpCharacters.Token);
        if (methodEnd <= 0)
        {
            return Reject(methodEnd < 0 ? RequestRejection.InvalidRequestLine : RejectionForByte(line[0], RequestRejection.InvalidMethod));
        }

        if (line[methodEnd] != HttpCharacters.Space)
        {
            return Reject(RejectionForByte(line[methodEnd], RequestRejection.InvalidMethod));
        }

        var methodName = line[..methodEnd];
        var rest = line[(methodEnd + 1)..];
        int targetEnd = rest.IndexOfAnyExcept(HttpCharacters.RequestTarget);
        if (targetEnd < 0)
        {
            // No version: HTTP/0.9 style or a truncated line.
            return Reject(RequestRejection.InvalidRequestLine);
        }

        if (targetEnd == 0 || rest[targetEnd] != HttpCharacters.Space)
        {
            return Reject(RejectionForByte(rest[targetEnd], RequestRejection.InvalidRequestTarget));
        }

        var target = rest[..targetEnd];
        var versionToken = rest[(targetEnd + 1)..];
        if (!TryMatchVersion(versionToken, out var version))
        {
            return Reject(IsOtherHttpVersion(versionToken) ? RequestRejection.UnsupportedHttpVersion
                : RejectionForToken(versionToken, RequestRejection.InvalidRequestLine));
        }

        var method = KnownMethods.Classify(methodName);
        if (!TryClassifyTarget(method, target, out var form))
        {
            return Reject(RequestRejection.InvalidRequestTarget);
        }

        Method = method;
        TargetForm = form;
        Version = version;
        CurrentStage = Stage.Headers;
        handler.OnRequestLine(new HttpRequestLine(method, methodName, target, form, version));
        return LineStep.Done;
    }

    private static RequestRejection RejectionForByte(byte b, RequestRejection otherwise) =>
        b == HttpCharacters.CR ? RequestRejection.InvalidLineTerminator : otherwise;

    private static RequestRejection RejectionForToken(ReadOnlySpan<byte> token, RequestRejection otherwise) =>
        token.Contains(HttpCharacters.CR) ? RequestRejection.InvalidLineTerminator : otherwise;

    private static bool TryClassifyTarget(KnownMethod method, ReadOnlySpan<byte> target, out HttpTargetForm form)
    {
        if (method == KnownMethod.Connect)
        {
            // host:port and nothing else.
            form = HttpTargetForm.Authority;
            int colon = target.LastIndexOf(HttpCharacters.Colon);
            return colon > 0 && colon < target.Length - 1
                && !target[(colon + 1)..].ContainsAnyExceptInRange((byte)'0', (byte)'9')
                && !target.ContainsAny(HttpCharacters.InvalidInHost);
        }

        if (target[0] == HttpCharacters.Slash)
        {
            form = HttpTargetForm.Origin;
            return true;
        }

        if (target.Length == 1 && target[0] == HttpCharacters.Asterisk)
        {
            form = HttpTargetForm.Asterisk;
            return method == KnownMethod.Options;
        }

        form = HttpTargetForm.Absolute;
        return IsAbsoluteUri(target);
    }

    // scheme "://" authority [path-abempty] ["?" query], with a non-empty authority.
    private static bool IsAbsoluteUri(ReadOnlySpan<byte> target)
    {
        int separator = target.IndexOf("://"u8);
        if (separator <= 0 || !char.IsAsciiLetter((char)target[0]) || target[1..separator].ContainsAnyExcept(HttpCharacters.SchemeTail))
        {
            return false;
        }

        var afterScheme = target[(separator + 3)..];
        int authorityEnd = afterScheme.IndexOfAny("/?#"u8);
        var authority = authorityEnd < 0 ? afterScheme : afterScheme[..authorityEnd];
        return !authority.IsEmpty && !authority.ContainsAny(HttpCharacters.InvalidInHost);
    }

    private protected override RequestRejection CompleteHead()
    {
        ref var framing = ref Framing;
        if (Version == HttpProtocolVersion.Http11 && framing.HostCount == 0)
        {
            return RequestRejection.MissingHost;
        }

        if (framing.HasTransferEncoding)
        {
            if (framing.HasContentLength)
            {
                return RequestRejection.ContentLengthWithTransferEncoding;
            }

            if (Version == HttpProtocolVersion.Http10)
            {
                // An HTTP/1.0 recipient could not have understood chunked: a sign of smuggling (RFC 9112 section 6.1).
                return RequestRejection.TransferEncodingInHttp10;
            }

            System.Diagnostics.Debug.Assert(framing.IsChunked, "Any other coding was refused when its field was read.");
            BodyFraming = BodyFraming.Chunked;
        }
        else if (framing.HasContentLength && framing.ContentLength > 0)
        {
            if (framing.ContentLength > Limits.MaxRequestBodySize)
            {
                return RequestRejection.BodyTooLarge;
            }

            BodyFraming = BodyFraming.ContentLength;
            ContentLength = framing.ContentLength;
        }

        bool close = (framing.Connection & ConnectionOptions.Close) != 0;
        KeepAlive = Version == HttpProtocolVersion.Http11
            ? !close
            : !close && (framing.Connection & ConnectionOptions.KeepAlive) != 0;
        ExpectContinue = framing.ExpectContinue && Version == HttpProtocolVersion.Http11;
        return RequestRejection.None;
    }
}
