using System.Text;

namespace Gateway.Storage.Embedded;

/// <summary>
/// Exclusive ownership of a data folder: the lock file is held open with <see cref="FileShare.None"/>, which .NET
/// enforces with an advisory <c>flock</c> on Unix and a share-mode lock on Windows. The operating system releases it when
/// the process dies, so a crash never leaves a stale lock behind.
/// </summary>
internal sealed class DataFolderLock : IDisposable
{
    private readonly FileStream _stream;

    private DataFolderLock(FileStream stream) => _stream = stream;

    public static DataFolderLock Acquire(DataFolderLayout layout)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(layout.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new StoreLockedException(layout.Root, layout.LockPath, ex);
        }

        try
        {
            // The owner's process id helps whoever finds the folder locked; it is informational only.
            var owner = Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
            stream.SetLength(0);
            stream.Write(owner);
            stream.Flush();
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return new DataFolderLock(stream);
    }

    public void Dispose() => _stream.Dispose();
}
