using System.Runtime.InteropServices;

namespace Gateway.Net.Transport.Uring;

/// <summary>
/// The io_uring system calls and structures the rings use (Linux's <c>io_uring.h</c>, by number and offset: the C
/// library has no wrappers for them).
/// </summary>
internal static unsafe partial class UringInterop
{
    private const string LibC = "libc";

    // The same numbers on x86-64 and arm64: every architecture shares the numbers of calls added since 5.1.
    private const long SetupCall = 425;
    private const long EnterCall = 426;
    private const long RegisterCall = 427;

    public const uint SetupCompletionSize = 1u << 3; // IORING_SETUP_CQSIZE
    public const uint SetupSubmitAll = 1u << 7; // IORING_SETUP_SUBMIT_ALL: one refused entry does not stop the rest
    public const uint SetupSingleIssuer = 1u << 12; // IORING_SETUP_SINGLE_ISSUER
    public const uint SetupDeferTaskRun = 1u << 13; // IORING_SETUP_DEFER_TASKRUN: completion work runs only when the loop asks

    public const uint FeatureSingleMmap = 1u << 0;
    public const uint FeatureNoDrop = 1u << 1;
    public const uint FeatureFastPoll = 1u << 5;

    public const uint EnterGetEvents = 1u << 0;
    public const uint EnterRegisteredRing = 1u << 4; // the ring argument is an index into the thread's registered rings

    public const byte OpPollAdd = 6;
    public const byte OpSendMessage = 9;
    public const byte OpAsyncCancel = 14;
    public const byte OpRead = 22;
    public const byte OpSend = 26;
    public const byte OpReceive = 27;

    public const byte EntryFixedFile = 1 << 0; // IOSQE_FIXED_FILE: fd is an index into the ring's file table
    public const byte EntryBufferSelect = 1 << 5; // IOSQE_BUFFER_SELECT: the kernel picks a provided buffer

    public const ushort ReceiveMultishot = 1 << 1; // IORING_RECV_MULTISHOT, in the entry's ioprio

    public const uint CompletionHasBuffer = 1u << 0; // IORING_CQE_F_BUFFER
    public const uint CompletionMore = 1u << 1; // IORING_CQE_F_MORE: a multishot request stays armed
    public const int CompletionBufferShift = 16;

    public const uint PollOut = 0x004;
    public const uint PollError = 0x008;
    public const uint PollHangUp = 0x010;

    public const uint RegisterFilesUpdate = 6; // IORING_REGISTER_FILES_UPDATE
    public const uint RegisterFiles2 = 13; // IORING_REGISTER_FILES2
    public const uint RegisterRingDescriptors = 20; // IORING_REGISTER_RING_FDS
    public const uint RegisterBufferRing = 22; // IORING_REGISTER_PBUF_RING
    public const uint RegisterSparse = 1u << 0; // IORING_RSRC_REGISTER_SPARSE

    public const long OffsetSubmissionRing = 0;
    public const long OffsetSubmissionEntries = 0x10000000;

    public const int ErrorNoBuffers = 105; // ENOBUFS: the provided buffers ran out
    public const int ErrorCanceled = 125; // ECANCELED

    private const int ProtectRead = 0x1;
    private const int ProtectWrite = 0x2;
    private const int MapShared = 0x01;
    private const int MapPopulate = 0x8000;

    private const int GetStatusFlags = 3; // F_GETFL
    private const int SetStatusFlags = 4; // F_SETFL
    private const int NonBlocking = 0x800; // O_NONBLOCK (x86-64 and arm64 alike)

    [LibraryImport(LibC, EntryPoint = "syscall", SetLastError = true)]
    private static partial long SystemCall(long number, long a, long b, long c, long d, long e, long f);

    [LibraryImport(LibC, EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Map(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(LibC, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int CreateEventDescriptor(uint initialValue, int flags);

    [LibraryImport(LibC, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buffer, nint count);

    [LibraryImport(LibC, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(LibC, EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Control(int fd, int command, int argument);

    public static int Setup(uint entries, Parameters* parameters) => (int)SystemCall(SetupCall, entries, (long)parameters, 0, 0, 0, 0);

    /// <summary>Submits <paramref name="submit"/> entries and, with <see cref="EnterGetEvents"/>, waits for <paramref name="waitFor"/> completions.</summary>
    public static int Enter(int ring, uint submit, uint waitFor, uint flags) => (int)SystemCall(EnterCall, ring, submit, waitFor, flags, 0, 0);

    public static int Register(int ring, uint operation, void* argument, uint count) => (int)SystemCall(RegisterCall, ring, operation, (long)argument, count, 0, 0);

    /// <summary>Maps a region of the ring shared with the kernel; null when refused.</summary>
    public static void* MapRing(int ring, nuint length, long offset)
    {
        var address = Map(0, length, ProtectRead | ProtectWrite, MapShared | MapPopulate, ring, offset);
        return address == -1 ? null : (void*)address;
    }

    /// <summary>
    /// Turns the descriptor's non-blocking flag off: the ring waits for readiness itself, and on a non-blocking socket
    /// an operation could end with "try again" instead.
    /// </summary>
    public static void MakeBlocking(int fd)
    {
        var flags = Control(fd, GetStatusFlags, 0);
        if (flags >= 0 && (flags & NonBlocking) != 0)
        {
            Control(fd, SetStatusFlags, flags & ~NonBlocking);
        }
    }

    /// <summary><c>struct io_uring_params</c>.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 120)]
    public struct Parameters
    {
        [FieldOffset(0)] public uint SubmissionEntries;
        [FieldOffset(4)] public uint CompletionEntries;
        [FieldOffset(8)] public uint Flags;
        [FieldOffset(20)] public uint Features;

        // struct io_sqring_offsets
        [FieldOffset(40)] public uint SubmissionHead;
        [FieldOffset(44)] public uint SubmissionTail;
        [FieldOffset(48)] public uint SubmissionMask;
        [FieldOffset(64)] public uint SubmissionArray;

        // struct io_cqring_offsets
        [FieldOffset(80)] public uint CompletionHead;
        [FieldOffset(84)] public uint CompletionTail;
        [FieldOffset(88)] public uint CompletionMask;
        [FieldOffset(100)] public uint CompletionEntriesOffset;
    }

    /// <summary><c>struct io_uring_sqe</c>.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    public struct Submission
    {
        [FieldOffset(0)] public byte Opcode;
        [FieldOffset(1)] public byte Flags;
        [FieldOffset(2)] public ushort Priority;
        [FieldOffset(4)] public int Fd;
        [FieldOffset(8)] public ulong Offset;
        [FieldOffset(16)] public ulong Address;
        [FieldOffset(24)] public uint Length;
        [FieldOffset(28)] public uint OperationFlags;
        [FieldOffset(32)] public ulong UserData;
        [FieldOffset(40)] public ushort BufferGroup;
    }

    /// <summary><c>struct io_uring_cqe</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Completion
    {
        public ulong UserData;
        public int Result;
        public uint Flags;
    }

    /// <summary><c>struct io_uring_rsrc_register</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ResourceRegister
    {
        public uint Count;
        public uint Flags;
        public ulong Reserved;
        public ulong Data;
        public ulong Tags;
    }

    /// <summary><c>struct io_uring_rsrc_update</c>: one registered ring descriptor (offset -1: the kernel picks).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RingDescriptorUpdate
    {
        public uint Offset;
        public uint Reserved;
        public ulong Data;
    }

    /// <summary><c>struct io_uring_files_update</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FilesUpdate
    {
        public uint Offset;
        public uint Reserved;
        public ulong Fds;
    }

    /// <summary><c>struct io_uring_buf_reg</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct BufferRingRegister
    {
        public ulong RingAddress;
        public uint Entries;
        public ushort Group;
        public ushort Flags;
        public ulong Reserved0;
        public ulong Reserved1;
        public ulong Reserved2;
    }

    /// <summary><c>struct io_uring_buf</c>: one provided buffer (the first entry's last field is the ring's tail).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ProvidedBuffer
    {
        public ulong Address;
        public uint Length;
        public ushort Id;
        public ushort Reserved;
    }
}
