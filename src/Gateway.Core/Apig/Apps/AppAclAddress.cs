using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Gateway.Apig.Apps;

/// <summary>
/// One APP ACL value (3.28.14): a single IP address, a range <c>first-last</c> or a CIDR block <c>address/prefix</c>,
/// as the inclusive span of addresses it covers. IPv4 must be strict dotted decimal; IPv6 is accepted in its usual text
/// forms. A CIDR address may have host bits set (the documented example <c>192.168.0.100/28</c> does).
/// </summary>
internal readonly partial record struct AppAclAddress(AddressFamily Family, UInt128 First, UInt128 Last)
{
    public bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == Family && ToNumber(address) is var number && number >= First && number <= Last;
    }

    public static bool TryParse(string? text, out AppAclAddress value)
    {
        value = default;
        if (string.IsNullOrEmpty(text) || text.Length > 100)
        {
            return false;
        }

        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            if (!TryParseAddress(text.AsSpan(0, slash), out var family, out var number) || !TryParsePrefix(text.AsSpan(slash + 1), family, out var prefix))
            {
                return false;
            }

            var bits = family == AddressFamily.InterNetwork ? 32 : 128;
            // A shift by 128 is a shift by 0 for UInt128, so ::/0 needs its own case.
            var hostBits = bits - prefix;
            var hostMask = hostBits == 0 ? UInt128.Zero : hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
            value = new AppAclAddress(family, number & ~hostMask, number | hostMask);
            return true;
        }

        var dash = text.IndexOf('-');
        if (dash >= 0)
        {
            if (!TryParseAddress(text.AsSpan(0, dash), out var firstFamily, out var first) ||
                !TryParseAddress(text.AsSpan(dash + 1), out var lastFamily, out var last) ||
                firstFamily != lastFamily || first > last)
            {
                return false;
            }

            value = new AppAclAddress(firstFamily, first, last);
            return true;
        }

        if (!TryParseAddress(text, out var singleFamily, out var single))
        {
            return false;
        }

        value = new AppAclAddress(singleFamily, single, single);
        return true;
    }

    private static bool TryParseAddress(ReadOnlySpan<char> text, out AddressFamily family, out UInt128 number)
    {
        family = default;
        number = default;
        if (text.Contains(':'))
        {
            // IPv6 text; zone indexes name an interface, not an address, and are refused.
            if (text.Contains('%') || !IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            family = AddressFamily.InterNetworkV6;
            number = ToNumber(v6);
            return true;
        }

        // IPAddress.TryParse also takes "10", "10.1" and octal-looking forms; only dotted decimal is an IP here.
        if (!StrictIpv4().IsMatch(text) || !IPAddress.TryParse(text, out var v4))
        {
            return false;
        }

        family = AddressFamily.InterNetwork;
        number = ToNumber(v4);
        return true;
    }

    private static bool TryParsePrefix(ReadOnlySpan<char> text, AddressFamily family, out int prefix)
    {
        prefix = 0;
        if (text.Length is 0 or > 3 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            prefix = (prefix * 10) + (c - '0');
        }

        return prefix <= (family == AddressFamily.InterNetwork ? 32 : 128);
    }

    private static UInt128 ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$")]
    private static partial Regex StrictIpv4();
}
