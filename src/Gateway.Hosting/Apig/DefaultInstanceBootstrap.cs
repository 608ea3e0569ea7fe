using Gateway.Apig.Common;
using Gateway.Apig.Instances;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Hosting.Apig;

/// <summary>Creates the project's first gateway instance when the store holds none, so a fresh server is usable at once.</summary>
internal sealed partial class DefaultInstanceBootstrap(InstanceManager instances, string projectId, ILogger<DefaultInstanceBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var existing = await instances.ListAsync(projectId, new InstanceListFilter(ListQuery.Create(0, 1), null, null, null), cancellationToken).ConfigureAwait(false);
        if (existing.Total > 0)
        {
            LogExisting(logger, existing.Instances[0].Id, projectId);
            return;
        }

        var request = new CreateInstanceRequest
        {
            InstanceName = "gateway_local",
            SpecId = "BASIC",
            VpcId = "local",
            SubnetId = "local",
            SecurityGroupId = "local",
            AvailableZoneIds = ["local"],
            Description = "Created at first start",
        };
        var created = await instances.CreateAsync(projectId, request, cancellationToken).ConfigureAwait(false);
        LogCreated(logger, created.InstanceId, projectId);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Created gateway instance {InstanceId} in project {ProjectId}")]
    private static partial void LogCreated(ILogger logger, string instanceId, string projectId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Serving gateway instance {InstanceId} in project {ProjectId}")]
    private static partial void LogExisting(ILogger logger, string instanceId, string projectId);
}
