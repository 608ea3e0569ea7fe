using System.Net;
using Gateway.Net.DataPlane;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;

namespace Gateway.Hosting.DataPlane;

/// <summary>
/// Runs the data plane on Kestrel's connection layer: each connection Kestrel accepts on the endpoint is served by
/// the same engine as the built-in listener, on the same snapshots.
/// </summary>
internal sealed class GatewayDataPlaneConnectionHandler(DataPlaneHostedService dataPlane, IHostApplicationLifetime lifetime) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        var gateway = new GatewayConnection(dataPlane.Snapshots, dataPlane.EngineOptions, remote);
        // Kestrel cannot tell a connection handler that the host is stopping: link the host's signal in.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, lifetime.ApplicationStopping);
        await gateway.ProcessAsync(connection.Transport, stopping.Token).ConfigureAwait(false);
    }
}
