using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gateway.Net.Transport.Epoll;

/// <summary>
/// An <see cref="EventLoop"/> on epoll: one thread waiting on one epoll set (edge-triggered) and running, inline,
/// whatever its sockets' events complete. The data plane's loops where io_uring is not available or switched off.
/// </summary>
/// <remarks>
/// Loops are process-wide, one per processor, created on first use; their threads are background threads that live
/// as long as the process.
/// </remarks>
internal sealed unsafe class EpollLoop : EventLoop
{
    private const int MaxEvents = 256;
    private static readonly Lazy<EpollLoop[]?> s_loops = new(CreateLoops);

    private readonly int _epoll;
    private readonly Lock _slotGate = new();
    private EpollSocket?[] _slots = new EpollSocket?[256];
    private uint[] _generations = new uint[256];
    private readonly Stack<int> _freeSlots = new();
    private int _slotCount;
    private int _threadId;
    private readonly int _index;

    private EpollLoop(int index)
    {
        _index = index;
        _epoll = EpollInterop.Create(EpollInterop.CloseOnExec);
        if (_epoll < 0)
        {
            throw LinuxSockets.ToSocketException(Marshal.GetLastPInvokeError());
        }

        var thread = new Thread(Run) { IsBackground = true, Name = $"Gateway epoll {index}" };
        thread.UnsafeStart();
    }

    /// <summary>The process's epoll loops, created on first use; null where epoll is refused or the platform has none.</summary>
    public static EpollLoop[]? All => s_loops.Value;

    public override int Index => _index;

    public override bool IsCurrentThread => Environment.CurrentManagedThreadId == Volatile.Read(ref _threadId);

    public override ILoopSocket Attach(Socket socket) => new EpollSocket(socket, this);

    public override ValueTask<ILoopSocket> ConnectAsync(Socket socket, EndPoint endpoint, CancellationToken cancellationToken) =>
        AsLoopSocket(EpollSocket.ConnectAsync(socket, endpoint, this, cancellationToken));

    private static EpollLoop[]? CreateLoops()
    {
        if (!PlatformAllows)
        {
            return null;
        }

        try
        {
            var loops = new EpollLoop[Math.Max(1, Environment.ProcessorCount)];
            for (var i = 0; i < loops.Length; i++)
            {
                loops[i] = new EpollLoop(i);
            }

            return loops;
        }
        catch (SocketException)
        {
            return null; // epoll refused: stay on the runtime's sockets
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
            throw LinuxSockets.ToSocketException(errno);
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
