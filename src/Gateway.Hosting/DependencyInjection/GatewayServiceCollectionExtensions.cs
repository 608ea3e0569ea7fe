using Gateway.Apig;
using Gateway.Apig.Apis;
using Gateway.Apig.AppAuthorizations;
using Gateway.Apig.AppQuotas;
using Gateway.Apig.Apps;
using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.Groups;
using Gateway.Apig.Instances;
using Gateway.Apig.Variables;
using Gateway.Hosting.Apig;
using Gateway.Store;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Gateway library.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the resource managers, the management authentication and (unless another <see cref="IResourceStore"/> is
    /// registered) an in-memory store.
    /// </summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, Action<ApigOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ApigOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IResourceStore, InMemoryResourceStore>();
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<ApigOptions>>().Value);
        services.TryAddSingleton(provider => new ResourceWriter(
            provider.GetRequiredService<IResourceStore>(),
            new ApigRelations(provider.GetServices<ApigOwnedCollection>())));
        services.TryAddSingleton<InstanceManager>();
        services.TryAddSingleton<ApiGroupManager>();
        services.TryAddSingleton<EnvironmentManager>();
        services.TryAddSingleton<VariableManager>();
        services.TryAddSingleton<ApiManager>();

        // Credentials (APPs, AppCodes, APP access control), APP authorization and credential quotas. Families whose
        // entries carry a top-level app_id and must go with their APP register an AppOwnedCollection.
        services.TryAddSingleton<AppManager>();
        services.TryAddSingleton<AppCodeManager>();
        services.TryAddSingleton<AppAclManager>();
        services.TryAddSingleton<AppAuthorizationManager>();
        services.TryAddSingleton<AppQuotaManager>();
        // Instances, not TryAddEnumerable: that refuses descriptors whose implementation type is the service type.
        services.AddSingleton(new ApigOwnedCollection(ApigOwner.Api, AppAuthorizationKeys.Authorizations));
        services.AddSingleton(new ApigOwnedCollection(ApigOwner.Environment, AppAuthorizationKeys.Authorizations));

        services.TryAddSingleton<ApigErrorFilter>();
        services.AddManagementAuthenticationServices();
        return services;
    }

    /// <summary>
    /// At start-up, creates a gateway instance in <paramref name="projectId"/> when that project has none, with its DEFAULT
    /// group and RELEASE environment.
    /// </summary>
    public static IServiceCollection AddApigDefaultInstance(this IServiceCollection services, string projectId)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectId);
        services.AddHostedService(provider => ActivatorUtilities.CreateInstance<DefaultInstanceBootstrap>(provider, projectId));
        return services;
    }
}
