using System.Buffers;
using System.Runtime.CompilerServices;

namespace Gateway.Net.Http.Parsing;

/// <summary>
/// Incremental decoder of the chunked transfer-coding. It hands out body bytes as slices of the input as soon as
/// they arrive (nothing is buffered or copied), enforces the body-size limit on the declared chunk sizes before the
/// data is read, skips chunk extensions and reads the trailer section under its own limits.
/// </summary>
/// <remarks>
/// A mutable struct: keep it in a field and call it through that field, never through a copy.
/// </remarks>
internal struct ChunkedBodyDecoder
{
    private enum Phase : byte
    {
        SizeLine,
        Data,
        DataEnd,
        Trailers,
        Completed,
        Rejected,
    }

    private enum LineStep : byte
    {
        Continue,
        Incomplete,
        Rejected,
    }

    private readonly HttpParserLimits _limits;
    private readonly long _maxBodySize;
    private Phase _phase;
    private long _chunkRemaining;
    private long _bodyLength;
    private int _trailerCount;
    private int _trailerBytes;

    public ChunkedBodyDecoder(HttpParserLimits limits, long maxBodySize)
    {
        _limits = limits;
        _maxBodySize = maxBodySize;
        _phase = Phase.SizeLine;
        _chunkRemaining = 0;
        _bodyLength = 0;
        _trailerCount = 0;
        _trailerBytes = 0;
        Rejection = RequestRejection.None;
    }

    public RequestRejection Rejection { get; private set; }

    public readonly bool IsCompleted => _phase == Phase.Completed;

    /// <summary>Sum of the chunk sizes read so far.</summary>
    public readonly long BodyLength => _bodyLength;

    /// <summary>Decodes and drops trailers.</summary>
    public BodyReadStatus Read(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> data)
    {
        var discard = default(DiscardingHeadersHandler);
        return Read(ref reader, out data, ref discard);
    }

    /// <summary>
    /// Produces the next run of body bytes. On <see cref="BodyReadStatus.Data"/>, <paramref name="data"/> is a
    /// non-empty slice of the reader's sequence (valid until the caller advances its pipe) and the reader has moved
    /// past it. Trailer fields go to <paramref name="trailers"/>.
    /// </summary>
    public BodyReadStatus Read<TTrailers>(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> data, ref TTrailers trailers)
        where TTrailers : struct, IHttpHeadersHandler
    {
        data = default;
        while (true)
        {
            switch (_phase)
            {
                case Phase.Data:
                    long available = reader.Remaining;
                    if (available == 0)
                    {
                        return BodyReadStatus.NeedMoreData;
                    }

                    long take = Math.Min(available, _chunkRemaining);
                    data = reader.UnreadSequence.Slice(0, take);
                    reader.Advance(take);
                    _chunkRemaining -= take;
                    if (_chunkRemaining == 0)
                    {
                        _phase = Phase.DataEnd;
                    }

                    return BodyReadStatus.Data;

                case Phase.DataEnd:
                    if (!TryTakeDataEnd(ref reader, out bool rejected))
                    {
                        return rejected ? BodyReadStatus.Rejected : BodyReadStatus.NeedMoreData;
                    }

                    _phase = Phase.SizeLine;
                    break;

                case Phase.SizeLine:
                case Phase.Trailers:
                    var step = TakeLine(ref reader, ref trailers);
                    if (step == LineStep.Incomplete)
                    {
                        return BodyReadStatus.NeedMoreData;
                    }

                    if (step == LineStep.Rejected)
                    {
                        return BodyReadStatus.Rejected;
                    }

                    break;

                case Phase.Completed:
                    return BodyReadStatus.Completed;

                default:
                    return BodyReadStatus.Rejected;
            }
        }
    }

    // The CRLF after chunk data: an early mismatch is refused without waiting for the second byte.
    private bool TryTakeDataEnd(ref SequenceReader<byte> reader, out bool rejected)
    {
        rejected = false;
        if (!reader.TryPeek(out byte first))
        {
            return false;
        }

        if (first != HttpCharacters.CR)
        {
            rejected = Fail(RequestRejection.InvalidChunkTerminator);
            return false;
        }

        if (!reader.TryPeek(1, out byte second))
        {
            return false;
        }

        if (second != HttpCharacters.LF)
        {
            rejected = Fail(RequestRejection.InvalidChunkTerminator);
            return false;
        }

        reader.Advance(2);
        return true;
    }

    private int LineBudget => _phase == Phase.SizeLine
        ? _limits.MaxChunkLineLength
        : Math.Max(_limits.MaxTrailerBytes - _trailerBytes, 2);

    private LineStep TakeLine<TTrailers>(ref SequenceReader<byte> reader, ref TTrailers trailers)
        where TTrailers : struct, IHttpHeadersHandler
    {
        var span = reader.UnreadSpan;
        int lineFeed = Http1Syntax.IndexOfLineFeed(span, LineBudget);
        if (lineFeed < 0)
        {
            return TakeSplitLine(ref reader, ref trailers);
        }

        var step = ProcessLine(span[..(lineFeed + 1)], ref trailers);
        if (step == LineStep.Continue)
        {
            reader.Advance(lineFeed + 1);
        }

        return step;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    private LineStep TakeSplitLine<TTrailers>(ref SequenceReader<byte> reader, ref TTrailers trailers)
        where TTrailers : struct, IHttpHeadersHandler
    {
        int length = Http1Syntax.FindLineLength(reader, LineBudget);
        if (length == 0)
        {
            return LineStep.Incomplete;
        }

        if (length < 0)
        {
            Fail(_phase == Phase.SizeLine ? RequestRejection.ChunkLineTooLong : RequestRejection.TrailersTooLarge);
            return LineStep.Rejected;
        }

        // The line crosses a segment boundary: give the handler one contiguous copy.
        byte[]? rented = null;
        Span<byte> line = length <= Http1Syntax.StackLineLength
            ? stackalloc byte[Http1Syntax.StackLineLength]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        line = line[..length];
        reader.TryCopyTo(line);
        var step = ProcessLine(line, ref trailers);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        if (step == LineStep.Continue)
        {
            reader.Advance(length);
        }

        return step;
    }

    private LineStep ProcessLine<TTrailers>(ReadOnlySpan<byte> lineWithLf, ref TTrailers trailers)
        where TTrailers : struct, IHttpHeadersHandler
    {
        int length = lineWithLf.Length;
        if (length < 2 || lineWithLf[length - 2] != HttpCharacters.CR)
        {
            Fail(RequestRejection.InvalidLineTerminator);
            return LineStep.Rejected;
        }

        var line = lineWithLf[..(length - 2)];
        var rejection = _phase == Phase.SizeLine ? TakeSizeLine(line) : TakeTrailerLine(line, length, ref trailers);
        if (rejection != RequestRejection.None)
        {
            Fail(rejection);
            return LineStep.Rejected;
        }

        return LineStep.Continue;
    }

    // chunk-size [ BWS ";" chunk-ext ] ; extensions are checked for forbidden bytes and otherwise ignored.
    private RequestRejection TakeSizeLine(ReadOnlySpan<byte> line)
    {
        int digitsEnd = line.IndexOfAnyExcept(HttpCharacters.HexDigits);
        if (digitsEnd < 0)
        {
            digitsEnd = line.Length;
        }

        if (!Http1Syntax.TryParseChunkSize(line[..digitsEnd], out long size))
        {
            return line.IsEmpty || digitsEnd > 0 || line[0] != HttpCharacters.CR
                ? RequestRejection.InvalidChunkSize
                : RequestRejection.InvalidLineTerminator;
        }

        var extensions = line[digitsEnd..];
        if (!extensions.IsEmpty)
        {
            var afterWhitespace = extensions.TrimStart(" \t"u8);
            if (afterWhitespace.IsEmpty || afterWhitespace[0] != HttpCharacters.Semicolon)
            {
                return RequestRejection.InvalidChunkSize;
            }

            int bad = afterWhitespace.IndexOfAnyExcept(HttpCharacters.FieldValue);
            if (bad >= 0)
            {
                return afterWhitespace[bad] == HttpCharacters.CR ? RequestRejection.InvalidLineTerminator : RequestRejection.InvalidChunkExtension;
            }
        }

        if (size == 0)
        {
            _phase = Phase.Trailers;
            return RequestRejection.None;
        }

        if (size > _maxBodySize - _bodyLength)
        {
            return RequestRejection.BodyTooLarge;
        }

        _bodyLength += size;
        _chunkRemaining = size;
        _phase = Phase.Data;
        return RequestRejection.None;
    }

    private RequestRejection TakeTrailerLine<TTrailers>(ReadOnlySpan<byte> line, int lengthWithCrlf, ref TTrailers trailers)
        where TTrailers : struct, IHttpHeadersHandler
    {
        if (line.IsEmpty)
        {
            _phase = Phase.Completed;
            return RequestRejection.None;
        }

        if (lengthWithCrlf > _limits.MaxTrailerBytes - _trailerBytes)
        {
            return RequestRejection.TrailersTooLarge;
        }

        if (++_trailerCount > _limits.MaxTrailerCount)
        {
            return RequestRejection.TooManyTrailers;
        }

        _trailerBytes += lengthWithCrlf;
        var rejection = Http1Syntax.SplitFieldLine(line, out var name, out var value);
        if (rejection != RequestRejection.None)
        {
            return rejection;
        }

        trailers.OnHeader(KnownHeaders.Classify(name), name, value);
        return RequestRejection.None;
    }

    private bool Fail(RequestRejection rejection)
    {
        Rejection = rejection;
        _phase = Phase.Rejected;
        return true;
    }
}
