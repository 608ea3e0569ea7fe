using Gateway.Hosting.Authentication;
using Gateway.Hosting.DataPlane;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>Helpers for IAM AK/SK tests: a gateway whose management API (and so its built-in IAM check) knows an AK/SK pair.</summary>
internal sealed partial class DataPlaneTestHost
{
    /// <summary>Starts a gateway as <see cref="StartAsync"/> does, with the AK/SK pair added to the configured credentials.</summary>
    public static Task<DataPlaneTestHost> StartWithAccessKeyAsync(string accessKey, string secretKey, Action<GatewayDataPlaneOptions>? configure = null) =>
        StartAsync(configure, services => services.Configure<ManagementAuthenticationOptions>(options => options.AccessKeys[accessKey] = secretKey));
}
