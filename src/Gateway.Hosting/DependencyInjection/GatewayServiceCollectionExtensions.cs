using Gateway.Apig;
using Gateway.Apig.Acls;
using Gateway.Apig.Apis;
using Gateway.Apig.Authorizers;
using Gateway.Apig.AppAuthorizations;
using Gateway.Apig.AppQuotas;
using Gateway.Apig.Apps;
using Gateway.Apig.Common;
using Gateway.Apig.Domains;
using Gateway.Apig.Environments;
using Gateway.Apig.GatewayResponses;
using Gateway.Apig.Groups;
using Gateway.Apig.Instances;
using Gateway.Apig.Throttles;
using Gateway.Apig.Signatures;
using Gateway.Apig.Overview;
using Gateway.Apig.Variables;
using Gateway.Apig.VpcChannels;
using Gateway.Hosting.Apig;
using Gateway.Hosting.Authentication;
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
        services.TryAddSingleton<ApiDebugger>();

        // 3.4 throttling policies, 3.8 throttle bindings, 3.9 special throttles, 3.13 ACL policies, 3.14 ACL bindings.
        // Bindings belong to their API and to their environment, so both deletes take them along.
        services.TryAddSingleton<ThrottleManager>();
        services.TryAddSingleton<ThrottleBindingManager>();
        services.TryAddSingleton<SpecialThrottleManager>();
        services.TryAddSingleton<AclManager>();
        services.TryAddSingleton<AclBindingManager>();
        ApigOwnedCollection[] policyBindings =
        [
            new(ApigOwner.Api, ThrottleKeys.Bindings),
            new(ApigOwner.Environment, ThrottleKeys.Bindings),
            new(ApigOwner.Api, AclKeys.Bindings),
            new(ApigOwner.Environment, AclKeys.Bindings),
        ];
        foreach (var owned in policyBindings)
        {
            AddOwnedCollection(services, owned);
        }

        // Signature keys and their bindings (3.6, 3.7), VPC channels (3.17).
        services.TryAddSingleton<SignatureKeyManager>();
        services.TryAddSingleton<SignBindingManager>();
        services.TryAddSingleton<VpcChannelManager>();
        AddOwnedCollection(services, new ApigOwnedCollection(ApigOwner.Api, SignatureStoreKeys.Bindings));
        AddOwnedCollection(services, new ApigOwnedCollection(ApigOwner.Environment, SignatureStoreKeys.Bindings));

        // Custom authorizers, custom domains, group gateway responses and outline counts.
        services.TryAddSingleton<AuthorizerManager>();
        services.TryAddSingleton<DomainManager>();
        services.TryAddSingleton<GatewayResponseManager>();
        services.TryAddSingleton<OverviewManager>();

        AddOwnedCollection(services, new ApigOwnedCollection(ApigOwner.Group, DomainKeys.Domains));
        AddOwnedCollection(services, new ApigOwnedCollection(ApigOwner.Group, GatewayResponseKeys.Responses));

        // Credentials (APPs, AppCodes, APP access control), APP authorization and credential quotas. Families whose
        // entries carry a top-level app_id and must go with their APP register an AppOwnedCollection.
        services.TryAddSingleton<AppManager>();
        services.TryAddSingleton<AppCodeManager>();
        services.TryAddSingleton<AppAclManager>();
        services.TryAddSingleton<AppAuthorizationManager>();
        services.TryAddSingleton<AppQuotaManager>();
        // Instances, not TryAddEnumerable: that refuses descriptors whose implementation type is the service type.
        AddOwnedCollection(services, new ApigOwnedCollection(ApigOwner.Api, AppAuthorizationKeys.Authorizations));
        AddOwnedCollection(services, new ApigOwnedCollection(ApigOwner.Environment, AppAuthorizationKeys.Authorizations));

        services.TryAddSingleton<ApigErrorFilter>();
        services.AddOptions<ManagementAuthenticationOptions>();
        return services;
    }

    /// <summary>
    /// Registers an owned collection once. (TryAddEnumerable cannot be used: every registration has the same
    /// implementation type, which it rejects as indistinguishable.)
    /// </summary>
    private static void AddOwnedCollection(IServiceCollection services, ApigOwnedCollection collection)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(ApigOwnedCollection) && !descriptor.IsKeyedService && collection.Equals(descriptor.ImplementationInstance))
            {
                return;
            }
        }

        services.AddSingleton(collection);
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
