using Gateway.Hosting.DataPlane;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>Serves the gateway data plane on a Kestrel endpoint.</summary>
public static class GatewayListenOptionsExtensions
{
    /// <summary>
    /// Makes this Kestrel endpoint a data-plane endpoint: requests are routed to published APIs instead of the app's
    /// middleware. Requires <c>services.AddGatewayDataPlane()</c>.
    /// </summary>
    public static ListenOptions UseGatewayDataPlane(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        var handler = ActivatorUtilities.CreateInstance<GatewayDataPlaneConnectionHandler>(listenOptions.ApplicationServices);
        listenOptions.Use(_ => handler.OnConnectedAsync);
        return listenOptions;
    }
}
