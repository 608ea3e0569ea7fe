using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.RateLimiting;

namespace Gateway.Net.Tests.RateLimiting;

/// <summary>
/// A bucket is owned by its first thread (plain stores) until a second thread revokes the ownership (compare-and-swap from
/// then on). These tests hand a bucket between real threads and check that no update is lost on the way.
/// </summary>
public sealed class TokenBucketOwnershipTests
{
    private const long Hz = 1_000_000_000;

    [Fact]
    public void The_first_thread_owns_the_bucket_until_another_thread_uses_it()
    {
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(10, 1, Hz), clock);
        var now = clock.GetTimestamp();
        Assert.False(bucket.IsOwned);

        using var workers = new WorkerThreads(2);
        workers.Run(0, () => Assert.True(bucket.TryAcquire(now).IsAdmitted));
        Assert.True(bucket.IsOwned);
        workers.Run(0, () => Assert.True(bucket.TryAcquire(now, 4).IsAdmitted));
        Assert.True(bucket.IsOwned);

        workers.Run(1, () => Assert.True(bucket.TryAcquire(now, 5).IsAdmitted));
        Assert.False(bucket.IsOwned);
        workers.Run(0, () => Assert.False(bucket.TryAcquire(now).IsAdmitted));
        workers.Run(1, () => Assert.False(bucket.TryAcquire(now).IsAdmitted));
        Assert.False(bucket.IsOwned);
    }

    [Fact]
    public void Decisions_equal_the_reference_model_whichever_thread_asks() =>
        Prop.ForAll(BucketScenario.Arbitrary, scenario =>
        {
            var clock = new ManualTimeProvider(scenario.Frequency, scenario.Start);
            var limit = scenario.Limit();
            var bucket = new TokenBucket(limit, clock);
            var model = new ReferenceTokenBucket(limit, scenario.Start);
            using var workers = new WorkerThreads(3);
            var now = scenario.Start;
            foreach (var step in scenario.Steps)
            {
                now += scenario.GapOf(step);
                var permits = scenario.PermitsOf(step);
                var at = now;

                // Most steps stay on one thread, so runs of owned updates precede the hand-over.
                var thread = step.Amount % 7 == 0 ? 1 + (step.PermitSeed % 2) : 0;
                RateLimitDecision decision = default;
                workers.Run(thread, () => decision = bucket.TryAcquire(at, permits));
                Assert.Equal(model.Acquire(at, permits), (decision.IsAdmitted, decision.Remaining, decision.RetryAfterTicks));
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));

    [Fact]
    public void Newcomers_racing_an_owner_admit_exactly_the_capacity()
    {
        // All released at once with more threads than cores, so the owner is sometimes preempted in the middle of an
        // update while the newcomers revoke its ownership and take permits.
        const int capacity = 200_000;
        var clock = new ManualTimeProvider(Hz);
        var now = clock.GetTimestamp();
        var random = new Random(7);
        for (var round = 0; round < 30; round++)
        {
            var bucket = new TokenBucket(TokenBucketLimit.Create(capacity, 3_600, Hz), clock);
            var admitted = new long[8];
            var delays = Enumerable.Range(0, admitted.Length).Select(_ => random.Next(0, 1_000)).ToArray();
            using var start = new Barrier(admitted.Length);
            var threads = Enumerable.Range(0, admitted.Length).Select(index => new Thread(() =>
            {
                // Whoever comes first owns the bucket; the others revoke it while it is busy.
                start.SignalAndWait();
                Thread.SpinWait(delays[index]);
                var rejectionsInARow = 0;
                while (rejectionsInARow < 200)
                {
                    if (bucket.TryAcquire(now).IsAdmitted)
                    {
                        admitted[index]++;
                        rejectionsInARow = 0;
                    }
                    else
                    {
                        rejectionsInARow++;
                    }
                }
            })).ToArray();

            foreach (var thread in threads)
            {
                thread.Start();
            }

            foreach (var thread in threads)
            {
                thread.Join();
            }

            Assert.Equal(capacity, admitted.Sum());
            Assert.False(bucket.TryAcquire(now).IsAdmitted);
        }
    }

    [Fact]
    public void A_refund_or_a_new_limit_from_another_thread_keeps_the_owners_permits()
    {
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(10, 60, Hz), clock);
        var now = clock.GetTimestamp();
        using var workers = new WorkerThreads(2);
        workers.Run(0, () => Assert.True(bucket.TryAcquire(now, 8).IsAdmitted));
        workers.Run(1, () => bucket.Refund(now, 3));
        Assert.False(bucket.IsOwned);
        workers.Run(0, () => Assert.Equal(5, bucket.TryAcquire(now).Remaining + 1));

        var owned = new TokenBucket(TokenBucketLimit.Create(10, 60, Hz), clock);
        workers.Run(0, () => Assert.True(owned.TryAcquire(now, 6).IsAdmitted));
        workers.Run(1, () => owned.Reconfigure(TokenBucketLimit.Create(20, 60, Hz), now));
        Assert.False(owned.IsOwned);
        workers.Run(0, () =>
        {
            var decision = owned.TryAcquire(now, 14);
            Assert.True(decision.IsAdmitted);
            Assert.Equal(0, decision.Remaining);
        });
    }

    [Fact]
    public void The_heartbeat_leaves_a_busy_owner_alone_and_refreshes_a_long_idle_one()
    {
        var clock = new ManualTimeProvider(Hz);
        var bucket = new TokenBucket(TokenBucketLimit.Create(10, 1, Hz), clock);
        using var workers = new WorkerThreads(1);
        workers.Run(0, () => Assert.True(bucket.TryAcquire(clock.GetTimestamp(), 10).IsAdmitted));

        clock.Advance(TimeSpan.FromSeconds(5));
        bucket.Refresh(clock.GetTimestamp());
        Assert.True(bucket.IsOwned);

        clock.Advance(TimeSpan.FromDays(2));
        bucket.Refresh(clock.GetTimestamp());
        Assert.False(bucket.IsOwned);
        workers.Run(0, () => Assert.Equal(9, bucket.TryAcquire(clock.GetTimestamp()).Remaining));
    }

    /// <summary>Dedicated threads that run one action at a time, in the order given, each waited for.</summary>
    private sealed class WorkerThreads : IDisposable
    {
        private readonly BlockingCollection<(Action Action, ManualResetEventSlim Done)>[] _queues;
        private readonly Thread[] _threads;
        private Exception? _failure;

        public WorkerThreads(int count)
        {
            _queues = new BlockingCollection<(Action, ManualResetEventSlim)>[count];
            _threads = new Thread[count];
            for (var i = 0; i < count; i++)
            {
                var queue = _queues[i] = new BlockingCollection<(Action, ManualResetEventSlim)>();
                _threads[i] = new Thread(() =>
                {
                    foreach (var (action, done) in queue.GetConsumingEnumerable())
                    {
                        try
                        {
                            action();
                        }
                        catch (Exception exception)
                        {
                            _failure = exception;
                        }

                        done.Set();
                    }
                }) { IsBackground = true };
                _threads[i].Start();
            }
        }

        public void Run(int thread, Action action)
        {
            using var done = new ManualResetEventSlim();
            _queues[thread].Add((action, done));
            Assert.True(done.Wait(TimeSpan.FromSeconds(30)), "a worker thread did not finish its step");
            if (_failure is { } failure)
            {
                _failure = null;
                throw new InvalidOperationException("A step failed on its worker thread.", failure);
            }
        }

        public void Dispose()
        {
            foreach (var queue in _queues)
            {
                queue.CompleteAdding();
            }

            foreach (var thread in _threads)
            {
                thread.Join();
            }

            foreach (var queue in _queues)
            {
                queue.Dispose();
            }
        }
    }
}
