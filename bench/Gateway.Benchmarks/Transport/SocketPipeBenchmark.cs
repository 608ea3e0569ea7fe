using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Gateway.Net.Transport;
using Gateway.Net.Transport.Epoll;
using Gateway.Net.Transport.Uring;

namespace Gateway.Benchmarks.Transport;

/// <summary>
/// A request/answer ping-pong over a loopback TCP pair: 128 bytes out, 1 KiB (or 16 KiB, a chain of segments) back from
/// an echo-like peer using the same kind of pipes. Stream pipes over NetworkStream (the data plane's connections today)
/// against the socket pipes; the socket pipes must allocate nothing per round trip.
/// </summary>
[MemoryDiagnoser]
public class SocketPipeBenchmark
{
    private const int RoundTrips = 64;
    private readonly byte[] _request = new byte[128];
    private byte[] _answer = null!;
    private Connection _stream = null!;
    private Connection _socket = null!;
    private Connection _loop = null!;
    private Connection _ring = null!;

    [Params(1024, 16384)]
    public int AnswerSize { get; set; }

    /// <summary>False: the peer is driven inline, so reads mostly complete at once (the pipes' and socket calls' own cost).
    /// True: the peer is its own task, so every read waits for the other side (the asynchronous path, with thread hand-offs).</summary>
    [Params(false, true)]
    public bool PeerTask { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _answer = new byte[AnswerSize];
        _stream = Connection.Open(socket => new NetworkStreamPipes(socket), PeerTask ? _answer : null);
        _socket = Connection.Open(socket => new SocketPipes(socket), PeerTask ? _answer : null);
        _loop = Connection.Open(socket => new EventLoopPipes(EventLoop.Next(EpollLoop.All).Attach(socket)), PeerTask ? _answer : null);
        _ring = Connection.Open(socket => new EventLoopPipes(EventLoop.Next(UringLoop.All).Attach(socket)), PeerTask ? _answer : null);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stream.Dispose();
        _socket.Dispose();
        _loop.Dispose();
        _ring.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    public ValueTask StreamPipe() => PingPongAsync(_stream, _request, _answer);

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public ValueTask SocketPipe() => PingPongAsync(_socket, _request, _answer);

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public ValueTask EventLoopPipe() => PingPongAsync(_loop, _request, _answer);

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public ValueTask RingPipe() => PingPongAsync(_ring, _request, _answer);

    /// <summary>
    /// The client sends a request, the peer reads it and answers, the client reads the answer. Driven inline (on the same
    /// thread), the bytes are in the receiver's queue when a loopback send returns, so most reads complete at once.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask PingPongAsync(Connection connection, byte[] request, byte[] answer)
    {
        var client = connection.Client;
        var server = connection.Server;
        for (var i = 0; i < RoundTrips; i++)
        {
            client.Output.Write(request);
            await client.Output.FlushAsync().ConfigureAwait(false);
            if (!connection.HasPeerTask)
            {
                await ReadExactlyAsync(server.Input, request.Length).ConfigureAwait(false);
                server.Output.Write(answer);
                await server.Output.FlushAsync().ConfigureAwait(false);
            }

            await ReadExactlyAsync(client.Input, answer.Length).ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask ReadExactlyAsync(PipeReader input, int length)
    {
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            if (result.Buffer.Length >= length)
            {
                input.AdvanceTo(result.Buffer.GetPosition(length));
                return;
            }

            if (result.IsCompleted)
            {
                throw new InvalidOperationException("The peer closed the connection.");
            }

            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>Answers each 128-byte request until the connection ends.</summary>
    private static async Task EchoAsync(IDuplexPipe server, byte[] answer)
    {
        try
        {
            while (true)
            {
                await ReadExactlyAsync(server.Input, 128).ConfigureAwait(false);
                server.Output.Write(answer);
                await server.Output.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // the benchmark closed the connection
        }
    }

    private sealed class Connection : IDisposable
    {
        private readonly Socket _clientSocket;
        private readonly Socket _serverSocket;

        private readonly Task _peer;

        private Connection(Socket clientSocket, Socket serverSocket, IDuplexPipe client, IDuplexPipe server, byte[]? peerAnswer)
        {
            _clientSocket = clientSocket;
            _serverSocket = serverSocket;
            Client = client;
            Server = server;
            _peer = peerAnswer is null ? Task.CompletedTask : Task.Run(() => EchoAsync(server, peerAnswer));
            HasPeerTask = peerAnswer is not null;
        }

        public bool HasPeerTask { get; }

        public IDuplexPipe Client { get; }

        public IDuplexPipe Server { get; }

        public static Connection Open(Func<Socket, IDuplexPipe> pipes, byte[]? peerAnswer)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            client.Connect(listener.LocalEndPoint!);
            var server = listener.Accept();
            server.NoDelay = true;
            return new Connection(client, server, pipes(client), pipes(server), peerAnswer);
        }

        public void Dispose()
        {
            Client.Output.Complete();
            Client.Input.Complete();
            _clientSocket.Shutdown(SocketShutdown.Both);
            _peer.Wait(TimeSpan.FromSeconds(5)); // the peer sees the end and stops reading before its pipes complete
            Server.Output.Complete();
            Server.Input.Complete();
            (Client as IDisposable)?.Dispose();
            (Server as IDisposable)?.Dispose();
            _clientSocket.Dispose();
            _serverSocket.Dispose();
        }
    }

    private sealed class SocketPipes(Socket socket) : IDuplexPipe
    {
        public PipeReader Input { get; } = new SocketPipeReader(socket);

        public PipeWriter Output { get; } = new SocketPipeWriter(socket);
    }

    /// <summary>The socket pipes on the data plane's own event loops (its default on Linux).</summary>
    private sealed class EventLoopPipes(ILoopSocket socket) : IDuplexPipe, IDisposable
    {
        public PipeReader Input { get; } = new SocketPipeReader(socket);

        public PipeWriter Output { get; } = new SocketPipeWriter(socket);

        /// <summary>Owners close a loop socket through it before the socket itself (a ring holds it open until then).</summary>
        public void Dispose() => socket.Dispose();
    }

    /// <summary>The pipes as the data plane made them before the socket pipes.</summary>
    private sealed class NetworkStreamPipes : IDuplexPipe
    {
        public NetworkStreamPipes(Socket socket)
        {
            var stream = new NetworkStream(socket, ownsSocket: false);
            Input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 8192, minimumReadSize: 2048, leaveOpen: true));
            Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true));
        }

        public PipeReader Input { get; }

        public PipeWriter Output { get; }
    }
}
