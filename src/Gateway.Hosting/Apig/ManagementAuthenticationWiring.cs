using Gateway.Hosting.Authentication;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Hosting.Apig;

/// <summary>Connects the management authentication to the APIG route groups.</summary>
internal static class ManagementAuthenticationWiring
{
    public static RouteGroupBuilder AddManagementAuthentication(this RouteGroupBuilder group) => group.RequireManagementAuthentication();

    public static IServiceCollection AddManagementAuthenticationServices(this IServiceCollection services)
    {
        services.AddOptions<ManagementAuthenticationOptions>();
        return services;
    }
}
