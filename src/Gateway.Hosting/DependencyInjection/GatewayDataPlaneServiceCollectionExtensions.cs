using Gateway.Hosting.DataPlane;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the data plane that serves published APIs.</summary>
public static class GatewayDataPlaneServiceCollectionExtensions
{
    /// <summary>
    /// Runs the data plane on its own listener: requests are routed to the published APIs of one instance and served
    /// by their backends. Changes made through the management API take effect at once.
    /// </summary>
    public static IServiceCollection AddGatewayDataPlane(this IServiceCollection services, Action<GatewayDataPlaneOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GatewayDataPlaneOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Checked when the options are first read (the data plane's start), not at each backend connect.
        options.Validate(
            o => o.BackendConnectTimeout > TimeSpan.Zero && o.BackendConnectTimeout.TotalMilliseconds <= int.MaxValue,
            "BackendConnectTimeout must be longer than zero and at most 2,147,483,647 ms.");

        services.AddSingleton<DataPlaneHostedService>();
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<DataPlaneHostedService>());
        services.AddSingleton<IHostedService, HealthCheckHostedService>();
        return services;
    }
}
