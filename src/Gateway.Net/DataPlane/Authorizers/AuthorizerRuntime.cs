using System.Collections.Concurrent;
using Gateway.Net.Timing;

namespace Gateway.Net.DataPlane.Authorizers;

/// <summary>
/// What custom authorizers keep across snapshots: one decision cache per authorizer (so recompiling after an unrelated
/// change does not forget decisions), the clock expiry is measured on, and the call settings. A changed authorizer
/// (address, identities, ttl, user data) gets a fresh cache; a deleted one's cache is dropped on the next compile.
/// </summary>
internal sealed class AuthorizerRuntime : IHeartbeatHandler, IDisposable
{
    private readonly ConcurrentDictionary<string, (string Fingerprint, AuthorizerCache Cache)> _caches = new(StringComparer.Ordinal);
    private readonly IDisposable? _registration;

    /// <param name="timeProvider">The clock for expiry (the system clock when null).</param>
    /// <param name="heartbeat">When given, expired decisions are swept once per tick so their memory is released.</param>
    public AuthorizerRuntime(TimeProvider? timeProvider = null, Heartbeat? heartbeat = null)
    {
        Clock = new MonotonicClock(timeProvider);
        _registration = heartbeat?.Register(this);
    }

    public MonotonicClock Clock { get; }

    /// <summary>How long a call to an authorizer may take (connect, send, answer) before it counts as failed.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The most decisions one authorizer's cache holds.</summary>
    public int CacheCapacity { get; init; } = 4096;

    /// <summary>The cache of authorizer <paramref name="id"/> for its current configuration.</summary>
    public AuthorizerCache CacheFor(string id, string fingerprint, int ttlSeconds)
    {
        while (true)
        {
            if (_caches.TryGetValue(id, out var current))
            {
                if (string.Equals(current.Fingerprint, fingerprint, StringComparison.Ordinal))
                {
                    return current.Cache;
                }

                var replacement = (fingerprint, new AuthorizerCache(CacheCapacity, TimeSpan.FromSeconds(ttlSeconds), Clock));
                if (_caches.TryUpdate(id, replacement, current))
                {
                    return replacement.Item2;
                }

                continue;
            }

            var created = (fingerprint, new AuthorizerCache(CacheCapacity, TimeSpan.FromSeconds(ttlSeconds), Clock));
            if (_caches.TryAdd(id, created))
            {
                return created.Item2;
            }
        }
    }

    /// <summary>Drops the caches of authorizers that no longer exist.</summary>
    public void Retain(IReadOnlySet<string> ids)
    {
        foreach (var id in _caches.Keys)
        {
            if (!ids.Contains(id))
            {
                _caches.TryRemove(id, out _);
            }
        }
    }

    /// <summary>How many authorizers have a cache (diagnostics and tests).</summary>
    public int CacheCount => _caches.Count;

    public void OnHeartbeat(long timestamp)
    {
        var now = Clock.GetTimestamp();
        foreach (var (_, (_, cache)) in _caches)
        {
            cache.Sweep(now);
        }
    }

    public void Dispose() => _registration?.Dispose();
}
