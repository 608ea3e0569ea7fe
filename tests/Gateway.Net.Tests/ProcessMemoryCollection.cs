namespace Gateway.Net.Tests;

/// <summary>
/// Tests that measure the process's managed heap (<see cref="GC.GetTotalMemory(bool)"/>): run alone, so other tests'
/// buffers (megabytes for the transport tests) never count as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "Process memory";
}
