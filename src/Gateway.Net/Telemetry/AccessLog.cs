using System.Buffers;
using System.Threading.Channels;

namespace Gateway.Net.Telemetry;

/// <summary>
/// The data plane's access log: connections hand over finished lines, one background writer puts them on the
/// destination. Lines travel in pooled buffers through a bounded queue, so logging allocates nothing per request and
/// never makes a request wait for the disk; when the writer falls behind, lines are dropped and counted.
/// </summary>
internal sealed class AccessLog : IAsyncDisposable
{
    private readonly Stream _destination;
    private readonly bool _ownsDestination;
    private readonly Channel<(byte[] Buffer, int Length)> _queue;
    private readonly Task _writer;
    private long _dropped;

    public AccessLog(Stream destination, bool ownsDestination, int capacity = 16_384)
    {
        _destination = destination;
        _ownsDestination = ownsDestination;
        _queue = Channel.CreateBounded<(byte[], int)>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once instead of evicting a queued line
        });
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Lines dropped because the writer could not keep up.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Opens <paramref name="path"/> for appending, or standard output for <c>-</c>.</summary>
    public static AccessLog Open(string path)
    {
        if (path == "-")
        {
            return new AccessLog(Console.OpenStandardOutput(), ownsDestination: true);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0, useAsync: true);
        return new AccessLog(file, ownsDestination: true);
    }

    /// <summary>Queues one line (it should end with a newline); false if it was dropped.</summary>
    public bool TryWrite(ReadOnlySpan<byte> line)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(line.Length);
        line.CopyTo(buffer);
        if (_queue.Writer.TryWrite((buffer, line.Length)))
        {
            return true;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        Interlocked.Increment(ref _dropped);
        return false;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new byte[64 * 1024];
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var length = 0;
            while (reader.TryRead(out var line))
            {
                if (length + line.Length > batch.Length)
                {
                    await WriteAsync(batch.AsMemory(0, length)).ConfigureAwait(false);
                    length = 0;
                }

                if (line.Length > batch.Length)
                {
                    await WriteAsync(line.Buffer.AsMemory(0, line.Length)).ConfigureAwait(false);
                }
                else
                {
                    line.Buffer.AsSpan(0, line.Length).CopyTo(batch.AsSpan(length));
                    length += line.Length;
                }

                ArrayPool<byte>.Shared.Return(line.Buffer);
            }

            await WriteAsync(batch.AsMemory(0, length)).ConfigureAwait(false);
            try
            {
                await _destination.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
        }
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        try
        {
            await _destination.WriteAsync(bytes).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // A full disk or a closed pipe loses log lines, never requests.
        }
    }

    /// <summary>Writes what is queued, then closes the destination.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        if (_ownsDestination)
        {
            await _destination.DisposeAsync().ConfigureAwait(false);
        }
    }
}
