using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Gateway.Net.Transport.Epoll;
using Gateway.Net.Transport.Uring;

namespace Gateway.Net.Transport;

/// <summary>
/// One of the data plane's event loops: a thread that runs, inline, whatever its sockets' completions resume. A client
/// connection and the backend connections it uses live on the same loop, so a forwarded request runs on one thread
/// from the client's bytes to the backend's answer, the way each nginx worker keeps its own connections.
/// </summary>
/// <remarks>
/// Loops are process-wide, one per processor, created on first use. On Linux (x86-64, arm64) they are io_uring rings
/// where the kernel has what they need (5.19 features plus deferred task running, 6.1), else epoll sets;
/// <c>GATEWAY_IO_URING=0</c> keeps epoll, <c>GATEWAY_EPOLL=0</c> leaves the data plane on the runtime's sockets.
/// </remarks>
internal abstract class EventLoop
{
    private static readonly Lazy<EventLoop[]?> s_loops = new(CreateLoops);
    private static int s_next;

    /// <summary>The loop's place among the process's loops of its kind (0-based); upstream pools are kept per loop.</summary>
    public abstract int Index { get; }

    /// <summary>Whether the caller runs on this loop's thread.</summary>
    public abstract bool IsCurrentThread { get; }

    /// <summary>Whether the data plane's sockets run on event loops here (else on the runtime's sockets).</summary>
    public static bool IsSupported => s_loops.Value is not null;

    /// <summary>Whether the platform lets the data plane run its own loops at all.</summary>
    internal static bool PlatformAllows { get; } =
        OperatingSystem.IsLinux() &&
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64 &&
        Environment.GetEnvironmentVariable("GATEWAY_EPOLL") != "0";

    /// <summary>The loop for a new connection: round-robin over the loops. Only when <see cref="IsSupported"/>.</summary>
    public static EventLoop Next() => Next(s_loops.Value);

    /// <summary>Round-robin over <paramref name="loops"/> (one kind's loops); null means that kind is not available here.</summary>
    internal static TLoop Next<TLoop>(TLoop[]? loops) where TLoop : EventLoop
    {
        if (loops is null)
        {
            throw new PlatformNotSupportedException("The data plane's event loops of this kind are not available here.");
        }

        return loops[(int)((uint)Interlocked.Increment(ref s_next) % (uint)loops.Length)];
    }

    /// <summary>Takes over a connected socket (accepted, or connected elsewhere); its operations run on this loop.</summary>
    public abstract ILoopSocket Attach(Socket socket);

    /// <summary>Connects <paramref name="socket"/> (new, unconnected) to <paramref name="endpoint"/> without blocking, on this loop.</summary>
    public abstract ValueTask<ILoopSocket> ConnectAsync(Socket socket, EndPoint endpoint, CancellationToken cancellationToken);

    protected static async ValueTask<ILoopSocket> AsLoopSocket<TSocket>(ValueTask<TSocket> connect)
        where TSocket : ILoopSocket => await connect.ConfigureAwait(false);

    private static EventLoop[]? CreateLoops()
    {
        if (!PlatformAllows)
        {
            return null;
        }

        return Environment.GetEnvironmentVariable("GATEWAY_IO_URING") != "0" && UringLoop.All is { } rings ? rings : EpollLoop.All;
    }
}

/// <summary>A socket homed on an <see cref="EventLoop"/>: the socket pipes' operations plus what pools need to know.</summary>
internal interface ILoopSocket : ISocketOperations, IDisposable
{
    /// <summary>The loop the socket's completions run on.</summary>
    EventLoop Loop { get; }

    /// <summary>Whether the loop saw the peer close its side or the connection fail: a pooled connection in this state is spent.</summary>
    bool PeerClosed { get; }
}
