using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Net.RateLimiting;
using Gateway.Net.Routing;
using Gateway.Net.Timing;

namespace Gateway.Net.DataPlane;

/// <summary>
/// The throttling an API gets in one environment: its API bucket (own for exclusive policies, shared by every bound
/// API for shared ones) and, when the policy sets them, keyed tables of per-IP, per-APP and per-user buckets, plus the
/// special limits (3.9) that replace the per-APP or per-user limit for one named APP or tenant.
/// </summary>
internal sealed class ThrottlePlan(TokenBucket apiBucket, KeyedBucketTable<BucketKey>? ipTable, uint scope)
{
    public TokenBucket ApiBucket { get; } = apiBucket;

    public KeyedBucketTable<BucketKey>? IpTable { get; } = ipTable;

    public KeyedBucketTable<BucketKey>? AppTable { get; init; }

    public KeyedBucketTable<BucketKey>? UserTable { get; init; }

    /// <summary>Special limits by APP id: the APP's own bucket instead of its entry in <see cref="AppTable"/>.</summary>
    public ByteKeyMap<TokenBucket>? AppSpecials { get; init; }

    /// <summary>Special limits by tenant (account) id, instead of the entry in <see cref="UserTable"/>.</summary>
    public ByteKeyMap<TokenBucket>? UserSpecials { get; init; }

    /// <summary>The key scope of this API in shared tables (0 for shared policies: one budget for all bound APIs).</summary>
    public uint Scope { get; } = scope;

    /// <summary>A 64-bit subject for an APP or tenant id (FNV-1a of its bytes): ids are server-made, so collisions are not chosen.</summary>
    public static ulong SubjectOf(ReadOnlySpan<byte> id)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in id)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}

/// <summary>
/// Buckets live here, not in snapshots: a recompiled snapshot picks up the same bucket objects, so reloading or
/// rebinding never resets a client's budget, and a changed limit reconfigures buckets in place.
/// </summary>
internal sealed class ThrottleRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KeyedBucketTable<BucketKey>> _tables = new(StringComparer.Ordinal);
    private readonly Heartbeat? _heartbeat;
    private readonly List<IDisposable> _registrations = [];

    public ThrottleRegistry(Heartbeat? heartbeat = null) => _heartbeat = heartbeat;

    /// <summary>Requests per second for a published API with no policy bound (the instance default, 200/s).</summary>
    public int DefaultRequestsPerSecond { get; init; } = 200;

    /// <summary>The most per-IP buckets one policy keeps; beyond it, new addresses share an overflow budget.</summary>
    public int MaxIpBucketsPerPolicy { get; init; } = 100_000;

    public TokenBucket Bucket(string key, TokenBucketLimit limit)
    {
        var bucket = _buckets.GetOrAdd(key, static (_, l) => new TokenBucket(l), limit);
        if (!bucket.Limit.IsEquivalentTo(limit))
        {
            bucket.Reconfigure(limit, Stopwatch.GetTimestamp());
        }

        return bucket;
    }

    public KeyedBucketTable<BucketKey> Table(string key, TokenBucketLimit limit)
    {
        var table = _tables.GetOrAdd(key, (_, l) =>
        {
            var created = new KeyedBucketTable<BucketKey>(l, new KeyedBucketTableOptions { MaxEntries = MaxIpBucketsPerPolicy });
            if (_heartbeat is not null)
            {
                lock (_registrations)
                {
                    _registrations.Add(_heartbeat.Register(created));
                }
            }

            return created;
        }, limit);
        if (!table.Limit.IsEquivalentTo(limit))
        {
            table.Reconfigure(limit, Stopwatch.GetTimestamp());
        }

        return table;
    }

    /// <summary>A stable 32-bit scope for an API id, so per-IP keys of different APIs never collide in a shared table.</summary>
    public static uint ScopeOf(string apiId) => (uint)apiId.GetHashCode(StringComparison.Ordinal) | 1u;

    public void Dispose()
    {
        lock (_registrations)
        {
            foreach (var registration in _registrations)
            {
                registration.Dispose();
            }

            _registrations.Clear();
        }
    }
}
