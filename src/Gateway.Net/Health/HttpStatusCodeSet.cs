namespace Gateway.Net.Health;

/// <summary>
/// The status codes an HTTP health check accepts, parsed once from <c>http_code</c>: a comma-separated list of codes
/// (100–599) and ascending ranges, e.g. <c>200</c>, <c>200,201</c>, <c>200-299</c> or <c>201,202,210-299</c>.
/// </summary>
internal sealed class HttpStatusCodeSet : IEquatable<HttpStatusCodeSet>
{
    private const int First = 100;
    private const int Last = 599;

    // One bit per code from 100 to 599.
    private readonly ulong[] _bits = new ulong[(Last - First + 64) / 64];

    private HttpStatusCodeSet()
    {
    }

    /// <summary>What a check without a usable <c>http_code</c> accepts: 200 (the documented HTTPS default).</summary>
    public static HttpStatusCodeSet Default { get; } = Parse("200");

    public bool Contains(int code) => code is >= First and <= Last && (_bits[(code - First) >> 6] & (1UL << ((code - First) & 63))) != 0;

    /// <summary>Parses a list; false (and no set) for anything malformed: empty items, codes outside 100–599, descending ranges.</summary>
    public static bool TryParse(string? text, out HttpStatusCodeSet set)
    {
        set = new HttpStatusCodeSet();
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        foreach (var range in text.AsSpan().Split(','))
        {
            var item = text.AsSpan()[range].Trim();
            var dash = item.IndexOf('-');
            int low, high;
            if (dash < 0)
            {
                if (!TryCode(item, out low))
                {
                    return false;
                }

                high = low;
            }
            else if (!TryCode(item[..dash], out low) || !TryCode(item[(dash + 1)..], out high) || low > high)
            {
                return false;
            }

            for (var code = low; code <= high; code++)
            {
                set._bits[(code - First) >> 6] |= 1UL << ((code - First) & 63);
            }
        }

        return true;
    }

    /// <summary>The set for <paramref name="text"/>, or <see cref="Default"/> when it is missing or malformed.</summary>
    public static HttpStatusCodeSet ParseOrDefault(string? text) => TryParse(text, out var set) ? set : Default;

    private static HttpStatusCodeSet Parse(string text) =>
        TryParse(text, out var set) ? set : throw new FormatException($"'{text}' is not a list of HTTP codes.");

    private static bool TryCode(ReadOnlySpan<char> text, out int code)
    {
        text = text.Trim();
        code = 0;
        if (text.Length != 3)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            code = (code * 10) + (c - '0');
        }

        return code is >= First and <= Last;
    }

    public bool Equals(HttpStatusCodeSet? other) => other is not null && _bits.AsSpan().SequenceEqual(other._bits);

    public override bool Equals(object? obj) => Equals(obj as HttpStatusCodeSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var word in _bits)
        {
            hash.Add(word);
        }

        return hash.ToHashCode();
    }
}
