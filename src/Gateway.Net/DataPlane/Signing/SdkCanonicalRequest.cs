namespace Gateway.Net.DataPlane.Signing;

/// <summary>
/// Builds the canonical request of the SDK-HMAC-SHA256 scheme (peer-gateways.md §5) for a backend request the gateway
/// signs. The signed headers are fixed: <c>host</c>, <c>x-sdk-content-sha256</c> (always <c>UNSIGNED-PAYLOAD</c>: the
/// body is streamed after the head, so it cannot be hashed into it) and <c>x-sdk-date</c>:
/// <code>
/// {METHOD}\n{canonical path}\n{canonical query}\nhost:{host}\nx-sdk-content-sha256:UNSIGNED-PAYLOAD\nx-sdk-date:{date}\n\nhost;x-sdk-content-sha256;x-sdk-date\nUNSIGNED-PAYLOAD
/// </code>
/// Canonical path: percent-decoded, each segment re-encoded (unreserved bytes kept, others <c>%XX</c> upper-case),
/// with a trailing <c>/</c>. Canonical query: pairs percent-decoded ('+' stays '+'), empty names dropped, sorted by
/// name then value (byte order), re-encoded the same way, joined with <c>&amp;</c>. One instance per connection:
/// its buffers grow to the largest request and are reused, so signing allocates nothing.
/// </summary>
internal sealed class SdkCanonicalRequest
{
    public const string SignedHeaders = "host;x-sdk-content-sha256;x-sdk-date";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    private byte[] _output = new byte[1024];
    private byte[] _decoded = new byte[512];
    private QueryPair[] _pairs = new QueryPair[16];
    private int _length;

    public ReadOnlySpan<byte> Written => _output.AsSpan(0, _length);

    /// <summary>Builds the canonical request of <paramref name="target"/> (origin form: path and optional query).</summary>
    public ReadOnlySpan<byte> Build(ReadOnlySpan<byte> method, ReadOnlySpan<byte> target, ReadOnlySpan<byte> host, ReadOnlySpan<byte> date)
    {
        _length = 0;
        var question = target.IndexOf((byte)'?');
        var path = question < 0 ? target : target[..question];
        var query = question < 0 ? default : target[(question + 1)..];

        Append(method);
        Append("\n"u8);
        AppendCanonicalPath(path);
        Append("\n"u8);
        AppendCanonicalQuery(query);
        Append("\nhost:"u8);
        Append(host);
        Append("\nx-sdk-content-sha256:UNSIGNED-PAYLOAD\nx-sdk-date:"u8);
        Append(date);
        Append("\n\nhost;x-sdk-content-sha256;x-sdk-date\nUNSIGNED-PAYLOAD"u8);
        return Written;
    }

    private void AppendCanonicalPath(ReadOnlySpan<byte> path)
    {
        var decoded = Decode(path, 0);
        var segments = _decoded.AsSpan(0, decoded);
        while (true)
        {
            var slash = segments.IndexOf((byte)'/');
            AppendEncoded(slash < 0 ? segments : segments[..slash]);
            if (slash < 0)
            {
                break;
            }

            Append("/"u8);
            segments = segments[(slash + 1)..];
        }

        if (_length == 0 || _output[_length - 1] != (byte)'/')
        {
            Append("/"u8);
        }
    }

    private void AppendCanonicalQuery(ReadOnlySpan<byte> query)
    {
        var count = 0;
        var used = 0;
        while (!query.IsEmpty)
        {
            var end = query.IndexOf((byte)'&');
            var pair = end < 0 ? query : query[..end];
            query = end < 0 ? default : query[(end + 1)..];
            var equals = pair.IndexOf((byte)'=');
            var nameStart = used;
            used = Decode(equals < 0 ? pair : pair[..equals], used);
            var nameLength = used - nameStart;
            if (nameLength == 0)
            {
                continue;
            }

            var valueStart = used;
            used = equals < 0 ? used : Decode(pair[(equals + 1)..], used);
            if (count == _pairs.Length)
            {
                Array.Resize(ref _pairs, count * 2);
            }

            _pairs[count++] = new QueryPair(nameStart, nameLength, valueStart, used - valueStart);
        }

        var pairs = _pairs.AsSpan(0, count);
        var order = new PairOrder(_decoded);
        if (count <= 16)
        {
            // Insertion sort: typical queries are short, and Span.Sort with a comparer allocates a delegate.
            for (var i = 1; i < pairs.Length; i++)
            {
                var item = pairs[i];
                var j = i - 1;
                while (j >= 0 && order.Compare(pairs[j], item) > 0)
                {
                    pairs[j + 1] = pairs[j];
                    j--;
                }

                pairs[j + 1] = item;
            }
        }
        else
        {
            pairs.Sort(order);
        }

        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0)
            {
                Append("&"u8);
            }

            AppendEncoded(_decoded.AsSpan(pairs[i].NameStart, pairs[i].NameLength));
            Append("="u8);
            AppendEncoded(_decoded.AsSpan(pairs[i].ValueStart, pairs[i].ValueLength));
        }
    }

    /// <summary>Percent-decodes into <see cref="_decoded"/> at <paramref name="at"/>; returns the new end. A stray '%' stays literal.</summary>
    private int Decode(ReadOnlySpan<byte> raw, int at)
    {
        if (at + raw.Length > _decoded.Length)
        {
            Array.Resize(ref _decoded, Math.Max(_decoded.Length * 2, at + raw.Length));
        }

        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == (byte)'%' && i + 2 < raw.Length && HexValue(raw[i + 1]) is var high and >= 0 && HexValue(raw[i + 2]) is var low and >= 0)
            {
                _decoded[at++] = (byte)((high << 4) | low);
                i += 2;
            }
            else
            {
                _decoded[at++] = b;
            }
        }

        return at;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private void AppendEncoded(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                _output[_length++] = b;
            }
            else
            {
                _output[_length++] = (byte)'%';
                _output[_length++] = "0123456789ABCDEF"u8[b >> 4];
                _output[_length++] = "0123456789ABCDEF"u8[b & 0xF];
            }
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_output.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Ensure(int more)
    {
        if (_length + more > _output.Length)
        {
            Array.Resize(ref _output, Math.Max(_output.Length * 2, _length + more));
        }
    }

    private readonly record struct QueryPair(int NameStart, int NameLength, int ValueStart, int ValueLength);

    private readonly struct PairOrder(byte[] decoded) : IComparer<QueryPair>
    {
        public int Compare(QueryPair x, QueryPair y)
        {
            var byName = decoded.AsSpan(x.NameStart, x.NameLength).SequenceCompareTo(decoded.AsSpan(y.NameStart, y.NameLength));
            return byName != 0 ? byName : decoded.AsSpan(x.ValueStart, x.ValueLength).SequenceCompareTo(decoded.AsSpan(y.ValueStart, y.ValueLength));
        }
    }
}
