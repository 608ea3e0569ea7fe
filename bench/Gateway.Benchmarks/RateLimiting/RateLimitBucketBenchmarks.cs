using System.Diagnostics;
using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using Gateway.Net.RateLimiting;

namespace Gateway.Benchmarks.RateLimiting;

/// <summary>
/// One bucket, always admitting (2147483647 permits per second), against the in-box <see cref="TokenBucketRateLimiter"/>
/// configured the same way. Each invocation runs a batch of acquires, reported per acquire.
/// </summary>
[MemoryDiagnoser]
public class RateLimitBucketBenchmarks
{
    private const int Batch = 4_096;
    private const int ContendedBatch = 1 << 18;

    private TokenBucketRateLimiter _inBox = null!;
    private TokenBucket _bucket = null!;
    private Action _inBoxWorker = null!;
    private Action _bucketWorker = null!;

    [GlobalSetup]
    public void Setup()
    {
        _inBox = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = int.MaxValue,
            TokensPerPeriod = int.MaxValue,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        _bucket = new TokenBucket(TokenBucketLimit.Create(int.MaxValue, 1, Stopwatch.Frequency));
        _inBoxWorker = () => InBoxLoop(ContendedBatch);
        _bucketWorker = () => BucketLoopGivenTimestamp(ContendedBatch);
    }

    [GlobalCleanup]
    public void Cleanup() => _inBox.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int InBox_TokenBucketRateLimiter() => InBoxLoop(Batch);

    /// <summary>Reads <see cref="Stopwatch.GetTimestamp"/> on every acquire.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int Gateway_TokenBucket_ReadsClock() => BucketLoop(Batch);

    /// <summary>The request pipeline reads the clock once per request and passes the timestamp to every limiter it consults.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int Gateway_TokenBucket_GivenTimestamp() => BucketLoopGivenTimestamp(Batch);

    /// <summary>Two threads on the same limiter.</summary>
    [Benchmark(OperationsPerInvoke = 2 * ContendedBatch)]
    public void InBox_TokenBucketRateLimiter_TwoThreads() => RunOnTwoThreads(_inBoxWorker);

    /// <summary>Two threads on the same bucket (each reads the clock once per batch, as a request pipeline would per request).</summary>
    [Benchmark(OperationsPerInvoke = 2 * ContendedBatch)]
    public void Gateway_TokenBucket_TwoThreads() => RunOnTwoThreads(_bucketWorker);

    // Two dedicated threads released together, so both really run at once (the thread pool may start one late).
    private static void RunOnTwoThreads(Action worker)
    {
        using var start = new Barrier(2);
        var other = new Thread(() =>
        {
            start.SignalAndWait();
            worker();
        });
        other.Start();
        start.SignalAndWait();
        worker();
        other.Join();
    }

    private int InBoxLoop(int count)
    {
        var limiter = _inBox;
        var admitted = 0;
        for (var i = 0; i < count; i++)
        {
            using var lease = limiter.AttemptAcquire(1);
            if (lease.IsAcquired)
            {
                admitted++;
            }
        }

        return admitted;
    }

    private int BucketLoopGivenTimestamp(int count)
    {
        var bucket = _bucket;
        var timestamp = Stopwatch.GetTimestamp();
        var admitted = 0;
        for (var i = 0; i < count; i++)
        {
            if (bucket.TryAcquire(timestamp).IsAdmitted)
            {
                admitted++;
            }
        }

        return admitted;
    }

    private int BucketLoop(int count)
    {
        var bucket = _bucket;
        var admitted = 0;
        for (var i = 0; i < count; i++)
        {
            if (bucket.TryAcquire().IsAdmitted)
            {
                admitted++;
            }
        }

        return admitted;
    }
}
