using Gateway.Net.Balancing;
using Gateway.Net.Upstream;

namespace Gateway.Net.DataPlane;

/// <summary>
/// VPC channel backends: the member for each attempt comes from the channel's balancer (on the plan the request started
/// with, so a recompile never disturbs it); each attempt's outcome is reported to the member's health and its
/// least-connections count released.
/// </summary>
internal sealed partial class GatewayConnection
{
    private ChannelBalancer? _pickedBalancer;
    private int _pickedMember = -1;
    private UpstreamEndpoint? _pickedEndpoint;

    /// <summary>Picks a member for the next attempt, avoiding <paramref name="exclude"/> when another may serve.</summary>
    private bool TryPickMember(CompiledChannel channel, int exclude, out UpstreamEndpoint endpoint)
    {
        var balancer = channel.Balancer;
        Span<byte> address = stackalloc byte[16];
        var length = balancer.Strategy == BalanceStrategy.SourceIpHash ? WriteClientAddress(address) : 0;
        var member = balancer.Pick(address[..length], _head[_head.Path], exclude);
        if (member < 0)
        {
            endpoint = null!;
            return false;
        }

        _pickedBalancer = balancer;
        _pickedMember = member;
        _pickedEndpoint = balancer.Members[member].Endpoint;
        endpoint = _pickedEndpoint;
        return true;
    }

    /// <summary>Ends the failed attempt and picks another member (or the same one, when it is the only one left).</summary>
    private bool TryRepickMember(CompiledChannel channel, AttemptFailure failure, out UpstreamEndpoint endpoint)
    {
        var failed = _pickedMember;
        EndMemberAttempt(failure);
        return TryPickMember(channel, failed, out endpoint);
    }

    /// <summary>
    /// Reports the attempt to the member's health (connect failures, timeouts, broken or 5xx responses count against
    /// it; a pooled connection the member had closed and a client's bad body do not) and releases its in-flight count.
    /// </summary>
    private void EndMemberAttempt(AttemptFailure failure)
    {
        if (_pickedBalancer is not { } balancer)
        {
            return;
        }

        var health = balancer.Members[_pickedMember].Health;
        switch (failure)
        {
            case AttemptFailure.None when _responseParser.StatusCode >= 500:
            case AttemptFailure.Connect or AttemptFailure.Upstream or AttemptFailure.Timeout or AttemptFailure.BadResponse:
                health.ReportFailure();
                break;
            case AttemptFailure.None:
                health.ReportSuccess();
                break;
        }

        ReleaseMember();
    }

    /// <summary>Releases the member's in-flight count without a verdict (the connection ended mid-attempt).</summary>
    private void ReleaseMember()
    {
        if (_pickedBalancer is { } balancer)
        {
            _pickedBalancer = null;
            balancer.Release(_pickedMember);
            _pickedMember = -1;
        }
    }

    /// <summary>The Host header for the backend: the channel's proxy host, else the address connected to.</summary>
    private byte[] BackendHostHeader(CompiledApi api) =>
        api.Channel is { } channel ? channel.ProxyHost ?? _pickedEndpoint!.HostHeader : api.Endpoint!.HostHeader;
}
