using System.Diagnostics;
using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using Gateway.Net.RateLimiting;

namespace Gateway.Benchmarks.RateLimiting;

/// <summary>
/// One bucket per key over a million keys (source addresses), every key already present, against the in-box
/// <see cref="PartitionedRateLimiter"/> with a token bucket per partition. Keys are distinct addresses visited in a scattered order.
/// </summary>
[MemoryDiagnoser]
public class RateLimitKeyedBenchmarks
{
    private const int Keys = 1 << 20;
    private const int Batch = 4_096;

    private static readonly TokenBucketRateLimiterOptions s_partitionOptions = new()
    {
        TokenLimit = int.MaxValue,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,

        // The partitioned limiter replenishes its partitions from its own timer; one timer per partition would not scale.
        AutoReplenishment = false,
    };

    private BucketKey[] _keys = null!;
    private PartitionedRateLimiter<BucketKey> _inBox = null!;
    private KeyedBucketTable<BucketKey> _table = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        // Distinct addresses in a scattered order (multiplying by an odd constant is a bijection on 32 bits).
        _keys = new BucketKey[Keys];
        Span<byte> address = stackalloc byte[4];
        for (var i = 0; i < Keys; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(address, (uint)i * 2_654_435_761u);
            _keys[i] = BucketKey.ForAddress(1, address);
        }

        _inBox = PartitionedRateLimiter.Create<BucketKey, BucketKey>(
            static key => RateLimitPartition.GetTokenBucketLimiter(key, static _ => s_partitionOptions));
        _table = new KeyedBucketTable<BucketKey>(
            TokenBucketLimit.Create(int.MaxValue, 1, Stopwatch.Frequency),
            new KeyedBucketTableOptions { MaxEntries = 2 * Keys });

        var now = Stopwatch.GetTimestamp();
        foreach (var key in _keys)
        {
            _inBox.AttemptAcquire(key).Dispose();
            _table.TryAcquire(key, now);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _inBox.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int InBox_PartitionedRateLimiter()
    {
        var limiter = _inBox;
        var keys = _keys;
        var next = _next;
        var admitted = 0;
        for (var i = 0; i < Batch; i++)
        {
            using var lease = limiter.AttemptAcquire(keys[next++ & (Keys - 1)]);
            if (lease.IsAcquired)
            {
                admitted++;
            }
        }

        _next = next;
        return admitted;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Gateway_KeyedBucketTable()
    {
        var table = _table;
        var keys = _keys;
        var next = _next;
        var timestamp = Stopwatch.GetTimestamp();
        var admitted = 0;
        for (var i = 0; i < Batch; i++)
        {
            if (table.TryAcquire(keys[next++ & (Keys - 1)], timestamp).IsAdmitted)
            {
                admitted++;
            }
        }

        _next = next;
        return admitted;
    }
}
