using System.Net;

namespace Gateway.Net.DataPlane;

internal sealed partial class GatewayConnection
{
    private readonly byte[] _peerIp = new byte[64];
    private int _peerIpLength = -1;
    private readonly byte[] _lastForwardedEntry = new byte[64];
    private int _lastForwardedEntryLength = -1;
    private IPAddress? _lastForwardedAddress;
    private IPAddress? _clientAddress;
    private bool _clientAddressResolved;

    /// <summary>
    /// The caller's address as ACLs, throttling and <c>$context.sourceIp</c> see it: the connection's peer, or, when
    /// the data plane trusts <c>X-Forwarded-For</c> (<c>real_ip_from_xff</c>), the entry at the configured index
    /// (0 = first, -1 = last). A missing or unparsable entry falls back to the peer.
    /// </summary>
    private IPAddress? ClientAddress()
    {
        if (_clientAddressResolved)
        {
            return _clientAddress;
        }

        _clientAddressResolved = true;
        _clientAddress = _remoteAddress;
        if (_options.ForwardedForIndex is { } index && !_head.ForwardedFor.IsEmpty &&
            SelectForwardedEntry(_head[_head.ForwardedFor], index) is { IsEmpty: false } entry && entry.Length <= _lastForwardedEntry.Length)
        {
            // Keep-alive connections from a proxy mostly repeat the same client: parse only when the entry changes.
            if (_lastForwardedEntryLength != entry.Length || !entry.SequenceEqual(_lastForwardedEntry.AsSpan(0, entry.Length)))
            {
                entry.CopyTo(_lastForwardedEntry);
                _lastForwardedEntryLength = entry.Length;
                _lastForwardedAddress = IPAddress.TryParse(entry, out var parsed) ? parsed : null;
            }

            _clientAddress = _lastForwardedAddress ?? _remoteAddress;
        }

        return _clientAddress;
    }

    /// <summary>
    /// Writes the caller's address bytes (<see cref="ClientAddress"/>) for keys and hashes: 4 bytes for IPv4, also when
    /// it arrived IPv4-mapped on a dual-stack listener, else 16. Returns the length, 0 when there is no address.
    /// </summary>
    private int WriteClientAddress(Span<byte> destination)
    {
        if (ClientAddress() is not { } client || !client.TryWriteBytes(destination, out var written))
        {
            return 0;
        }

        if (written == 16 && client.IsIPv4MappedToIPv6)
        {
            destination[12..16].CopyTo(destination);
            return 4;
        }

        return written;
    }

    /// <summary>Forgets the previous request's client address (the next request may carry another X-Forwarded-For).</summary>
    private void ResetClientAddress()
    {
        _clientAddressResolved = false;
        _sourceIpLength = -1;
    }

    /// <summary>The entry of a comma-separated X-Forwarded-For list at <paramref name="index"/> (negative counts from the end), trimmed.</summary>
    internal static ReadOnlySpan<byte> SelectForwardedEntry(ReadOnlySpan<byte> list, int index)
    {
        var count = 1 + System.MemoryExtensions.Count(list, (byte)',');
        var wanted = index >= 0 ? index : count + index;
        if (wanted < 0 || wanted >= count)
        {
            return default;
        }

        var rest = list;
        for (var i = 0; i < wanted; i++)
        {
            rest = rest[(rest.IndexOf((byte)',') + 1)..];
        }

        var comma = rest.IndexOf((byte)',');
        var entry = comma >= 0 ? rest[..comma] : rest;
        return entry[System.Text.Ascii.Trim(entry)];
    }

    /// <summary>The connection's peer, formatted: what this hop appends to X-Forwarded-For.</summary>
    private ReadOnlySpan<byte> PeerIp()
    {
        if (_peerIpLength < 0)
        {
            _peerIpLength = _remoteAddress is not null && _remoteAddress.TryFormat(_peerIp, out var written) ? written : 0;
        }

        return _peerIp.AsSpan(0, _peerIpLength);
    }

    /// <summary>The caller's address (<see cref="ClientAddress"/>), formatted.</summary>
    private ReadOnlySpan<byte> SourceIp()
    {
        if (_sourceIpLength < 0)
        {
            var address = ClientAddress();
            _sourceIpLength = address is not null && address.TryFormat(_sourceIp, out var written) ? written : 0;
        }

        return _sourceIp.AsSpan(0, _sourceIpLength);
    }
}
