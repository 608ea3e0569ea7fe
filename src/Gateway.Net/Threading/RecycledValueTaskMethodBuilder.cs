using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Gateway.Net.Threading;

/// <summary>
/// An async method builder for <see cref="ValueTask{TResult}"/> methods of the data plane that suspend on every request
/// (waiting for a backend's answer). Like <see cref="PoolingAsyncValueTaskMethodBuilder{TResult}"/> it reuses the boxes
/// that carry a suspended method, but it keeps up to <see cref="BoxesPerThread"/> of them per thread and method: a poller
/// thread serving dozens of connections has that many of the same method suspended at once, and the framework's pool
/// (one box per thread and per core) misses on nearly all of them, allocating a box per request.
/// </summary>
/// <remarks>
/// Contract, as for the framework's pooling builder: the returned <see cref="ValueTask{TResult}"/> is awaited exactly
/// once (a box goes back to the pool when its result is read). Unlike it, this builder does not flow the
/// <see cref="ExecutionContext"/> across awaits: use it only on methods that keep no <see cref="AsyncLocal{T}"/> state.
/// </remarks>
internal struct RecycledValueTaskMethodBuilder<TResult>
{
    /// <summary>How many idle boxes a thread keeps per method.</summary>
    internal const int BoxesPerThread = 64;

    private RecycledBox<TResult>? _box;
    private TResult _result;
    private Exception? _exception;

    public static RecycledValueTaskMethodBuilder<TResult> Create() => default;

    public readonly ValueTask<TResult> Task =>
        _box is { } box ? new ValueTask<TResult>(box, box.Version)
        : _exception is { } exception ? ValueTask.FromException<TResult>(exception)
        : new ValueTask<TResult>(_result);

    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine => stateMachine.MoveNext();

    public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
    {
        // Only used by boxed state machines of the framework's builders; the box here holds the state machine itself.
    }

    public void SetResult(TResult result)
    {
        if (_box is { } box)
        {
            box.SetResult(result);
        }
        else
        {
            _result = result;
        }
    }

    public void SetException(Exception exception)
    {
        if (_box is { } box)
        {
            box.SetException(exception);
        }
        else
        {
            _exception = exception;
        }
    }

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine => awaiter.OnCompleted(GetBox(ref stateMachine).MoveNextAction);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine => awaiter.UnsafeOnCompleted(GetBox(ref stateMachine).MoveNextAction);

    private RecycledBox<TResult> GetBox<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        if (_box is { } existing)
        {
            return existing; // suspended before: the state machine already lives in the box
        }

        var box = RecycledBox<TResult, TStateMachine>.Rent();

        // The builder is a field of the state machine: point it at the box before the state machine is copied in.
        _box = box;
        box.StateMachine = stateMachine;
        return box;
    }
}

/// <summary>The result side of a box: what the awaiting caller sees.</summary>
internal abstract class RecycledBox<TResult> : IValueTaskSource<TResult>
{
    private ManualResetValueTaskSourceCore<TResult> _core;

    protected RecycledBox()
    {
        // Resume the caller inline where the method finishes, as the framework's builders do.
        _core.RunContinuationsAsynchronously = false;
    }

    public short Version => _core.Version;

    public abstract Action MoveNextAction { get; }

    public void SetResult(TResult result) => _core.SetResult(result);

    public void SetException(Exception exception) => _core.SetException(exception);

    public TResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Recycle();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    protected abstract void Recycle();
}

/// <summary>A box for one method's state machine, kept in a per-thread stack when idle.</summary>
internal sealed class RecycledBox<TResult, TStateMachine> : RecycledBox<TResult>
    where TStateMachine : IAsyncStateMachine
{
    [ThreadStatic]
    private static RecycledBox<TResult, TStateMachine>?[]? t_idle;

    [ThreadStatic]
    private static int t_idleCount;

    private RecycledBox()
    {
        MoveNextAction = MoveNext;
    }

    public override Action MoveNextAction { get; }

    // A field, not a property: MoveNext mutates the state machine in place, and a property would hand out a copy.
    public TStateMachine StateMachine = default!;

    public static RecycledBox<TResult, TStateMachine> Rent()
    {
        var idle = t_idle;
        if (idle is not null && t_idleCount > 0)
        {
            var index = --t_idleCount;
            var box = idle[index]!;
            idle[index] = null;
            return box;
        }

        return new RecycledBox<TResult, TStateMachine>();
    }

    protected override void Recycle()
    {
        // The state machine holds references to the connection and its buffers: drop them before the box idles.
        StateMachine = default!;
        var idle = t_idle ??= new RecycledBox<TResult, TStateMachine>?[RecycledValueTaskMethodBuilder<TResult>.BoxesPerThread];
        if (t_idleCount < idle.Length)
        {
            idle[t_idleCount++] = this;
        }
    }

    private void MoveNext() => StateMachine.MoveNext();
}
