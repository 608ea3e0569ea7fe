using System.Collections.Concurrent;
using System.Text;
using Gateway.Net.Transport;

namespace Gateway.Net.Upstream;

/// <summary>
/// A backend address (host, port, TLS) and its pool of idle keep-alive connections. Endpoints are shared by every
/// snapshot that names the same address, so a reload keeps the warm connections.
/// </summary>
internal sealed class UpstreamEndpoint(string host, int port, bool useTls, int maxIdleConnections)
{
    // One idle pool per event loop (and one for connections off the loops), so a connection rented on a loop is one
    // registered on that loop: the exchange never hops threads. Each is a plain array stack under a short lock:
    // renting and returning allocate nothing (a concurrent stack allocates a node per push), and the most recently
    // used connection, the warmest, is handed out first.
    private readonly IdlePool[] _pools = CreatePools(Math.Max(1, maxIdleConnections));

    public string Host { get; } = host;

    public int Port { get; } = port;

    public bool UseTls { get; } = useTls;

    /// <summary>The Host header value sent to the backend: host, with the port when it is not the scheme's default.</summary>
    public byte[] HostHeader { get; } = Encoding.ASCII.GetBytes(
        (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host) + (port == (useTls ? 443 : 80) ? string.Empty : $":{port}"));

    /// <summary>The pool for connections used from <paramref name="loop"/>: 0 off the loops, else the loop's index + 1.</summary>
    public static int PoolIndexOf(EventLoop? loop) => loop is null ? 0 : loop.Index + 1;

    /// <summary>Takes an idle connection of the pool for <paramref name="loop"/>, dropping any the backend has closed.</summary>
    public bool TryRent(EventLoop? loop, out UpstreamConnection connection)
    {
        var pool = _pools[PoolIndexOf(loop)];
        while (true)
        {
            if (!pool.TryTake(out var candidate))
            {
                connection = null!;
                return false;
            }

            if (candidate.IsUsable)
            {
                connection = candidate;
                return true;
            }

            candidate.Dispose();
        }
    }

    /// <summary>Puts a connection back into the pool it was rented for, or closes it when that pool is full or it is spent.</summary>
    public void Return(UpstreamConnection connection)
    {
        if (!connection.IsUsable || !_pools[connection.PoolIndex].TryPut(connection))
        {
            connection.Dispose();
        }
    }

    public void Clear()
    {
        foreach (var pool in _pools)
        {
            while (pool.TryTake(out var connection))
            {
                connection.Dispose();
            }
        }
    }

    public override string ToString() => $"{(UseTls ? "https" : "http")}://{Host}:{Port}";

    private static IdlePool[] CreatePools(int capacity)
    {
        var pools = new IdlePool[1 + (EventLoop.IsSupported ? Math.Max(1, Environment.ProcessorCount) : 0)];
        for (var i = 0; i < pools.Length; i++)
        {
            pools[i] = new IdlePool(capacity);
        }

        return pools;
    }

    private sealed class IdlePool(int capacity)
    {
        private readonly Lock _gate = new();
        private readonly UpstreamConnection?[] _idle = new UpstreamConnection?[capacity];
        private int _count;

        public bool TryTake(out UpstreamConnection connection)
        {
            lock (_gate)
            {
                if (_count == 0)
                {
                    connection = null!;
                    return false;
                }

                connection = _idle[--_count]!;
                _idle[_count] = null;
                return true;
            }
        }

        public bool TryPut(UpstreamConnection connection)
        {
            lock (_gate)
            {
                if (_count == _idle.Length)
                {
                    return false;
                }

                _idle[_count++] = connection;
                return true;
            }
        }
    }
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
