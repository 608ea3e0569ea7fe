using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Gateway.Net.Transport;

/// <summary>What both kinds of event loop share of Linux's socket interface: errno mapping and gathered-send structures.</summary>
internal static unsafe class LinuxSockets
{
    public const int NoSignal = 0x4000; // MSG_NOSIGNAL: a write to a closed peer fails instead of raising SIGPIPE

    /// <summary>The socket error for a Linux errno, as the runtime's own sockets report it.</summary>
    public static SocketException ToSocketException(int errno) => new((int)(errno switch
    {
        9 => SocketError.OperationAborted, // EBADF: closed under us
        32 => SocketError.Shutdown, // EPIPE
        101 => SocketError.NetworkUnreachable,
        103 => SocketError.ConnectionAborted,
        104 => SocketError.ConnectionReset,
        107 => SocketError.NotConnected,
        110 => SocketError.TimedOut,
        111 => SocketError.ConnectionRefused,
        113 => SocketError.HostUnreachable,
        _ => SocketError.SocketError,
    }));

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary><c>struct msghdr</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }
}
