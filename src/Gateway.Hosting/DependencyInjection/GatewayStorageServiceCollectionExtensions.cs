using Gateway.Storage.Embedded;
using Gateway.Store;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a durable resource store in place of the default in-memory one.</summary>
public static class GatewayStorageServiceCollectionExtensions
{
    /// <summary>
    /// Uses the embedded durable store (write-ahead log and snapshots) in <paramref name="dataFolder"/>. The folder is
    /// opened, recovered and locked when the store is first needed, and snapshotted and released when the app stops.
    /// Call before <c>AddGateway()</c> or after it: this registration replaces the in-memory default.
    /// </summary>
    public static IServiceCollection AddEmbeddedStore(this IServiceCollection services, string dataFolder, Action<EmbeddedStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(dataFolder);
        var options = new EmbeddedStoreOptions { DataFolder = Path.GetFullPath(dataFolder) };
        configure?.Invoke(options);
        services.RemoveAll<IResourceStore>();
        services.AddSingleton<IResourceStore>(provider =>
        {
            var logger = provider.GetService<ILoggerFactory>()?.CreateLogger("Gateway.Storage");

            // Resolved once at start-up; recovery must finish before anything reads or writes resources.
            return EmbeddedResourceStore.OpenAsync(options, logger).GetAwaiter().GetResult();
        });
        return services;
    }
}
