using System.Buffers;
using System.Text;

namespace Gateway.Net.Http.Parsing;

/// <summary>Line and field rules shared by the request parser, the response parser and the chunked decoder.</summary>
internal static class Http1Syntax
{
    /// <summary>
    /// Index of the LF ending a line that starts at <paramref name="span"/>[0], looking only where a line of at most
    /// <paramref name="maxLineLength"/> bytes (LF included) could end; -1 if there is none in this span.
    /// </summary>
    public static int IndexOfLineFeed(ReadOnlySpan<byte> span, int maxLineLength)
    {
        if ((uint)span.Length > (uint)maxLineLength)
        {
            span = span[..Math.Max(maxLineLength, 0)];
        }

        return span.IndexOf(HttpCharacters.LF);
    }

    /// <summary>
    /// Length (LF included) of the line at the reader's position when it spans segments: 0 when its end has not arrived
    /// yet, -1 when it cannot fit in <paramref name="maxLineLength"/> whatever arrives next.
    /// Only the first <paramref name="maxLineLength"/> bytes are searched, so the work per call is bounded.
    /// </summary>
    public static int FindLineLength(in SequenceReader<byte> reader, int maxLineLength)
    {
        if (maxLineLength <= 0)
        {
            return -1;
        }

        int scanned = 0;
        foreach (var memory in reader.UnreadSequence)
        {
            var span = memory.Span;
            int room = maxLineLength - scanned;
            if (span.Length > room)
            {
                span = span[..room];
            }

            int lineFeed = span.IndexOf(HttpCharacters.LF);
            if (lineFeed >= 0)
            {
                return scanned + lineFeed + 1;
            }

            scanned += span.Length;
            if (scanned >= maxLineLength)
            {
                // The line is at least one byte longer than the limit.
                return -1;
            }
        }

        return 0;
    }

    /// <summary>Lines up to this length are copied to the stack when they cross segments; longer ones to a pooled array.</summary>
    public const int StackLineLength = 256;

    /// <summary>
    /// Splits a header or trailer line (without its CRLF) into a token name and an OWS-trimmed value, enforcing
    /// the rules that keep two parsers from reading the same bytes differently.
    /// </summary>
    public static RequestRejection SplitFieldLine(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = default;
        value = default;

        int nameEnd = line.IndexOfAnyExcept(HttpCharacters.Token);
        if ((uint)nameEnd >= (uint)line.Length)
        {
            return RequestRejection.InvalidHeaderLine;
        }

        byte stop = line[nameEnd];
        if (stop != HttpCharacters.Colon || nameEnd == 0)
        {
            return ClassifyBadName(line, nameEnd);
        }

        name = line[..nameEnd];
        var rest = line[(nameEnd + 1)..];
        int bad = rest.IndexOfAnyExcept(HttpCharacters.FieldValue);
        if (bad >= 0)
        {
            return rest[bad] == HttpCharacters.CR ? RequestRejection.InvalidLineTerminator : RequestRejection.InvalidHeaderValue;
        }

        value = HttpCharacters.TrimWhitespace(rest);
        return RequestRejection.None;
    }

    private static RequestRejection ClassifyBadName(ReadOnlySpan<byte> line, int nameEnd)
    {
        byte stop = line[nameEnd];
        if (nameEnd == 0 && HttpCharacters.IsWhitespace(stop))
        {
            // A field line starting with whitespace continues the previous one (obs-fold).
            return RequestRejection.ObsoleteLineFolding;
        }

        if (HttpCharacters.IsWhitespace(stop) && nameEnd > 0)
        {
            var afterName = line[nameEnd..];
            int next = afterName.IndexOfAnyExcept(HttpCharacters.Space, HttpCharacters.HTab);
            if (next >= 0 && afterName[next] == HttpCharacters.Colon)
            {
                return RequestRejection.WhitespaceBeforeColon;
            }
        }

        return stop == HttpCharacters.CR ? RequestRejection.InvalidLineTerminator : RequestRejection.InvalidHeaderName;
    }

    /// <summary>1*DIGIT without sign, whitespace or list syntax, fitting in a <see cref="long"/>.</summary>
    public static bool TryParseContentLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (byte b in value)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9 || length > (long.MaxValue - digit) / 10)
            {
                length = 0;
                return false;
            }

            length = (length * 10) + digit;
        }

        return true;
    }

    /// <summary>
    /// Folds one Transfer-Encoding field into <paramref name="chunked"/>. Only a single, final "chunked" is accepted:
    /// any coding after it, or a second one, is a framing conflict (400); any other coding is not implemented (501).
    /// </summary>
    public static RequestRejection ParseTransferEncoding(ReadOnlySpan<byte> value, ref bool chunked)
    {
        bool sawCoding = false;
        while (true)
        {
            int comma = value.IndexOf(HttpCharacters.Comma);
            var element = HttpCharacters.TrimWhitespace(comma < 0 ? value : value[..comma]);
            if (!element.IsEmpty)
            {
                sawCoding = true;
                if (chunked)
                {
                    return RequestRejection.ChunkedNotFinal;
                }

                int parameters = element.IndexOf(HttpCharacters.Semicolon);
                var codingName = parameters < 0 ? element : HttpCharacters.TrimWhitespace(element[..parameters]);
                if (codingName.IsEmpty || codingName.ContainsAnyExcept(HttpCharacters.Token))
                {
                    return RequestRejection.InvalidTransferEncoding;
                }

                if (!Ascii.EqualsIgnoreCase(codingName, KnownHeaders.ChunkedToken))
                {
                    return RequestRejection.UnsupportedTransferEncoding;
                }

                if (parameters >= 0)
                {
                    // chunked takes no parameters.
                    return RequestRejection.InvalidTransferEncoding;
                }

                chunked = true;
            }

            if (comma < 0)
            {
                break;
            }

            value = value[(comma + 1)..];
        }

        return sawCoding ? RequestRejection.None : RequestRejection.InvalidTransferEncoding;
    }

    /// <summary>The options in one Connection field that the codec acts on.</summary>
    public static ConnectionOptions ParseConnection(ReadOnlySpan<byte> value)
    {
        var options = ConnectionOptions.None;
        while (true)
        {
            int comma = value.IndexOf(HttpCharacters.Comma);
            var element = HttpCharacters.TrimWhitespace(comma < 0 ? value : value[..comma]);
            if (Ascii.EqualsIgnoreCase(element, KnownHeaders.CloseToken))
            {
                options |= ConnectionOptions.Close;
            }
            else if (Ascii.EqualsIgnoreCase(element, KnownHeaders.KeepAliveToken))
            {
                options |= ConnectionOptions.KeepAlive;
            }
            else if (Ascii.EqualsIgnoreCase(element, KnownHeaders.UpgradeToken))
            {
                options |= ConnectionOptions.Upgrade;
            }

            if (comma < 0)
            {
                return options;
            }

            value = value[(comma + 1)..];
        }
    }

    /// <summary>Parses the hex chunk-size of a chunk line; false on a non-hex digit or overflow.</summary>
    public static bool TryParseChunkSize(ReadOnlySpan<byte> digits, out long size)
    {
        size = 0;
        foreach (byte b in digits)
        {
            int nibble = HexValue(b);
            if (nibble < 0 || size > (long.MaxValue >> 4))
            {
                size = 0;
                return false;
            }

            size = (size << 4) | (uint)nibble;
        }

        return !digits.IsEmpty;
    }

    private static int HexValue(byte b)
    {
        uint digit = (uint)(b - '0');
        if (digit <= 9)
        {
            return (int)digit;
        }

        uint letter = (uint)((b | 0x20) - 'a');
        return letter <= 5 ? (int)letter + 10 : -1;
    }
}
