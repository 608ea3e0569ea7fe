using Gateway.Store;

namespace Gateway.Storage.Conformance.Tests;

public sealed class InMemoryResourceStoreConformanceTests : ResourceStoreConformanceTests
{
    protected override Task<IResourceStore> CreateStoreAsync() => Task.FromResult<IResourceStore>(new InMemoryResourceStore());
}
