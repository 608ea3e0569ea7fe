using System.Diagnostics;
using Gateway.Storage.Embedded;
using Gateway.Storage.TestSupport;

namespace Gateway.Storage.Embedded.Tests;

public sealed class DataFolderLockTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task SecondOpen_OfTheSameFolder_FailsClearly_UntilTheFirstIsDisposed()
    {
        var first = await StoreFactory.OpenAsync(_folder.Path);

        var error = await Assert.ThrowsAsync<StoreLockedException>(() => StoreFactory.OpenAsync(_folder.Path));
        Assert.Equal(Path.GetFullPath(_folder.Path), error.DataFolder);
        Assert.Contains("already in use", error.Message);
        Assert.Contains(DataFolderLayout.LockFileName, error.Message);

        await first.DisposeAsync();
        await using var second = await StoreFactory.OpenAsync(_folder.Path);
        Assert.Equal(0, second.Revision);
    }

    [Fact]
    public async Task Lock_IsVisibleToOtherProcesses_AndNamesItsOwner()
    {
        var lockFile = Path.Combine(_folder.Path, DataFolderLayout.LockFileName);
        await using (await StoreFactory.OpenAsync(_folder.Path))
        {
            // util-linux flock(1) asks the kernel for the same advisory lock; -n fails at once when another process holds it.
            if (OperatingSystem.IsLinux() && File.Exists("/usr/bin/flock"))
            {
                Assert.Equal(42, await RunFlockAsync(lockFile));
            }
        }

        Assert.Equal($"{Environment.ProcessId}\n", await File.ReadAllTextAsync(lockFile));
        if (OperatingSystem.IsLinux() && File.Exists("/usr/bin/flock"))
        {
            Assert.Equal(0, await RunFlockAsync(lockFile));
        }
    }

    private static async Task<int> RunFlockAsync(string lockFile)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/flock", ["-n", "-E", "42", lockFile, "true"]))!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
