using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using static Gateway.Net.Transport.Uring.UringInterop;

namespace Gateway.Net.Transport.Uring;

/// <summary>
/// An <see cref="EventLoop"/> on io_uring: one thread, one ring. Its sockets' operations are entries in the ring, and
/// one system call per turn of the loop submits every entry the turn queued and waits for the next completions, where
/// epoll needs a call per receive and per send on top of the wait.
/// </summary>
/// <remarks>
/// <para>
/// Each socket keeps one multishot receive armed: the kernel receives into buffers the loop provides (a buffer ring)
/// as bytes arrive, with no call per receive, and the socket hands them to its reader. Sockets sit in the ring's
/// file table, so an operation never reaches a descriptor number the process has since given to another socket, and
/// the kernel skips the descriptor lookup.
/// </para>
/// <para>
/// Only the loop's thread touches the ring (the ring is set up single-issuer, with completion work deferred to the
/// loop's own wait). Operations started on other threads are queued to the loop and wake it through an eventfd.
/// </para>
/// </remarks>
internal sealed unsafe class UringLoop : EventLoop
{
    private const uint SubmissionEntryCount = 1024;
    private const uint CompletionEntryCount = 8192;
    internal const int BufferSize = 16 * 1024;
    private const int DefaultBufferCount = 512; // a power of two: the buffer ring's size
    internal const ushort BufferGroup = 0;
    private const ulong WakeUserData = ulong.MaxValue;
    private const ulong IgnoredUserData = 0;

    private static readonly Lazy<UringLoop[]?> s_loops = new(CreateLoops);

    private readonly int _index;
    private readonly int _bufferCount;
    // Calls from other threads: posters add under the lock, the loop swaps the lists and runs them outside it (a
    // concurrent queue would allocate a segment slot per item).
    private readonly Lock _postedGate = new();
    private List<(UringSocket Socket, UringSocket.Posted Work)> _posted = [];
    private List<(UringSocket Socket, UringSocket.Posted Work)> _running = [];
    private readonly Queue<UringSocket> _starved = new();
    private int _wakeRequested;
    private int _threadId;

    // Set up on the loop's thread (a single-issuer ring belongs to the thread that created it).
    private int _ring = -1;
    private int _enterRing = -1; // what io_uring_enter is given: the registered index when the thread registered the ring
    private uint _enterFlags;
    private int _wakeFd = -1;
    private uint* _submissionHead;
    private uint* _submissionTail;
    private uint _submissionMask;
    private Submission* _submissions;
    private uint _tail; // entries written, published to the kernel before each enter
    private uint* _completionHead;
    private uint* _completionTail;
    private uint _completionMask;
    private Completion* _completions;
    private ProvidedBuffer* _bufferRing;
    private byte* _buffers;
    private ushort _bufferTail;
    private bool _buffersReturned;
    private ulong* _wakeValue;

    // The file table: slot i holds socket i's file; generations tell a stale completion from the slot's next socket.
    private int _fileSlots;
    private UringSocket?[] _sockets = new UringSocket?[256];
    private uint[] _generations = new uint[256];
    private readonly Stack<int> _freeSlots = new();
    private int _slotCount;

    private UringLoop(int index, int bufferCount)
    {
        _index = index;
        _bufferCount = bufferCount;
    }

    /// <summary>The process's rings, created on first use; null where the kernel refuses what they need.</summary>
    public static UringLoop[]? All => s_loops.Value;

    public override int Index => _index;

    public override bool IsCurrentThread => Environment.CurrentManagedThreadId == Volatile.Read(ref _threadId);

    public override ILoopSocket Attach(Socket socket) => new UringSocket(socket, this, armReceive: true);

    public override ValueTask<ILoopSocket> ConnectAsync(Socket socket, EndPoint endpoint, CancellationToken cancellationToken) =>
        UringSocket.ConnectAsync(socket, endpoint, this, cancellationToken);

    private static UringLoop[]? CreateLoops()
    {
        if (!PlatformAllows)
        {
            return null;
        }

        var loops = new UringLoop[Math.Max(1, Environment.ProcessorCount)];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = new UringLoop(i, DefaultBufferCount);
            if (!loops[i].Start())
            {
                // A kernel without io_uring, or one refusing a feature, leaves the data plane on epoll. Rings
                // created before a refusal keep their idle threads; nothing is ever queued to them.
                return null;
            }
        }

        return loops;
    }

    /// <summary>
    /// A ring of its own, outside the process's loops, with <paramref name="bufferCount"/> provided buffers (a power of
    /// two): for tests that must run one out of buffers without starving every other connection. Null if refused.
    /// </summary>
    internal static UringLoop? CreateStandalone(int bufferCount)
    {
        var loop = new UringLoop(0, bufferCount);
        return loop.Start() ? loop : null;
    }

    /// <summary>Starts the loop's thread and waits until it has set its ring up (true) or failed to (false).</summary>
    private bool Start()
    {
        using var ready = new ManualResetEventSlim();
        var ok = false;
        var thread = new Thread(() =>
        {
            ok = SetUp();
            ready.Set();
            if (ok)
            {
                Run();
            }
        })
        {
            IsBackground = true,
            Name = $"Gateway io_uring {_index}",
        };
        thread.UnsafeStart();
        ready.Wait();
        return ok;
    }

    private bool SetUp()
    {
        Volatile.Write(ref _threadId, Environment.CurrentManagedThreadId);
        var parameters = default(Parameters);
        parameters.Flags = SetupCompletionSize | SetupSubmitAll | SetupSingleIssuer | SetupDeferTaskRun;
        parameters.CompletionEntries = CompletionEntryCount;
        _ring = Setup(SubmissionEntryCount, &parameters);
        const uint needed = FeatureSingleMmap | FeatureNoDrop | FeatureFastPoll;
        if (_ring < 0 || (parameters.Features & needed) != needed)
        {
            return false;
        }

        var submissionSize = parameters.SubmissionArray + (parameters.SubmissionEntries * sizeof(uint));
        var completionSize = parameters.CompletionEntriesOffset + (parameters.CompletionEntries * (uint)sizeof(Completion));
        var rings = (byte*)MapRing(_ring, Math.Max(submissionSize, completionSize), OffsetSubmissionRing);
        _submissions = (Submission*)MapRing(_ring, parameters.SubmissionEntries * (nuint)sizeof(Submission), OffsetSubmissionEntries);
        if (rings is null || _submissions is null)
        {
            return false;
        }

        _submissionHead = (uint*)(rings + parameters.SubmissionHead);
        _submissionTail = (uint*)(rings + parameters.SubmissionTail);
        _submissionMask = *(uint*)(rings + parameters.SubmissionMask);
        _tail = *_submissionTail;
        var array = (uint*)(rings + parameters.SubmissionArray);
        for (uint i = 0; i < parameters.SubmissionEntries; i++)
        {
            array[i] = i; // entry i always sits at ring index i
        }

        _completionHead = (uint*)(rings + parameters.CompletionHead);
        _completionTail = (uint*)(rings + parameters.CompletionTail);
        _completionMask = *(uint*)(rings + parameters.CompletionMask);
        _completions = (Completion*)(rings + parameters.CompletionEntriesOffset);

        RegisterRingDescriptor();
        return RegisterFileTable() && RegisterBuffers() && ArmWake();
    }

    /// <summary>Registers the ring's descriptor with this thread (5.18+), so each enter skips the descriptor lookup.</summary>
    private void RegisterRingDescriptor()
    {
        _enterRing = _ring;
        var update = new RingDescriptorUpdate { Offset = uint.MaxValue, Data = (ulong)_ring };
        if (Register(_ring, RegisterRingDescriptors, &update, 1) == 1)
        {
            _enterRing = (int)update.Offset;
            _enterFlags = EnterRegisteredRing;
        }
    }

    /// <summary>An empty file table, as large as the kernel allows up to 64 Ki slots.</summary>
    private bool RegisterFileTable()
    {
        for (var slots = 65536; slots >= 256; slots /= 2)
        {
            var register = new ResourceRegister { Count = (uint)slots, Flags = RegisterSparse };
            if (Register(_ring, RegisterFiles2, &register, (uint)sizeof(ResourceRegister)) >= 0)
            {
                _fileSlots = slots;
                return true;
            }
        }

        return false;
    }

    private bool RegisterBuffers()
    {
        _bufferRing = (ProvidedBuffer*)NativeMemory.AlignedAlloc((nuint)(_bufferCount * sizeof(ProvidedBuffer)), 4096);
        _buffers = (byte*)NativeMemory.AlignedAlloc((nuint)_bufferCount * BufferSize, 4096);
        NativeMemory.Clear(_bufferRing, (nuint)(_bufferCount * sizeof(ProvidedBuffer)));
        var register = new BufferRingRegister { RingAddress = (ulong)_bufferRing, Entries = (uint)_bufferCount, Group = BufferGroup };
        if (Register(_ring, RegisterBufferRing, &register, 1) < 0)
        {
            return false;
        }

        for (var id = 0; id < _bufferCount; id++)
        {
            ReturnBuffer((ushort)id);
        }

        return true;
    }

    private bool ArmWake()
    {
        _wakeFd = CreateEventDescriptor(0, 0x80000); // EFD_CLOEXEC; blocking, so the ring waits on it
        if (_wakeFd < 0)
        {
            return false;
        }

        _wakeValue = (ulong*)NativeMemory.Alloc(sizeof(ulong));
        QueueWakeRead();
        return true;
    }

    private void QueueWakeRead()
    {
        var entry = NextSubmission();
        entry->Opcode = OpRead;
        entry->Fd = _wakeFd;
        entry->Address = (ulong)_wakeValue;
        entry->Length = sizeof(ulong);
        entry->UserData = WakeUserData;
    }

    /// <summary>The provided buffer with id <paramref name="id"/>'s bytes.</summary>
    internal byte* BufferAt(ushort id) => _buffers + ((nint)id * BufferSize);

    /// <summary>Gives a provided buffer back to the kernel (loop thread only).</summary>
    internal void ReturnBuffer(ushort id)
    {
        var entry = &_bufferRing[_bufferTail & (_bufferCount - 1)];
        entry->Address = (ulong)BufferAt(id);
        entry->Length = BufferSize;
        entry->Id = id;
        _bufferTail++;
        _buffersReturned = true;

        // The ring's tail is the last field of its first entry; written after the entry, with release order.
        Volatile.Write(ref ((ushort*)_bufferRing)[7], _bufferTail);
    }

    /// <summary>A socket whose receive stopped because the buffers ran out: re-armed once buffers come back.</summary>
    internal void Starved(UringSocket socket) => _starved.Enqueue(socket);

    /// <summary>The next free submission entry, zeroed (loop thread only); submits what is queued when the ring is full.</summary>
    internal Submission* NextSubmission()
    {
        if (_tail - Volatile.Read(ref *_submissionHead) > _submissionMask)
        {
            Submit(waitFor: 0);
        }

        var entry = &_submissions[_tail & _submissionMask];
        *entry = default;
        _tail++;
        return entry;
    }

    /// <summary>Gives the socket a slot in the file table (loop thread only); -1 when the table is full.</summary>
    internal int AddFile(UringSocket socket, int fd, out uint generation)
    {
        if (!_freeSlots.TryPop(out var slot))
        {
            if (_slotCount == _fileSlots)
            {
                generation = 0;
                return -1;
            }

            slot = _slotCount++;
            if (slot == _sockets.Length)
            {
                Array.Resize(ref _sockets, slot * 2);
                Array.Resize(ref _generations, slot * 2);
            }
        }

        var update = new FilesUpdate { Offset = (uint)slot, Fds = (ulong)&fd };
        if (Register(_ring, RegisterFilesUpdate, &update, 1) < 0)
        {
            _freeSlots.Push(slot);
            generation = 0;
            return -1;
        }

        generation = ++_generations[slot];
        _sockets[slot] = socket;
        return slot;
    }

    /// <summary>Empties the socket's slot (loop thread only, once nothing of it is in flight): the ring drops its file.</summary>
    internal void RemoveFile(int slot)
    {
        var none = -1;
        var update = new FilesUpdate { Offset = (uint)slot, Fds = (ulong)&none };
        Register(_ring, RegisterFilesUpdate, &update, 1);
        _sockets[slot] = null;
        _freeSlots.Push(slot);
    }

    /// <summary>Queues a cancellation of the operation with <paramref name="userData"/> (loop thread only).</summary>
    internal void Cancel(ulong userData)
    {
        var entry = NextSubmission();
        entry->Opcode = OpAsyncCancel;
        entry->Fd = -1;
        entry->Address = userData;
        entry->UserData = IgnoredUserData;
    }

    /// <summary>Runs <paramref name="work"/> for <paramref name="socket"/> on the loop's thread: queued, and the loop woken.</summary>
    internal void Post(UringSocket socket, UringSocket.Posted work)
    {
        lock (_postedGate)
        {
            _posted.Add((socket, work));
        }

        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0)
        {
            ulong one = 1;
            Write(_wakeFd, &one, sizeof(ulong));
        }
    }

    private int Submit(uint waitFor)
    {
        Volatile.Write(ref *_submissionTail, _tail);
        var pending = _tail - Volatile.Read(ref *_submissionHead);
        return Enter(_enterRing, pending, waitFor, _enterFlags | (waitFor > 0 ? EnterGetEvents : 0));
    }

    private void Run()
    {
        while (true)
        {
            RunPosted();
            if (_buffersReturned && _starved.Count > 0)
            {
                _buffersReturned = false;
                while (_starved.TryDequeue(out var socket))
                {
                    socket.RearmReceive();
                }
            }

            if (Submit(waitFor: 1) < 0)
            {
                // EINTR (a signal), EBUSY or EAGAIN (completions to take first): take what is there and go round.
                _ = Marshal.GetLastPInvokeError();
            }

            TakeCompletions();
        }
    }

    private void RunPosted()
    {
        while (true)
        {
            var running = _running;
            lock (_postedGate)
            {
                if (_posted.Count == 0)
                {
                    return;
                }

                _running = _posted;
                _posted = running;
            }

            // Work run here may post more (a continuation on another thread): the next round takes it.
            var batch = _running;
            for (var i = 0; i < batch.Count; i++)
            {
                RunSafely(batch[i].Socket, batch[i].Work, default);
            }

            batch.Clear();
        }
    }

    private void TakeCompletions()
    {
        var head = *_completionHead;
        while (head != Volatile.Read(ref *_completionTail))
        {
            var completion = _completions[head & _completionMask];
            head++;
            Volatile.Write(ref *_completionHead, head); // the slot is free again before any continuation runs
            if (completion.UserData == WakeUserData)
            {
                Volatile.Write(ref _wakeRequested, 0);
                QueueWakeRead();
                RunPosted();
            }
            else if (completion.UserData != IgnoredUserData)
            {
                var slot = (int)(completion.UserData & 0xFFFFFF);
                if ((uint)slot < (uint)_sockets.Length && _sockets[slot] is { } socket &&
                    _generations[slot] == (uint)(completion.UserData >> 32))
                {
                    RunSafely(socket, default, completion);
                }
                else if ((completion.Flags & CompletionHasBuffer) != 0)
                {
                    ReturnBuffer((ushort)(completion.Flags >> CompletionBufferShift));
                }
            }
        }
    }

    private static void RunSafely(UringSocket socket, UringSocket.Posted work, Completion completion)
    {
        try
        {
            if (work != UringSocket.Posted.None)
            {
                socket.RunPosted(work);
            }
            else
            {
                socket.OnCompletion(completion);
            }
        }
        catch (Exception)
        {
            // Continuations catch their own failures; should one escape, only its connection ends (its waiting
            // operations fail), never the loop and the other connections on it.
            socket.Dispose();
        }
    }
}
