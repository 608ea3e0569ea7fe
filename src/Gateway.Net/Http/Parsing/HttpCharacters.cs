using System.Buffers;

namespace Gateway.Net.Http.Parsing;

/// <summary>Byte constants and the character classes of RFC 9110/9112 as vectorised sets.</summary>
internal static class HttpCharacters
{
    public const byte CR = (byte)'\r';
    public const byte LF = (byte)'\n';
    public const byte Space = (byte)' ';
    public const byte HTab = (byte)'\t';
    public const byte Colon = (byte)':';
    public const byte Semicolon = (byte)';';
    public const byte Comma = (byte)',';
    public const byte Slash = (byte)'/';
    public const byte Question = (byte)'?';
    public const byte Hash = (byte)'#';
    public const byte Asterisk = (byte)'*';

    /// <summary>tchar: what methods, header names and transfer-coding names are made of.</summary>
    public static readonly SearchValues<byte> Token =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>field-vchar, SP and HTAB: every byte allowed in a field value or reason phrase (CTLs and DEL excluded).</summary>
    public static readonly SearchValues<byte> FieldValue = SearchValues.Create(FieldValueBytes());

    /// <summary>
    /// Bytes allowed in a request-target: visible ASCII plus non-ASCII octets (sent raw by some clients).
    /// Whitespace, controls and DEL are excluded, so the target can never hide a second request line.
    /// </summary>
    public static readonly SearchValues<byte> RequestTarget = SearchValues.Create(RequestTargetBytes());

    public static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789ABCDEFabcdef"u8);

    /// <summary>Bytes that cannot appear in a Host value (uri-host [":" port]).</summary>
    public static readonly SearchValues<byte> InvalidInHost = SearchValues.Create(" \t/?#@\\"u8);

    public static readonly SearchValues<byte> SchemeTail =
        SearchValues.Create("+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    public static bool IsWhitespace(byte b) => b is Space or HTab;

    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> span)
    {
        int start = 0;
        while (start < span.Length && IsWhitespace(span[start]))
        {
            start++;
        }

        int end = span.Length;
        while (end > start && IsWhitespace(span[end - 1]))
        {
            end--;
        }

        return span[start..end];
    }

    private static byte[] FieldValueBytes()
    {
        var bytes = new List<byte> { HTab };
        for (int b = 0x20; b <= 0xFF; b++)
        {
            if (b != 0x7F)
            {
                bytes.Add((byte)b);
            }
        }

        return bytes.ToArray();
    }

    private static byte[] RequestTargetBytes()
    {
        var bytes = new List<byte>();
        for (int b = 0x21; b <= 0xFF; b++)
        {
            if (b != 0x7F)
            {
                bytes.Add((byte)b);
            }
        }

        return bytes.ToArray();
    }
}
