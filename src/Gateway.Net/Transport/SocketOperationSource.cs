using System.Threading.Tasks.Sources;

namespace Gateway.Net.Transport;

/// <summary>
/// The reusable result of one socket operation at a time (a byte count or an error). Its continuation runs inline
/// where the operation completes: on an event loop, that is the point of the loop.
/// </summary>
internal class SocketOperationSource : IValueTaskSource<int>
{
    private ManualResetValueTaskSourceCore<int> _source;

    public ValueTask<int> Pending => new(this, _source.Version);

    public void Reset() => _source.Reset();

    public void Complete(int result, Exception? error)
    {
        if (error is null)
        {
            _source.SetResult(result);
        }
        else
        {
            _source.SetException(error);
        }
    }

    int IValueTaskSource<int>.GetResult(short token) => _source.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);
}
