using Gateway.Apig.Common;

namespace Gateway.Apig.Acls;

/// <summary>
/// The documented rules of <c>acl_value</c> (3.13.1), a comma-separated list whose entries depend on <c>entity_type</c>:
/// <list type="bullet">
/// <item><c>IP</c>: at most 100 IPv4 addresses or CIDR blocks, in strict dotted-decimal form (no leading zeros) and,
/// for blocks, with no bits set after the prefix, so that every entry has exactly one meaning.</item>
/// <item><c>DOMAIN</c>: account names of 1–64 printable ASCII characters other than the comma, not purely numeric,
/// at most 1024 characters in all.</item>
/// <item><c>DOMAIN_ID</c>: account IDs (letters, digits, <c>-</c>, <c>_</c>; 1–64 each), at most 1024 characters in all.</item>
/// </list>
/// Entries must not repeat.
/// </summary>
internal static class AclValueRules
{
    public const string Ip = "IP";
    public const string Domain = "DOMAIN";
    public const string DomainId = "DOMAIN_ID";
    public const int MaxIpEntries = 100;
    public const int MaxNameLength = 64;
    public const int MaxTotalLength = 1024;

    /// <summary>Returns the value when it is valid for the entity type; otherwise throws the documented error naming acl_value.</summary>
    public static string Validate(string entityType, string? value)
    {
        var text = Check.Required(value, "acl_value");
        if (entityType == Ip)
        {
            ValidateIpList(text);
        }
        else
        {
            ValidateAccountList(text, byId: entityType == DomainId);
        }

        return text;
    }

    /// <summary>Parses a strict dotted-decimal IPv4 address: four parts of 1–3 digits, no leading zeros, each at most 255.</summary>
    public static bool TryParseIpv4(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        var parts = 0;
        while (true)
        {
            var end = text.IndexOf('.');
            var part = end < 0 ? text : text[..end];
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }

            var octet = 0;
            foreach (var c in part)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }

                octet = (octet * 10) + (c - '0');
            }

            if (octet > 255 || ++parts > 4)
            {
                return false;
            }

            address = (address << 8) | (uint)octet;
            if (end < 0)
            {
                return parts == 4;
            }

            text = text[(end + 1)..];
        }
    }

    /// <summary>An IPv4 address, or a CIDR block <c>address/prefix</c> (prefix 0–32, no leading zeros) with no host bits set.</summary>
    public static bool IsIpOrCidr(ReadOnlySpan<char> entry)
    {
        var slash = entry.IndexOf('/');
        if (slash < 0)
        {
            return TryParseIpv4(entry, out _);
        }

        var prefixText = entry[(slash + 1)..];
        if (!TryParseIpv4(entry[..slash], out var address) ||
            prefixText.Length is 0 or > 2 ||
            (prefixText.Length == 2 && prefixText[0] == '0') ||
            !char.IsAsciiDigit(prefixText[0]) ||
            (prefixText.Length == 2 && !char.IsAsciiDigit(prefixText[1])))
        {
            return false;
        }

        var prefix = prefixText.Length == 1 ? prefixText[0] - '0' : ((prefixText[0] - '0') * 10) + (prefixText[1] - '0');
        if (prefix > 32)
        {
            return false;
        }

        var hostMask = prefix == 0 ? uint.MaxValue : (1u << (32 - prefix)) - 1;
        return (address & hostMask) == 0;
    }

    private static void ValidateIpList(string text)
    {
        if (text.AsSpan().Count(',') + 1 > MaxIpEntries)
        {
            throw AclErrors.ValueTooLarge($"At most {MaxIpEntries} IP addresses are allowed");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in text.Split(','))
        {
            if (!IsIpOrCidr(entry))
            {
                throw AclErrors.InvalidIp(Shorten(entry));
            }

            if (!seen.Add(entry))
            {
                throw AclErrors.InvalidValue($"The IP address {entry} is listed twice");
            }
        }
    }

    private static void ValidateAccountList(string text, bool byId)
    {
        if (text.Length > MaxTotalLength)
        {
            throw AclErrors.ValueTooLarge($"The value must not exceed {MaxTotalLength} characters");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in text.Split(','))
        {
            if (entry.Length == 0)
            {
                throw AclErrors.InvalidValue("Entries must not be empty");
            }

            if (entry.Length > MaxNameLength)
            {
                throw AclErrors.ValueTooLarge($"Each entry must not exceed {MaxNameLength} characters");
            }

            if (byId ? !IsAccountId(entry) : !IsAccountName(entry))
            {
                throw AclErrors.InvalidValue(byId
                    ? "Account IDs consist of letters, digits, hyphens and underscores"
                    : "Account names consist of printable ASCII characters other than the comma and are not purely numeric");
            }

            if (!seen.Add(entry))
            {
                throw AclErrors.InvalidValue("Entries must not repeat");
            }
        }
    }

    private static bool IsAccountName(string entry)
    {
        var allDigits = true;
        foreach (var c in entry)
        {
            if (c is < ' ' or > '~' or ',')
            {
                return false;
            }

            allDigits &= char.IsAsciiDigit(c);
        }

        return !allDigits;
    }

    private static bool IsAccountId(string entry)
    {
        foreach (var c in entry)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string entry) => entry.Length <= 64 ? entry : entry[..64] + "...";
}
