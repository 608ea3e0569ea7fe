using System.Numerics;
using Gateway.Net.RateLimiting;

namespace Gateway.Net.Tests.RateLimiting;

/// <summary>
/// The textbook token bucket in exact rational arithmetic: tokens counted in 1/Wq steps (Wq = window in quanta),
/// refilled by <c>capacity</c> steps per elapsed quantum, capped at a full bucket. It shares only the quantum with the
/// bucket under test, not its formulation.
/// </summary>
internal sealed class ReferenceTokenBucket
{
    private readonly BigInteger _capacity;
    private readonly BigInteger _windowQuanta;
    private readonly long _quantum;
    private BigInteger _credit;
    private long _lastQuantum;

    public ReferenceTokenBucket(TokenBucketLimit limit, long createdAt)
    {
        _capacity = limit.Capacity;
        _quantum = limit.QuantumTicks;
        _windowQuanta = limit.WindowTicks / limit.QuantumTicks;
        _credit = _capacity * _windowQuanta;
        _lastQuantum = createdAt / _quantum;
    }

    public (bool Admitted, long Remaining, long RetryAfterTicks) Acquire(long timestamp, int permits)
    {
        var quantum = timestamp / _quantum;
        if (quantum > _lastQuantum)
        {
            _credit = BigInteger.Min(_capacity * _windowQuanta, _credit + ((quantum - _lastQuantum) * _capacity));
            _lastQuantum = quantum;
        }

        var remaining = (long)(_credit / _windowQuanta);
        if (permits > _capacity)
        {
            return (false, remaining, RateLimitDecision.Never);
        }

        var cost = permits * _windowQuanta;
        if (_credit >= cost)
        {
            _credit -= cost;
            return (true, (long)(_credit / _windowQuanta), 0);
        }

        var missing = cost - _credit;
        var waitQuanta = (missing + _capacity - 1) / _capacity;
        var retryAt = (quantum + waitQuanta) * _quantum;
        return (false, remaining, (long)(retryAt - timestamp));
    }
}
