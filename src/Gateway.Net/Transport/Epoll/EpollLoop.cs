using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gateway.Net.Transport.Epoll;

/// <summary>
/// One thread waiting on one epoll set and running, inline, whatever its sockets' events complete. A client connection
/// and the backend connections it uses are registered on the same loop, so a forwarded request runs on one thread from
/// the client's bytes to the backend's answer, the way each nginx worker keeps its own connections.
/// </summary>
/// <remarks>
/// Loops are process-wide, one per processor, created on first use; their threads are background threads that live
/// as long as the process. Linux only (x86-64 and arm64); elsewhere, or with <c>GATEWAY_EPOLL=0</c>, the transports use
/// the runtime's sockets.
/// </remarks>
internal sealed unsafe class EpollLoop
{
    private const int MaxEvents = 256;
    private static readonly Lock CreationGate = new();
    private static EpollLoop[]? s_loops;
    private static volatile bool s_created;
    private static int s_next;

    private readonly int _epoll;
    private readonly Lock _slotGate = new();
    private EpollSocket?[] _slots = new EpollSocket?[256];
    private uint[] _generations = new uint[256];
    private readonly Stack<int> _freeSlots = new();
    private int _slotCount;
    private int _threadId;

    private EpollLoop(int index)
    {
        Index = index;
        _epoll = EpollInterop.Create(EpollInterop.CloseOnExec);
        if (_epoll < 0)
        {
            throw EpollInterop.ToSocketException(Marshal.GetLastPInvokeError());
        }

        var thread = new Thread(Run) { IsBackground = true, Name = $"Gateway epoll {index}" };
        thread.UnsafeStart();
    }

    /// <summary>
    /// Whether the loops can be used here: Linux on x86-64 or arm64, not switched off, and the loops could be created
    /// (a sandbox that refuses epoll leaves the data plane on the runtime's sockets rather than failing connections).
    /// </summary>
    public static bool IsSupported => PlatformAllows && Loops is not null;

    private static bool PlatformAllows { get; } =
        OperatingSystem.IsLinux() &&
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64 &&
        Environment.GetEnvironmentVariable("GATEWAY_EPOLL") != "0";

    /// <summary>The loop's place among the process's loops (0-based); upstream pools are kept per loop.</summary>
    public int Index { get; }

    /// <summary>Whether the caller runs on this loop's thread (so the loop sees new events only after the caller returns).</summary>
    public bool IsCurrentThread => Environment.CurrentManagedThreadId == Volatile.Read(ref _threadId);

    /// <summary>How many loops the process runs (one per processor).</summary>
    public static int Count => Loops?.Length ?? 0;

    private static EpollLoop[]? Loops => s_created ? s_loops : CreateLoops();

    /// <summary>The loop for a new connection: round-robin over the loops. Only when <see cref="IsSupported"/>.</summary>
    public static EpollLoop Next()
    {
        var loops = Loops ?? throw new PlatformNotSupportedException("The data plane's event loops are not available here.");
        return loops[(int)((uint)Interlocked.Increment(ref s_next) % (uint)loops.Length)];
    }

    private static EpollLoop[]? CreateLoops()
    {
        lock (CreationGate)
        {
            if (!s_created)
            {
                try
                {
                    if (PlatformAllows)
                    {
                        var loops = new EpollLoop[Math.Max(1, Environment.ProcessorCount)];
                        for (var i = 0; i < loops.Length; i++)
                        {
                            loops[i] = new EpollLoop(i);
                        }

                        s_loops = loops;
                    }
                }
                catch (SocketException)
                {
                    // epoll refused: stay on the runtime's sockets
                }

                s_created = true;
            }

            return s_loops;
        }
    }

    /// <summary>Gives the socket a slot and adds its descriptor to the epoll set; its events arrive from then on.</summary>
    internal void Register(EpollSocket socket, int fd)
    {
        ulong token;
        lock (_slotGate)
        {
            if (!_freeSlots.TryPop(out var index))
            {
                index = _slotCount++;
                if (index == _slots.Length)
                {
                    // Readers take the array once per event; a grown copy is complete before it is published.
                    var slots = new EpollSocket?[index * 2];
                    _slots.CopyTo(slots, 0);
                    var generations = new uint[index * 2];
                    _generations.CopyTo(generations, 0);
                    _generations = generations;
                    Volatile.Write(ref _slots, slots);
                }
            }

            // The generation tells a stale event of a slot's previous socket from one for its new socket.
            token = ((ulong)++_generations[index] << 32) | (uint)index;
            socket.Token = token;
            _slots[index] = socket;
        }

        if (EpollInterop.Add(_epoll, fd, token) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Release(token);
            throw EpollInterop.ToSocketException(errno);
        }
    }

    /// <summary>Takes the socket's descriptor out of the epoll set (it is still open) and frees its slot.</summary>
    internal void Unregister(ulong token, int fd)
    {
        EpollInterop.Delete(_epoll, fd); // fails only if the descriptor is gone already, which removed it anyway
        Release(token);
    }

    internal void Release(ulong token)
    {
        lock (_slotGate)
        {
            var index = (int)(uint)token;
            if (_slots[index] is { } socket && socket.Token == token)
            {
                _slots[index] = null;
                _freeSlots.Push(index);
            }
        }
    }

    private void Run()
    {
        Volatile.Write(ref _threadId, Environment.CurrentManagedThreadId);
        var size = EpollInterop.EventSize;
        var dataOffset = EpollInterop.EventDataOffset;
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * size));
        while (true)
        {
            var count = EpollInterop.Wait(_epoll, events, MaxEvents, -1);
            if (count < 0)
            {
                continue; // EINTR: a signal arrived; nothing else fails on a valid set
            }

            for (var i = 0; i < count; i++)
            {
                var slots = Volatile.Read(ref _slots); // per event: a completion run inline may grow the table
                var evt = events + (i * size);
                var flags = *(uint*)evt;
                var token = Unsafe.ReadUnaligned<ulong>(evt + dataOffset);
                var index = (int)(uint)token;
                if ((uint)index < (uint)slots.Length && slots[index] is { } socket && socket.Token == token)
                {
                    try
                    {
                        socket.OnEvents(flags);
                    }
                    catch (Exception)
                    {
                        // Continuations catch their own failures; should one escape, only its connection ends (its
                        // waiting operations fail), never the loop and the other connections on it.
                        socket.Dispose();
                    }
                }
            }
        }
    }
}
