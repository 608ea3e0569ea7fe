using System.IO.Pipelines;

namespace Gateway.Net.DataPlane;

internal sealed partial class GatewayConnection
{
    /// <summary>
    /// Establishes the caller for the API's auth type and checks that it may call the API here; returns the error to
    /// answer with, or null to go on.
    /// </summary>
    private ValueTask<GatewayError?> AuthenticateAsync(CompiledApi api, int captureCount, PipeReader input, CancellationToken cancellationToken)
    {
        if (string.Equals(api.AuthType, "AUTHORIZER", StringComparison.Ordinal))
        {
            return AuthorizeWithCustomAuthorizerAsync(api, cancellationToken);
        }

        _ = api;
        _ = captureCount;
        _ = input;
        _ = cancellationToken;
        return ValueTask.FromResult<GatewayError?>(null);
    }
}
