using System.Buffers;
using System.Net;
using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Transport;
using Gateway.Net.Transport.Epoll;
using Gateway.Net.Transport.Uring;
using Gateway.Net.Upstream;

namespace Gateway.Net.Tests.Transport;

/// <summary>Every socket-pipe test again, with the pipes on the data plane's epoll loops.</summary>
public sealed class EpollSocketPipeTests : LoopSocketPipeTests
{
    private protected override EventLoop NextLoop() => EventLoop.Next(EpollLoop.All);
}

/// <summary>Every socket-pipe test again, with the pipes on the data plane's io_uring loops.</summary>
public sealed class UringSocketPipeTests : LoopSocketPipeTests
{
    private protected override EventLoop NextLoop() => EventLoop.Next(UringLoop.All);
}

/// <summary>Every socket-pipe test again, with the pipes on one kind of the data plane's own event loops.</summary>
public abstract class LoopSocketPipeTests : SocketPipeTests, IDisposable
{
    private readonly Dictionary<Socket, ILoopSocket> _registered = [];

    private protected abstract EventLoop NextLoop();

    private protected override SocketPipeReader CreateReader(Socket socket, int bufferSize = 8192, ArrayPool<byte>? pool = null) =>
        new(Registered(socket), bufferSize, pool);

    private protected override SocketPipeWriter CreateWriter(Socket socket, int minimumSegmentSize = 4096, ArrayPool<byte>? pool = null) =>
        new(Registered(socket), minimumSegmentSize, pool);

    /// <summary>Owners close an event-loop socket through it, which fails what waits on it, then close the socket.</summary>
    private protected override void CloseLocally(Socket socket)
    {
        Registered(socket).Dispose();
        socket.Close();
    }

    public void Dispose()
    {
        lock (_registered)
        {
            foreach (var socket in _registered.Values)
            {
                socket.Dispose();
            }
        }
    }

    private ILoopSocket Registered(Socket socket)
    {
        lock (_registered)
        {
            if (!_registered.TryGetValue(socket, out var attached))
            {
                attached = NextLoop().Attach(socket);
                _registered[socket] = attached;
            }

            return attached;
        }
    }
}

/// <summary>The event-loop socket tests on epoll.</summary>
public sealed class EpollSocketTests : LoopSocketTests
{
    private protected override EventLoop NextLoop() => EventLoop.Next(EpollLoop.All);
}

/// <summary>The event-loop socket tests on io_uring, plus what only rings have: buffers the kernel receives into.</summary>
public sealed class UringSocketTests : LoopSocketTests
{
    private protected override EventLoop NextLoop() => EventLoop.Next(UringLoop.All);

    [Fact]
    public async Task Sockets_the_buffers_ran_out_for_receive_again_once_a_reader_gives_buffers_back()
    {
        // A ring of its own with 8 buffers of 16 KiB, so running out starves no other test's connections.
        var ring = UringLoop.CreateStandalone(bufferCount: 8) ?? throw new InvalidOperationException("io_uring refused");
        var pairs = new List<(Loopback Sockets, ILoopSocket Server, byte[] Payload)>();
        try
        {
            // Four connections get 64 KiB each that nobody reads yet: twice what the ring's buffers hold.
            for (var i = 0; i < 4; i++)
            {
                var sockets = await Loopback.ConnectAsync();
                var payload = new byte[64 * 1024];
                new Random(i).NextBytes(payload);
                pairs.Add((sockets, ring.Attach(sockets.Server), payload));
                Assert.Equal(payload.Length, sockets.Client.Send(payload));
            }

            // Reading in order gives buffers back; the connections the buffers ran out for receive again.
            foreach (var (_, server, payload) in pairs)
            {
                var received = await ReceiveExactlyAsync(server, payload.Length).WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Equal(payload, received);
            }
        }
        finally
        {
            foreach (var (sockets, server, _) in pairs)
            {
                server.Dispose();
                sockets.Dispose();
            }
        }
    }
}

/// <summary>The event-loop socket itself over real loopback TCP: receives, sends, connects, closes.</summary>
public abstract class LoopSocketTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private protected abstract EventLoop NextLoop();

    [Fact]
    public Task A_receive_waits_for_bytes_that_arrive_later_and_each_exchange_after_it_too() => Bounded(async () =>
    {
        using var pair = await Pair.ConnectAsync(NextLoop);
        var buffer = new byte[64];
        for (var round = 0; round < 200; round++)
        {
            // Nothing is there yet: the receive waits, and the loop finishes it when the bytes arrive.
            var receive = pair.Server.ReceiveAsync(buffer);
            var message = BitConverter.GetBytes(round);
            Assert.Equal(message.Length, await pair.Client.SendAsync(message));
            var received = await receive;
            Assert.Equal(message.Length, received);
            Assert.Equal(round, BitConverter.ToInt32(buffer, 0));
        }
    });

    [Fact]
    public Task A_send_larger_than_the_socket_buffers_waits_for_room_and_every_byte_arrives_in_order() => Bounded(async () =>
    {
        using var pair = await Pair.ConnectAsync(NextLoop, smallBuffers: true);
        var payload = new byte[8 << 20];
        new Random(5).NextBytes(payload);

        // Nobody reads yet: sends succeed until the buffers are full, then one waits for room.
        var offset = 0;
        ValueTask<int> send;
        while (true)
        {
            send = pair.Client.SendAsync(payload.AsMemory(offset, Math.Min(256 * 1024, payload.Length - offset)));
            if (!send.IsCompleted)
            {
                break;
            }

            offset += await send;
            Assert.True(offset < payload.Length, "8 MiB went into 8 KiB socket buffers without a send waiting");
        }

        var sending = Task.Run(async () =>
        {
            offset += await send;
            while (offset < payload.Length)
            {
                offset += await pair.Client.SendAsync(payload.AsMemory(offset, Math.Min(256 * 1024, payload.Length - offset)));
            }
        });

        var received = await ReceiveExactlyAsync(pair.Server, payload.Length);
        await sending;
        Assert.Equal(payload, received);
    });

    [Fact]
    public Task A_reader_that_stops_reading_holds_the_sender_back_and_then_gets_every_byte_in_order() => Bounded(async () =>
    {
        using var pair = await Pair.ConnectAsync(NextLoop, smallBuffers: true);
        var payload = new byte[4 << 20];
        new Random(11).NextBytes(payload);
        var sent = 0;
        var sending = Task.Run(async () =>
        {
            while (sent < payload.Length)
            {
                var count = await pair.Client.SendAsync(payload.AsMemory(sent, Math.Min(64 * 1024, payload.Length - sent)));
                Volatile.Write(ref sent, sent + count);
            }
        });

        // Nobody reads: once the sender is stuck, far less than the payload has left it (no unbounded read-ahead).
        var last = -1;
        while (Volatile.Read(ref sent) != last)
        {
            last = Volatile.Read(ref sent);
            await Task.Delay(200);
        }

        Assert.True(last < 1 << 20, $"{last} bytes went out while nobody read");

        var received = await ReceiveExactlyAsync(pair.Server, payload.Length);
        await sending;
        Assert.Equal(payload, received);
    });

    [Fact]
    public Task Disposing_fails_a_send_that_waits_for_room_and_the_peer_sees_the_stream_end() => Bounded(async () =>
    {
        using var pair = await Pair.ConnectAsync(NextLoop, smallBuffers: true);
        var chunk = new byte[256 * 1024];
        Task<int> send;
        while (true)
        {
            send = pair.Client.SendAsync(chunk).AsTask();
            if (await Task.WhenAny(send, Task.Delay(300)) != send)
            {
                break; // nobody reads: this one waits for room
            }

            await send;
        }

        pair.Client.Dispose();
        pair.ClientSocket.Close();
        var error = await Assert.ThrowsAsync<SocketException>(() => send);
        Assert.Equal(SocketError.OperationAborted, error.SocketErrorCode);

        // The peer still gets what was sent before, then the end.
        var buffer = new byte[64 * 1024];
        while (await pair.Server.ReceiveAsync(buffer) > 0)
        {
        }
    });

    [Fact]
    public Task The_end_of_the_stream_is_a_zero_byte_receive_and_marks_the_peer_closed() => Bounded(async () =>
    {
        using var pair = await Pair.ConnectAsync(NextLoop);
        var receive = pair.Server.ReceiveAsync(new byte[16]);
        Assert.False(receive.IsCompleted);
        pair.ClientSocket.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await receive);
        Assert.True(pair.Server.PeerClosed); // the loop saw the hang-up before it finished the receive
    });

    [Fact]
    public Task Disposing_fails_a_waiting_receive_with_an_abort_and_later_operations_fail_too() => Bounded(async () =>
    {
        using var pair = await Pair.ConnectAsync(NextLoop);
        var receive = pair.Server.ReceiveAsync(new byte[16]).AsTask();
        Assert.False(receive.IsCompleted);
        pair.Server.Dispose();
        var error = await Assert.ThrowsAsync<SocketException>(() => receive);
        Assert.Equal(SocketError.OperationAborted, error.SocketErrorCode);

        // Later calls fail at once: aborted (the socket was drained, so no call reaches the kernel) or disposed.
        pair.ServerSocket.Dispose();
        var later = await Record.ExceptionAsync(async () => await pair.Server.ReceiveAsync(new byte[16]));
        Assert.True(later is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted }, $"unexpected {later}");
    });

    [Fact]
    public Task A_reset_by_the_peer_fails_the_receive_with_connection_reset() => Bounded(async () =>
    {
        using var pair = await Pair.ConnectAsync(NextLoop);
        var receive = pair.Server.ReceiveAsync(new byte[16]).AsTask();
        pair.ClientSocket.LingerState = new LingerOption(true, 0);

        // Owners close through the loop socket first (a ring holds the socket open until then), then close it:
        // linger 0 sends RST instead of FIN.
        pair.Client.Dispose();
        pair.ClientSocket.Close();
        var error = await Assert.ThrowsAsync<SocketException>(() => receive);
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
    });

    [Fact]
    public Task Connecting_to_a_closed_port_fails_with_connection_refused() => Bounded(async () =>
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port; // bound, never listening: connections are refused
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var error = await Assert.ThrowsAsync<SocketException>(async () =>
                await NextLoop().ConnectAsync(socket, new IPEndPoint(IPAddress.Loopback, port), CancellationToken.None));
            Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        }
    });

    [Fact]
    public Task A_connect_that_gets_no_answer_ends_when_its_token_is_cancelled() => Bounded(async () =>
    {
        using var listener = await UnansweredListener.OpenAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cancel = new CancellationTokenSource();
        var connect = NextLoop().ConnectAsync(socket, listener.EndPoint, cancel.Token).AsTask();
        Assert.NotSame(connect, await Task.WhenAny(connect, Task.Delay(200))); // waiting on the kernel, not cancelled early
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect);
    });

    [Fact]
    public void Any_interleaving_of_sends_and_receives_on_two_threads_delivers_exactly_the_bytes_sent() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(40),
            Prop.ForAll(
                Gen.Choose(1, 20).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 100_000), n)).ToArbitrary(),
                Gen.Choose(1, 20).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 70_000), n)).ToArbitrary(),
                (sends, receives) => ExchangesExactly(sends, receives).WaitAsync(Bound).GetAwaiter().GetResult()));

    [Fact]
    public Task A_pooled_backend_connection_goes_back_to_the_pool_of_its_loop_and_one_the_backend_closed_is_never_rented() => Bounded(async () =>
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var endpoint = new UpstreamEndpoint("127.0.0.1", port, useTls: false, maxIdleConnections: 4);
        var home = NextLoop();
        var other = NextLoop();
        if (other == home)
        {
            other = null;
        }

        var connection = await UpstreamConnection.ConnectAsync(endpoint, home, CancellationToken.None);
        using var accepted = await listener.AcceptAsync();
        endpoint.Return(connection);
        Assert.False(endpoint.TryRent(null, out _)); // not in the pool for connections off the loops
        if (other is not null)
        {
            Assert.False(endpoint.TryRent(other, out _));
        }

        Assert.True(endpoint.TryRent(home, out var rented));
        Assert.Same(connection, rented);
        endpoint.Return(rented);

        // The backend closes the idle connection: once the loop has seen it, renting drops it instead of handing it out.
        accepted.Shutdown(SocketShutdown.Both);
        var deadline = DateTime.UtcNow + Bound;
        while (connection.IsUsable && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }

        Assert.False(connection.IsUsable);
        Assert.False(endpoint.TryRent(home, out _));
    });

    private async Task<bool> ExchangesExactly(int[] sends, int[] receives)
    {
        using var pair = await Pair.ConnectAsync(NextLoop);
        var payload = new byte[sends.Sum()];
        new Random(sends.Length * 31 + receives.Length).NextBytes(payload);
        var sending = Task.Run(async () =>
        {
            var offset = 0;
            foreach (var size in sends)
            {
                var end = offset + size;
                while (offset < end)
                {
                    offset += await pair.Client.SendAsync(payload.AsMemory(offset, end - offset));
                }
            }

            pair.ClientSocket.Shutdown(SocketShutdown.Send);
        });

        var received = new byte[payload.Length + 1];
        var total = 0;
        for (var i = 0; ; i++)
        {
            var size = Math.Min(receives[i % receives.Length], received.Length - total);
            var count = await pair.Server.ReceiveAsync(received.AsMemory(total, size));
            if (count == 0)
            {
                break;
            }

            total += count;
        }

        await sending;
        return total == payload.Length && received.AsSpan(0, total).SequenceEqual(payload);
    }

    private static Task Bounded(Func<Task> body) => body().WaitAsync(Bound);

    /// <summary>Receives exactly <paramref name="length"/> bytes, in receives of at most 64 KiB; the stream must not end first.</summary>
    private protected static async Task<byte[]> ReceiveExactlyAsync(ILoopSocket socket, int length)
    {
        var received = new byte[length];
        var total = 0;
        while (total < received.Length)
        {
            var count = await socket.ReceiveAsync(received.AsMemory(total, Math.Min(64 * 1024, received.Length - total))).ConfigureAwait(false);
            Assert.True(count > 0, "the stream ended early");
            total += count;
        }

        return received;
    }

    /// <summary>A connected loopback pair, both ends on event loops.</summary>
    private sealed class Pair : IDisposable
    {
        private Pair(Socket client, Socket server, Func<EventLoop> nextLoop)
        {
            ClientSocket = client;
            ServerSocket = server;
            Client = nextLoop().Attach(client);
            Server = nextLoop().Attach(server);
        }

        public Socket ClientSocket { get; }

        public Socket ServerSocket { get; }

        public ILoopSocket Client { get; }

        public ILoopSocket Server { get; }

        public static async Task<Pair> ConnectAsync(Func<EventLoop> nextLoop, bool smallBuffers = false)
        {
            var loopback = await Loopback.ConnectAsync(smallBuffers).ConfigureAwait(false);
            return new Pair(loopback.Client, loopback.Server, nextLoop);
        }

        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
            ClientSocket.Dispose();
            ServerSocket.Dispose();
        }
    }
}
