using Gateway.Apig;
using Gateway.Apig.Apis;
using Gateway.Apig.Authorizers;
using Gateway.Apig.Common;
using Gateway.Apig.Domains;
using Gateway.Apig.Environments;
using Gateway.Apig.GatewayResponses;
using Gateway.Apig.Groups;
using Gateway.Apig.Instances;
using Gateway.Apig.Overview;
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

        // Custom authorizers, custom domains, group gateway responses and outline counts.
        services.TryAddSingleton<AuthorizerManager>();
        services.TryAddSingleton<DomainManager>();
        services.TryAddSingleton<GatewayResponseManager>();
        services.TryAddSingleton<OverviewManager>();

        // Plain AddSingleton: TryAddEnumerable refuses instances whose type is the service type itself.
        services.AddSingleton(new ApigOwnedCollection(ApigOwner.Group, DomainKeys.Domains));
        services.AddSingleton(new ApigOwnedCollection(ApigOwner.Group, GatewayResponseKeys.Responses));

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
