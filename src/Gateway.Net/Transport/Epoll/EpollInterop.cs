using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Gateway.Net.Transport.Epoll;

/// <summary>The few Linux calls the epoll loops make: epoll, non-blocking receive and send.</summary>
internal static unsafe partial class EpollInterop
{
    private const string LibC = "libc";

    public const int CloseOnExec = 0x80000; // EPOLL_CLOEXEC
    public const int ControlAdd = 1;
    public const int ControlDelete = 2;

    public const uint EventIn = 0x001;
    public const uint EventOut = 0x004;
    public const uint EventError = 0x008;
    public const uint EventHangUp = 0x010;
    public const uint EventReadHangUp = 0x2000;
    public const uint EdgeTriggered = 1u << 31;

    public const int ErrorInterrupted = 4; // EINTR
    public const int ErrorWouldBlock = 11; // EAGAIN

    /// <summary>The size of one <c>struct epoll_event</c>: packed on x86-64, naturally aligned elsewhere.</summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Where the 64-bit user data sits in a <c>struct epoll_event</c>.</summary>
    public static readonly int EventDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport(LibC, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int Create(int flags);

    [LibraryImport(LibC, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int Control(int epoll, int operation, int fd, byte* evt);

    [LibraryImport(LibC, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int Wait(int epoll, byte* events, int maxEvents, int timeoutMilliseconds);

    [LibraryImport(LibC, EntryPoint = "recv", SetLastError = true)]
    public static partial nint Receive(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(LibC, EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(LibC, EntryPoint = "sendmsg", SetLastError = true)]
    public static partial nint SendMessage(int fd, LinuxSockets.MessageHeader* message, int flags);

    /// <summary>Adds <paramref name="fd"/> to <paramref name="epoll"/> for edge-triggered read, write and hang-up events.</summary>
    public static int Add(int epoll, int fd, ulong data)
    {
        var evt = stackalloc byte[16];
        *(uint*)evt = EventIn | EventOut | EventReadHangUp | EdgeTriggered;
        *(ulong*)(evt + EventDataOffset) = data;
        return Control(epoll, ControlAdd, fd, evt);
    }

    public static int Delete(int epoll, int fd)
    {
        var evt = stackalloc byte[16]; // ignored, but kernels before 2.6.9 wanted one
        return Control(epoll, ControlDelete, fd, evt);
    }
}
