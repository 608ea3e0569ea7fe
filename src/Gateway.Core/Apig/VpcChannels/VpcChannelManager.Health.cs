using Gateway.Apig.Common;

namespace Gateway.Apig.VpcChannels;

/// <summary>The data plane's observed member health, written back so the member list shows it.</summary>
internal sealed partial class VpcChannelManager
{
    /// <summary>
    /// Records observed health (<c>health_status</c> 1 healthy, 2 unhealthy) on members of <paramref name="instanceId"/>,
    /// in one commit under the instance fence. Only that field changes; members deleted meanwhile, and members that
    /// already show the state, are left alone (no commit when nothing changes).
    /// </summary>
    public Task RecordMemberHealthAsync(string instanceId, IReadOnlyCollection<KeyValuePair<string, bool>> healthByMember, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(instanceId), async transaction =>
        {
            foreach (var (memberId, healthy) in healthByMember)
            {
                var member = await writer.ReadAsync(VpcChannelStoreKeys.Member(instanceId, memberId), VpcChannelJsonContext.Default.VpcMember, cancellationToken).ConfigureAwait(false);
                var status = healthy ? 1 : 2;
                if (member is not null && member.HealthStatus != status)
                {
                    PutMember(transaction, instanceId, member with { HealthStatus = status });
                }
            }

            return true;
        }, cancellationToken);

    /// <summary>Records one member's observed health; see the list overload.</summary>
    public Task RecordMemberHealthAsync(string instanceId, string memberId, bool healthy, CancellationToken cancellationToken) =>
        RecordMemberHealthAsync(instanceId, [new KeyValuePair<string, bool>(memberId, healthy)], cancellationToken);
}
