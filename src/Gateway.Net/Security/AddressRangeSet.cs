using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Gateway.Apig.Apps;

namespace Gateway.Net.Security;

/// <summary>
/// A set of IP addresses given as single addresses, ranges (<c>a-b</c>) and CIDR blocks, IPv4 and IPv6, parsed once
/// when a snapshot is compiled into sorted, merged spans of 128-bit numbers. Membership is a binary search over the
/// spans of the address's family; an IPv4-mapped IPv6 address counts as its IPv4 address. Looking up allocates nothing.
/// </summary>
internal sealed class AddressRangeSet
{
    private readonly (UInt128 First, UInt128 Last)[] _v4;
    private readonly (UInt128 First, UInt128 Last)[] _v6;

    private AddressRangeSet((UInt128, UInt128)[] v4, (UInt128, UInt128)[] v6)
    {
        _v4 = v4;
        _v6 = v6;
    }

    /// <summary>How many merged spans the set holds.</summary>
    public int SpanCount => _v4.Length + _v6.Length;

    /// <summary>Parses entries (surrounding whitespace ignored); entries that are not an address, range or CIDR are skipped and counted.</summary>
    public static AddressRangeSet Parse(IEnumerable<string> entries, out int skipped)
    {
        skipped = 0;
        var v4 = new List<(UInt128, UInt128)>();
        var v6 = new List<(UInt128, UInt128)>();
        foreach (var entry in entries)
        {
            if (!AppAclAddress.TryParse(entry.Trim(), out var address))
            {
                skipped++;
                continue;
            }

            (address.Family == AddressFamily.InterNetwork ? v4 : v6).Add((address.First, address.Last));
        }

        return new AddressRangeSet(Merge(v4), Merge(v6));
    }

    /// <summary>Whether <paramref name="address"/> lies in one of the spans; false for null.</summary>
    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return false;
        }

        if (written == 4)
        {
            return Contains(_v4, BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }

        // ::ffff:a.b.c.d is the IPv4 address a.b.c.d (dual-stack sockets report IPv4 peers this way).
        if (bytes[..10].IndexOfAnyExcept((byte)0) < 0 && bytes[10] == 0xFF && bytes[11] == 0xFF)
        {
            return Contains(_v4, BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]));
        }

        return Contains(_v6, BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    private static bool Contains((UInt128 First, UInt128 Last)[] spans, UInt128 number)
    {
        var low = 0;
        var high = spans.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            if (number < spans[middle].First)
            {
                high = middle - 1;
            }
            else if (number > spans[middle].Last)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private static (UInt128, UInt128)[] Merge(List<(UInt128 First, UInt128 Last)> spans)
    {
        spans.Sort((a, b) => a.First.CompareTo(b.First));
        var merged = new List<(UInt128 First, UInt128 Last)>(spans.Count);
        foreach (var span in spans)
        {
            if (merged.Count > 0 && (merged[^1].Last == UInt128.MaxValue || span.First <= merged[^1].Last + 1))
            {
                var last = merged[^1];
                merged[^1] = (last.First, span.Last > last.Last ? span.Last : last.Last);
            }
            else
            {
                merged.Add(span);
            }
        }

        return [.. merged];
    }
}
