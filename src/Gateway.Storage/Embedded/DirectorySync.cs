using System.Runtime.InteropServices;

namespace Gateway.Storage.Embedded;

/// <summary>
/// Flushes a directory so that file creations, renames and deletions in it survive a crash. .NET has no API for this
/// (a directory cannot be opened as a file stream), so on Linux and macOS it calls <c>open</c>/<c>fsync</c> from libc.
/// On Windows, NTFS journals metadata and there is nothing to do.
/// </summary>
internal static partial class DirectorySync
{
    private const string LibC = "libc";

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return;
        }

        // O_RDONLY is enough to fsync a directory, and unlike O_DIRECTORY it has the same value on every architecture.
        var fd = Open(directory, 0);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Cannot flush directory '{directory}' (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport(LibC, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport(LibC, EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport(LibC, EntryPoint = "close")]
    private static partial int Close(int fd);
}
