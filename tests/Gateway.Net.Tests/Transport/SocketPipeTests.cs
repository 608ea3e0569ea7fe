using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Transport;

namespace Gateway.Net.Tests.Transport;

/// <summary>The socket-backed pipes over real loopback TCP pairs.</summary>
public class SocketPipeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>The reader under test over <paramref name="socket"/>: on the runtime's socket operations here.</summary>
    private protected virtual SocketPipeReader CreateReader(Socket socket, int bufferSize = 8192, ArrayPool<byte>? pool = null) =>
        new(socket, bufferSize, pool);

    /// <summary>Closes the socket under the pipes, as the connection's owner does.</summary>
    private protected virtual void CloseLocally(Socket socket) => socket.Close();

    /// <summary>The writer under test over <paramref name="socket"/>: on the runtime's socket operations here.</summary>
    private protected virtual SocketPipeWriter CreateWriter(Socket socket, int minimumSegmentSize = 4096, ArrayPool<byte>? pool = null) =>
        new(socket, minimumSegmentSize, pool);

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(2047)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(8192)]
    [InlineData(8193)]
    [InlineData(20_000)]
    [InlineData(65_543)]
    [InlineData(1 << 20)]
    public Task Round_trips_keep_every_byte_in_order(int size) => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync();
        var pool = new CountingPool();
        var writer = CreateWriter(pair.Client, pool: pool);
        var reader = CreateReader(pair.Server, pool: pool);
        var payload = Pattern(size, size);

        for (var round = 0; round < 2; round++)
        {
            WriteInChunks(writer, payload);
            Assert.Equal(size, writer.UnflushedBytes);
            var flush = writer.FlushAsync().AsTask();
            Assert.Equal(0, writer.UnflushedBytes);

            // First round: nothing consumed until the whole payload is in (a chain of segments); second round: consume
            // as it comes (the owned buffer reused from its start).
            var received = round == 0 ? await ReadWithoutConsumingAsync(reader, size) : await ReadConsumingAsync(reader, size);
            Assert.Equal(payload, received);
            var result = await flush;
            Assert.False(result.IsCanceled);
        }

        writer.Complete();
        reader.Complete();
        Assert.Equal(0, pool.Outstanding);
    });

    [Fact]
    public Task Pipelined_messages_come_in_one_buffer_and_a_partial_advance_returns_the_rest_without_a_receive() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync();
        var reader = CreateReader(pair.Server);
        await pair.Client.SendAsync(Encoding.ASCII.GetBytes("GET /a\nGET /b\nGET /c\n"));

        var result = await reader.ReadAsync();
        while (result.Buffer.Length < 21)
        {
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await reader.ReadAsync();
        }

        Assert.Equal("GET /a\nGET /b\nGET /c\n", Text(result.Buffer));
        var first = result.Buffer.GetPosition(7);
        reader.AdvanceTo(first, first);

        // Nothing more was sent: a read that had to receive could not complete synchronously.
        var next = reader.ReadAsync();
        Assert.True(next.IsCompletedSuccessfully);
        result = await next;
        Assert.Equal("GET /b\nGET /c\n", Text(result.Buffer));

        // Everything examined: the next read waits for new bytes.
        reader.AdvanceTo(result.Buffer.GetPosition(7), result.Buffer.End);
        next = reader.ReadAsync();
        Assert.False(next.IsCompleted);
        await pair.Client.SendAsync(Encoding.ASCII.GetBytes("GET /d\n"));
        result = await next;
        Assert.StartsWith("GET /c\nGET /d", Text(result.Buffer));
    });

    [Fact]
    public Task Peer_close_completes_the_reader_with_its_last_bytes() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync();
        var reader = CreateReader(pair.Server);
        var pending = reader.ReadAsync();
        await pair.Client.SendAsync(Encoding.ASCII.GetBytes("last words"));
        pair.Client.Shutdown(SocketShutdown.Send);

        var result = await pending;
        while (!result.IsCompleted)
        {
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await reader.ReadAsync();
        }

        Assert.Equal("last words", Text(result.Buffer));
        reader.AdvanceTo(result.Buffer.GetPosition(5), result.Buffer.End);
        result = await reader.ReadAsync();
        Assert.True(result.IsCompleted);
        Assert.Equal("words", Text(result.Buffer));
        reader.AdvanceTo(result.Buffer.End);
        Assert.True(reader.TryRead(out result));
        Assert.True(result.IsCompleted);
        Assert.True(result.Buffer.IsEmpty);
    });

    [Fact]
    public Task Peer_reset_fails_the_read_with_an_IOException_around_the_socket_error() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync();
        var reader = CreateReader(pair.Server);
        var pending = reader.ReadAsync();
        Assert.False(pending.IsCompleted);
        pair.Client.LingerState = new LingerOption(true, 0);
        CloseLocally(pair.Client);

        var error = await Assert.ThrowsAsync<IOException>(async () => await pending);
        Assert.IsType<SocketException>(error.InnerException);
    });

    [Fact]
    public Task A_cancelled_token_ends_a_pending_read_and_no_byte_is_lost() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync();
        var reader = CreateReader(pair.Server);
        using var timeout = new CancellationTokenSource();
        var pending = reader.ReadAsync(timeout.Token);
        Assert.False(pending.IsCompleted);
        timeout.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadAsync(timeout.Token));
        await pair.Client.SendAsync(Encoding.ASCII.GetBytes("after"));
        Assert.Equal("after", Encoding.ASCII.GetString(await ReadConsumingAsync(reader, 5)));
    });

    [Fact]
    public Task CancelPendingRead_returns_a_cancelled_result_and_the_next_read_gets_the_bytes() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync();
        var reader = CreateReader(pair.Server);
        var pending = reader.ReadAsync();
        Assert.False(pending.IsCompleted);
        reader.CancelPendingRead();
        var result = await pending;
        Assert.True(result.IsCanceled);
        Assert.False(result.IsCompleted);
        Assert.True(result.Buffer.IsEmpty);
        reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);

        // Cancelled before it starts: the next read returns cancelled at once, once.
        reader.CancelPendingRead();
        var next = reader.ReadAsync();
        Assert.True(next.IsCompletedSuccessfully);
        Assert.True((await next).IsCanceled);
        Assert.False(reader.TryRead(out _));

        await pair.Client.SendAsync(Encoding.ASCII.GetBytes("x"));
        result = await reader.ReadAsync();
        Assert.False(result.IsCanceled);
        Assert.Equal("x", Text(result.Buffer));
    });

    [Fact]
    public Task Closing_the_socket_locally_fails_pending_and_later_operations_with_an_IOException() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync();
        var reader = CreateReader(pair.Server);
        var writer = CreateWriter(pair.Server);
        var pending = reader.ReadAsync();
        Assert.False(pending.IsCompleted);
        CloseLocally(pair.Server);

        await Assert.ThrowsAsync<IOException>(async () => await pending);
        await Assert.ThrowsAsync<IOException>(async () => await reader.ReadAsync());
        writer.Write("late"u8);
        await Assert.ThrowsAsync<IOException>(async () => await writer.FlushAsync());
    });

    [Fact]
    public Task A_large_write_to_a_slow_reader_is_sent_whole() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync(smallBuffers: true);
        var pool = new CountingPool();
        var writer = CreateWriter(pair.Client, pool: pool);
        var payload = Pattern(4 << 20, 7);
        WriteInChunks(writer, payload);
        var flush = writer.FlushAsync();
        Assert.False(flush.IsCompleted); // the peer has not read anything: the socket cannot take 4 MiB

        var received = await ReceiveSlowlyAsync(pair.Server, payload.Length);
        Assert.False((await flush).IsCanceled);
        Assert.Equal(payload, received);

        // Everything sent: the next write starts again in the one owned buffer.
        var rentsBefore = pool.Rents;
        writer.Write("ok"u8);
        await writer.FlushAsync();
        Assert.Equal(rentsBefore, pool.Rents);
        Assert.Equal(1, pool.Outstanding);
        writer.Complete();
        Assert.Equal(0, pool.Outstanding);
    });

    [Fact]
    public Task A_cancelled_flush_returns_at_once_and_the_bytes_still_arrive_in_order() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync(smallBuffers: true);
        var writer = CreateWriter(pair.Client);
        var first = Pattern(1 << 20, 1);
        writer.Write(first);
        var flush = writer.FlushAsync();
        Assert.False(flush.IsCompleted);
        writer.CancelPendingFlush();
        Assert.True((await flush).IsCanceled);

        var second = Pattern(300_000, 2);
        writer.Write(second);
        using var timeout = new CancellationTokenSource();
        flush = writer.FlushAsync(timeout.Token);
        Assert.False(flush.IsCompleted);
        timeout.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await flush);

        var third = Encoding.ASCII.GetBytes("the end");
        writer.Write(third);
        var last = writer.FlushAsync().AsTask();
        var received = await ReceiveSlowlyAsync(pair.Server, first.Length + second.Length + third.Length);
        Assert.False((await last).IsCanceled);
        Assert.Equal([.. first, .. second, .. third], received);
    });

    [Fact]
    public Task Steady_state_round_trips_take_nothing_more_from_the_pool() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync();
        var pool = new CountingPool();
        var clientIn = CreateReader(pair.Client, pool: pool);
        var clientOut = CreateWriter(pair.Client, pool: pool);
        var serverIn = CreateReader(pair.Server, pool: pool);
        var serverOut = CreateWriter(pair.Server, pool: pool);
        var request = Pattern(128, 1);
        var response = Pattern(1024, 2);
        for (var i = 0; i < 200; i++)
        {
            clientOut.Write(request);
            await clientOut.FlushAsync();
            Assert.Equal(request, await ReadConsumingAsync(serverIn, request.Length));
            serverOut.Write(response);
            await serverOut.FlushAsync();
            Assert.Equal(response, await ReadConsumingAsync(clientIn, response.Length));
        }

        Assert.Equal(4, pool.Rents);
        clientIn.Complete();
        clientOut.Complete();
        serverIn.Complete();
        serverOut.Complete();
        Assert.Equal(0, pool.Outstanding);
    });

    [Fact]
    public Task Complete_returns_every_buffer_and_later_calls_throw() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync();
        var pool = new CountingPool();
        var reader = CreateReader(pair.Server, bufferSize: 256, pool: pool);
        var writer = CreateWriter(pair.Server, pool: pool);
        await pair.Client.SendAsync(Pattern(1000, 3));
        var result = await reader.ReadAsync();
        while (result.Buffer.Length < 1000)
        {
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await reader.ReadAsync();
        }

        Assert.False(result.Buffer.IsSingleSegment);
        writer.Write(Pattern(10_000, 4)); // unflushed, over several segments
        Assert.True(pool.Outstanding > 3);

        reader.Complete();
        writer.Complete();
        Assert.Equal(0, pool.Outstanding);
        reader.Complete();
        writer.Complete();
        Assert.Throws<InvalidOperationException>(() => reader.ReadAsync());
        Assert.Throws<InvalidOperationException>(() => reader.TryRead(out _));
        Assert.Throws<InvalidOperationException>(() => reader.AdvanceTo(result.Buffer.End));
        Assert.Throws<InvalidOperationException>(() => writer.GetMemory());
        Assert.Throws<InvalidOperationException>(() => writer.Advance(0));
        Assert.Throws<InvalidOperationException>(() => writer.FlushAsync());
    });

    [Fact]
    public Task A_receive_in_flight_at_Complete_returns_its_buffer_when_it_ends() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync();
        var pool = new CountingPool();
        var reader = CreateReader(pair.Server, pool: pool);
        var pending = reader.ReadAsync();
        reader.CancelPendingRead();
        Assert.True((await pending).IsCanceled);

        // The socket may still write into the buffer: it is not handed back before the receive ends.
        reader.Complete();
        Assert.Equal(1, pool.Outstanding);
        CloseLocally(pair.Server);
        Assert.True(await pool.WhenNoneOutstandingAsync());
    });

    [Fact]
    public Task A_send_in_flight_at_Complete_returns_its_buffers_when_it_ends() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync(smallBuffers: true);
        var pool = new CountingPool();
        var writer = CreateWriter(pair.Client, pool: pool);
        writer.Write(Pattern(1 << 20, 5));
        var flush = writer.FlushAsync();
        writer.CancelPendingFlush();
        Assert.True((await flush).IsCanceled);

        // The socket may still read from the buffers: they are not handed back before the send ends.
        writer.Complete();
        Assert.NotEqual(0, pool.Outstanding);
        CloseLocally(pair.Client);
        Assert.True(await pool.WhenNoneOutstandingAsync());
    });

    [Fact]
    public Task Writing_to_a_reset_peer_fails_with_an_IOException_around_the_socket_error() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync();
        var writer = CreateWriter(pair.Client);
        pair.Server.LingerState = new LingerOption(true, 0);
        CloseLocally(pair.Server);

        // The first sends may still be taken by the local socket before the reset is seen.
        IOException? error = null;
        for (var i = 0; i < 100 && error is null; i++)
        {
            writer.Write(Pattern(1000, i));
            try
            {
                await writer.FlushAsync();
            }
            catch (IOException exception)
            {
                error = exception;
            }
        }

        Assert.NotNull(error);
        Assert.IsType<SocketException>(error.InnerException);
    });

    [Fact]
    public Task Positions_from_elsewhere_or_out_of_order_are_refused() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync();
        var reader = CreateReader(pair.Server);
        await pair.Client.SendAsync(Encoding.ASCII.GetBytes("hello"));
        var result = await reader.ReadAsync();
        var foreign = new ReadOnlySequence<byte>(new byte[5]);
        Assert.Throws<InvalidOperationException>(() => reader.AdvanceTo(foreign.End));
        Assert.Throws<InvalidOperationException>(() => reader.AdvanceTo(result.Buffer.End, result.Buffer.Start));
        reader.AdvanceTo(result.Buffer.GetPosition(2), result.Buffer.GetPosition(2));
        Assert.Throws<InvalidOperationException>(() => reader.AdvanceTo(result.Buffer.Start));
        Assert.True(reader.TryRead(out result));
        Assert.Equal("llo", Text(result.Buffer));
    });

    [Fact]
    public Task GetMemory_honours_the_size_hint() => Bounded(async () =>
    {
        using var pair = await Loopback.ConnectAsync();
        var writer = CreateWriter(pair.Client);
        var reader = CreateReader(pair.Server);
        writer.GetSpan(2000)[..2000].Fill((byte)'a');
        writer.Advance(2000);
        var span = writer.GetSpan(3000);
        Assert.True(span.Length >= 3000);
        span[..3000].Fill((byte)'b');
        writer.Advance(3000);
        var memory = writer.GetMemory(10_000);
        Assert.True(memory.Length >= 10_000);
        memory.Span[..10_000].Fill((byte)'c');
        writer.Advance(10_000);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(memory.Length));
        Assert.Equal(15_000, writer.UnflushedBytes);
        await writer.FlushAsync();

        var received = await ReadConsumingAsync(reader, 15_000);
        Assert.Equal(new string('a', 2000) + new string('b', 3000) + new string('c', 10_000), Encoding.ASCII.GetString(received));
    });

    [Fact]
    public void Any_chunking_and_any_advance_pattern_reads_exactly_the_bytes_sent() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(50),
            Prop.ForAll(
                Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 700), n)).ToArbitrary(),
                Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 100).Zip(Gen.Elements(true, false)), n)).ToArbitrary(),
                (chunks, advances) => ReadsExactlyWhatWasSent(chunks, advances).WaitAsync(Bound).GetAwaiter().GetResult()));

    private async Task<bool> ReadsExactlyWhatWasSent(int[] chunks, (int Percent, bool ExamineAll)[] advances)
    {
        using var pair = await Loopback.ConnectAsync();
        var reader = CreateReader(pair.Server, bufferSize: 256);
        var sent = Pattern(chunks.Sum(), chunks.Length);
        var sending = Task.Run(async () =>
        {
            var offset = 0;
            foreach (var chunk in chunks)
            {
                await pair.Client.SendAsync(sent.AsMemory(offset, chunk));
                offset += chunk;
            }

            pair.Client.Shutdown(SocketShutdown.Send);
        });

        var read = new List<byte>();
        for (var step = 0; ; step++)
        {
            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            if (result.IsCompleted && buffer.IsEmpty)
            {
                break;
            }

            var (percent, examineAll) = advances[step % advances.Length];
            var take = buffer.Length * percent / 100;
            if (take == 0 && result.IsCompleted)
            {
                take = buffer.Length; // the peer is gone: only consuming makes progress
            }

            var consumed = buffer.GetPosition(take);
            read.AddRange(buffer.Slice(0, take).ToArray());

            // Examining less than everything makes the next read return at once, so only do it after consuming.
            reader.AdvanceTo(consumed, examineAll || take == 0 ? buffer.End : consumed);
        }

        await sending;
        reader.Complete();
        return read.SequenceEqual(sent);
    }

    private static Task Bounded(Func<Task> body) => body().WaitAsync(Bound);

    private static byte[] Pattern(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Text(ReadOnlySequence<byte> buffer) => Encoding.ASCII.GetString(buffer.ToArray());

    private static void WriteInChunks(PipeWriter writer, byte[] payload)
    {
        for (int offset = 0, i = 0; offset < payload.Length; i++)
        {
            var chunk = Math.Min(payload.Length - offset, 1 + (i * 937 % 6000));
            var span = writer.GetSpan(chunk);
            Assert.True(span.Length >= chunk);
            payload.AsSpan(offset, chunk).CopyTo(span);
            writer.Advance(chunk);
            offset += chunk;
        }
    }

    private static async Task<byte[]> ReadWithoutConsumingAsync(PipeReader reader, int size)
    {
        var result = await reader.ReadAsync();
        while (result.Buffer.Length < size)
        {
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await reader.ReadAsync();
        }

        var bytes = result.Buffer.ToArray();
        reader.AdvanceTo(result.Buffer.End);
        return bytes;
    }

    private static async Task<byte[]> ReadConsumingAsync(PipeReader reader, int size)
    {
        var bytes = new byte[size];
        var offset = 0;
        while (offset < size)
        {
            var result = await reader.ReadAsync();
            var take = (int)Math.Min(result.Buffer.Length, size - offset);
            result.Buffer.Slice(0, take).CopyTo(bytes.AsSpan(offset));
            offset += take;
            reader.AdvanceTo(result.Buffer.GetPosition(take));
            if (result.IsCompleted && offset < size)
            {
                throw new IOException("The peer closed early.");
            }
        }

        return bytes;
    }

    /// <summary>Reads with a plain socket in small pieces, yielding between them, so the sender keeps hitting a full window.</summary>
    private static async Task<byte[]> ReceiveSlowlyAsync(Socket socket, int size)
    {
        var bytes = new byte[size];
        var offset = 0;
        while (offset < size)
        {
            var read = await socket.ReceiveAsync(bytes.AsMemory(offset, Math.Min(1000, size - offset)));
            Assert.NotEqual(0, read);
            offset += read;
            await Task.Yield();
        }

        return bytes;
    }

    /// <summary>Counts rents and returns and refuses an array returned twice or not rented here.</summary>
    private sealed class CountingPool : ArrayPool<byte>
    {
        private readonly ConcurrentDictionary<byte[], bool> _out = new(ReferenceEqualityComparer.Instance);
        private readonly TaskCompletionSource _none = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _rents;

        public int Rents => Volatile.Read(ref _rents);

        public int Outstanding => _out.Count;

        public override byte[] Rent(int minimumLength)
        {
            Interlocked.Increment(ref _rents);
            var array = new byte[minimumLength];
            _out[array] = true;
            return array;
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            Assert.True(_out.TryRemove(array, out _), "An array was returned twice or was never rented here.");
            if (_out.IsEmpty)
            {
                _none.TrySetResult();
            }
        }

        public async Task<bool> WhenNoneOutstandingAsync()
        {
            if (!_out.IsEmpty)
            {
                await _none.Task;
            }

            return _out.IsEmpty;
        }
    }
}
