using System.Collections.Concurrent;
using System.Text;

namespace Gateway.Net.Upstream;

/// <summary>
/// A backend address (host, port, TLS) and its pool of idle keep-alive connections. Endpoints are shared by every
/// snapshot that names the same address, so a reload keeps the warm connections.
/// </summary>
internal sealed class UpstreamEndpoint(string host, int port, bool useTls, int maxIdleConnections)
{
    // A plain array stack under a short lock: renting and returning allocate nothing (a concurrent stack allocates a
    // node per push), and the most recently used connection, the warmest, is handed out first.
    private readonly Lock _gate = new();
    private readonly UpstreamConnection?[] _idle = new UpstreamConnection?[Math.Max(1, maxIdleConnections)];
    private int _idleCount;

    public string Host { get; } = host;

    public int Port { get; } = port;

    public bool UseTls { get; } = useTls;

    /// <summary>The Host header value sent to the backend: host, with the port when it is not the scheme's default.</summary>
    public byte[] HostHeader { get; } = Encoding.ASCII.GetBytes(
        (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host) + (port == (useTls ? 443 : 80) ? string.Empty : $":{port}"));

    public bool TryRent(out UpstreamConnection connection)
    {
        while (true)
        {
            UpstreamConnection? candidate;
            lock (_gate)
            {
                if (_idleCount == 0)
                {
                    connection = null!;
                    return false;
                }

                candidate = _idle[--_idleCount];
                _idle[_idleCount] = null;
            }

            if (candidate!.IsUsable)
            {
                connection = candidate;
                return true;
            }

            candidate.Dispose();
        }
    }

    public void Return(UpstreamConnection connection)
    {
        if (connection.IsUsable)
        {
            lock (_gate)
            {
                if (_idleCount < _idle.Length)
                {
                    _idle[_idleCount++] = connection;
                    return;
                }
            }
        }

        connection.Dispose();
    }

    public void Clear()
    {
        while (TryTakeAny(out var connection))
        {
            connection.Dispose();
        }
    }

    private bool TryTakeAny(out UpstreamConnection connection)
    {
        lock (_gate)
        {
            if (_idleCount == 0)
            {
                connection = null!;
                return false;
            }

            connection = _idle[--_idleCount]!;
            _idle[_idleCount] = null;
            return true;
        }
    }

    public override string ToString() => $"{(UseTls ? "https" : "http")}://{Host}:{Port}";
}

/// <summary>Hands out one <see cref="UpstreamEndpoint"/> per address for the life of the data plane.</summary>
internal sealed class UpstreamRegistry(int maxIdleConnectionsPerEndpoint = 256) : IDisposable
{
    private readonly ConcurrentDictionary<(string Host, int Port, bool Tls), UpstreamEndpoint> _endpoints = new();

    public UpstreamEndpoint Get(string host, int port, bool useTls) =>
        _endpoints.GetOrAdd((host.ToLowerInvariant(), port, useTls), key => new UpstreamEndpoint(key.Host, key.Port, key.Tls, maxIdleConnectionsPerEndpoint));

    public void Dispose()
    {
        foreach (var endpoint in _endpoints.Values)
        {
            endpoint.Clear();
        }
    }
}
