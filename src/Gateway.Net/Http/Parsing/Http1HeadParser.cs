using System.Buffers;
using System.Runtime.CompilerServices;

namespace Gateway.Net.Http.Parsing;

/// <summary>
/// What request and response heads have in common: the header-field loop, its limits and the framing fields.
/// One instance serves one connection and is <see cref="ResetHead"/> between messages; no state is allocated per message.
/// </summary>
internal abstract class Http1HeadParser
{
    private protected enum Stage : byte
    {
        StartLine,
        Headers,
        Complete,
        Rejected,
    }

    private protected enum LineStep : byte
    {
        Continue,
        Done,
        Incomplete,
        Rejected,
    }

    private readonly bool _isRequest;
    private int _headerCount;
    private int _headerBytes;

    private protected Http1HeadParser(HttpParserLimits limits, bool isRequest)
    {
        Limits = limits;
        _isRequest = isRequest;
    }

    public HttpParserLimits Limits { get; }

    /// <summary>Why the message was refused; <see cref="RequestRejection.None"/> unless a call returned <see cref="HttpParseStatus.Rejected"/>.</summary>
    public RequestRejection Rejection { get; private set; }

    public HttpProtocolVersion Version { get; private protected set; }

    /// <summary>How the body that follows the head is delimited (valid once the head is complete).</summary>
    public BodyFraming BodyFraming { get; private protected set; }

    /// <summary>The Content-Length when <see cref="BodyFraming"/> is <see cref="BodyFraming.ContentLength"/>; otherwise 0.</summary>
    public long ContentLength { get; private protected set; }

    /// <summary>Whether the connection may carry another message after this one (valid once the head is complete).</summary>
    public bool KeepAlive { get; private protected set; }

    /// <summary>The Connection header listed "upgrade" and an Upgrade header was present.</summary>
    public bool IsUpgrade => Framing.HasUpgrade && (Framing.Connection & ConnectionOptions.Upgrade) != 0;

    public bool IsHeadComplete => CurrentStage == Stage.Complete;

    private protected Stage CurrentStage { get; set; }

    private protected MessageFramingHeaders Framing;

    private protected void ResetHead()
    {
        CurrentStage = Stage.StartLine;
        Rejection = RequestRejection.None;
        Version = default;
        BodyFraming = BodyFraming.None;
        ContentLength = 0;
        KeepAlive = false;
        Framing = default;
        _headerCount = 0;
        _headerBytes = 0;
    }

    private protected LineStep Reject(RequestRejection rejection)
    {
        Rejection = rejection;
        CurrentStage = Stage.Rejected;
        return LineStep.Rejected;
    }

    private protected static HttpParseStatus ToStatus(LineStep step) => step switch
    {
        LineStep.Done => HttpParseStatus.Complete,
        LineStep.Rejected => HttpParseStatus.Rejected,
        _ => HttpParseStatus.Incomplete,
    };

    /// <summary>Decides framing and keep-alive once the empty line ending the head has been read.</summary>
    private protected abstract RequestRejection CompleteHead();

    /// <summary>
    /// Reads header lines until the empty line. Complete lines are consumed and handed to <paramref name="handler"/> as
    /// they are read; on <see cref="HttpParseStatus.Incomplete"/> the reader stays at the start of the unfinished line.
    /// On <see cref="HttpParseStatus.Complete"/> the reader is at the first body byte (or the next message).
    /// </summary>
    private protected HttpParseStatus ParseHeaderLines<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttpHeadersHandler
    {
        // Lines inside the current segment are taken from a local span; the reader moves once per segment.
        var span = reader.UnreadSpan;
        int consumed = 0;
        while (true)
        {
            var rest = span[consumed..];
            int lineFeed = Http1Syntax.IndexOfLineFeed(rest, HeaderLineBudget);
            LineStep step;
            if (lineFeed >= 0)
            {
                step = TakeHeaderLine(rest[..(lineFeed + 1)], ref handler);
                if (step is LineStep.Continue or LineStep.Done)
                {
                    consumed += lineFeed + 1;
                }

                if (step == LineStep.Continue)
                {
                    continue;
                }

                reader.Advance(consumed);
                return ToStatus(step);
            }

            if (consumed > 0)
            {
                // Catch the reader up; if this segment is used up, the next one may hold whole lines again.
                reader.Advance(consumed);
                consumed = 0;
                span = reader.UnreadSpan;
                continue;
            }

            step = TakeSplitHeaderLine(ref reader, ref handler);
            if (step != LineStep.Continue)
            {
                return ToStatus(step);
            }

            span = reader.UnreadSpan;
        }
    }

    // Header lines share one byte budget; the final CRLF always fits so a head that used it all can still end.
    private int HeaderLineBudget => Math.Max(Limits.MaxHeaderBytes - _headerBytes, 2);

    [MethodImpl(MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    private LineStep TakeSplitHeaderLine<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttpHeadersHandler
    {
        int length = Http1Syntax.FindLineLength(reader, HeaderLineBudget);
        if (length == 0)
        {
            return LineStep.Incomplete;
        }

        if (length < 0)
        {
            return Reject(RequestRejection.HeadersTooLarge);
        }

        // The line crosses a segment boundary: give the handler one contiguous copy.
        byte[]? rented = null;
        Span<byte> line = length <= Http1Syntax.StackLineLength
            ? stackalloc byte[Http1Syntax.StackLineLength]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        line = line[..length];
        reader.TryCopyTo(line);
        var step = TakeHeaderLine(line, ref handler);
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

    private LineStep TakeHeaderLine<THandler>(ReadOnlySpan<byte> lineWithLf, ref THandler handler)
        where THandler : struct, IHttpHeadersHandler
    {
        int length = lineWithLf.Length;
        if (length < 2 || lineWithLf[length - 2] != HttpCharacters.CR)
        {
            return Reject(RequestRejection.InvalidLineTerminator);
        }

        if (length == 2)
        {
            var rejection = CompleteHead();
            if (rejection != RequestRejection.None)
            {
                return Reject(rejection);
            }

            CurrentStage = Stage.Complete;
            return LineStep.Done;
        }

        if (length > Limits.MaxHeaderBytes - _headerBytes)
        {
            return Reject(RequestRejection.HeadersTooLarge);
        }

        if (++_headerCount > Limits.MaxHeaderCount)
        {
            return Reject(RequestRejection.TooManyHeaders);
        }

        _headerBytes += length;
        var fieldRejection = Http1Syntax.SplitFieldLine(lineWithLf[..(length - 2)], out var name, out var value);
        if (fieldRejection != RequestRejection.None)
        {
            return Reject(fieldRejection);
        }

        var known = KnownHeaders.Classify(name);
        if (known != KnownHeader.Unknown && (_isRequest || known is not (KnownHeader.Host or KnownHeader.Expect)))
        {
            fieldRejection = Framing.Observe(known, value);
            if (fieldRejection != RequestRejection.None)
            {
                return Reject(fieldRejection);
            }
        }

        handler.OnHeader(known, name, value);
        return LineStep.Continue;
    }

    /// <summary>Matches "HTTP/1.1" or "HTTP/1.0" with one 8-byte compare.</summary>
    private protected static bool TryMatchVersion(ReadOnlySpan<byte> token, out HttpProtocolVersion version)
    {
        version = default;
        if (token.Length != 8)
        {
            return false;
        }

        ulong value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(token);
        if (value == Http11Value)
        {
            version = HttpProtocolVersion.Http11;
            return true;
        }

        if (value == Http10Value)
        {
            version = HttpProtocolVersion.Http10;
            return true;
        }

        return false;
    }

    /// <summary>Well-formed "HTTP/" 1*DIGIT ["." 1*DIGIT] that is not a version spoken here (answered with 505).</summary>
    private protected static bool IsOtherHttpVersion(ReadOnlySpan<byte> token)
    {
        if (!token.StartsWith("HTTP/"u8))
        {
            return false;
        }

        var number = token[5..];
        int dot = number.IndexOf((byte)'.');
        var major = dot < 0 ? number : number[..dot];
        var minor = dot < 0 ? "0"u8 : number[(dot + 1)..];
        return !major.IsEmpty && !minor.IsEmpty
            && !major.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            && !minor.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    private static readonly ulong Http11Value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian("HTTP/1.1"u8);
    private static readonly ulong Http10Value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian("HTTP/1.0"u8);
}
