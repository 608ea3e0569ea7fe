using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting.Authentication;

/// <summary>Wires <see cref="ManagementAuthenticationMiddleware"/> onto route groups or the whole pipeline.</summary>
internal static class ManagementAuthenticationExtensions
{
    /// <summary>
    /// Requires an <c>X-Auth-Token</c> or an <c>SDK-HMAC-SHA256</c> signature on every endpoint of <paramref name="group"/>.
    /// </summary>
    /// <remarks>
    /// The check wraps each endpoint's request delegate instead of adding an endpoint filter: filters run after
    /// parameter binding, which would read (and consume) the body before its signature is checked and would answer
    /// unauthenticated requests with binding errors instead of 401.
    /// Expects <see cref="IOptions{ManagementAuthenticationOptions}"/> in DI and uses a registered
    /// <see cref="TimeProvider"/> when there is one.
    /// </remarks>
    public static RouteGroupBuilder RequireManagementAuthentication(this RouteGroupBuilder group)
    {
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            var next = endpoint.RequestDelegate
                ?? throw new InvalidOperationException($"Endpoint '{endpoint.DisplayName}' has no request delegate to protect.");
            var services = endpoint.ApplicationServices;
            var authentication = new ManagementAuthenticationMiddleware(
                next,
                services.GetRequiredService<IOptions<ManagementAuthenticationOptions>>(),
                services.GetService<TimeProvider>());
            endpoint.RequestDelegate = authentication.InvokeAsync;
        });
        return group;
    }

    /// <summary>Requires management authentication for every request reaching this point of the pipeline.</summary>
    public static IApplicationBuilder UseManagementAuthentication(this IApplicationBuilder app) =>
        app.UseMiddleware<ManagementAuthenticationMiddleware>();
}
