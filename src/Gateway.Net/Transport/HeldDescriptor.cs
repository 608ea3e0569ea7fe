using System.Net.Sockets;

namespace Gateway.Net.Transport;

/// <summary>
/// A socket's descriptor held open while it is used or handed to the kernel: a socket closed meanwhile fails with
/// <see cref="ObjectDisposedException"/> instead of reaching a descriptor number the kernel has given to another.
/// </summary>
internal ref struct HeldDescriptor
{
    private readonly SafeSocketHandle _handle;
    private bool _added;

    public HeldDescriptor(SafeSocketHandle handle)
    {
        _handle = handle;
        handle.DangerousAddRef(ref _added);
        Fd = (int)handle.DangerousGetHandle();
    }

    public int Fd { get; }

    public readonly void Dispose()
    {
        if (_added)
        {
            _handle.DangerousRelease();
        }
    }
}
