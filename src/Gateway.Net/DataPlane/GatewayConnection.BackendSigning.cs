using Gateway.Net.DataPlane.Signing;
using Gateway.Net.Http.Serialization;

namespace Gateway.Net.DataPlane;

internal sealed partial class GatewayConnection
{
    // Allocated on the first signed request of the connection, then reused.
    private SdkCanonicalRequest? _canonicalRequest;
    private byte[]? _authorization;
    private readonly byte[] _sdkDate = new byte[16];

    /// <summary>
    /// Adds the backend signature of the API's bound key to the backend request head (the formats are documented on
    /// <see cref="BackendSigner"/>). Call after the target is built and before the end of the head.
    /// </summary>
    private void SignBackendRequest(ref Http1HeadWriter head, CompiledApi api)
    {
        if (api.BackendSigner is not { } signer)
        {
            return;
        }

        if (!signer.SignsCanonicalRequest)
        {
            head.WriteHeader("Authorization"u8, signer.BasicAuthorization);
            return;
        }

        var date = _sdkDate;
        BackendSigner.WriteSdkDate(DateTime.UtcNow, date);
        _canonicalRequest ??= new SdkCanonicalRequest();
        var canonical = _canonicalRequest.Build(api.BackendMethod ?? _head[_head.MethodName], _target.AsSpan(0, _targetLength), api.Endpoint!.HostHeader, date);
        if (_authorization is null || _authorization.Length < signer.MaxAuthorizationLength)
        {
            _authorization = new byte[signer.MaxAuthorizationLength];
        }

        var length = signer.WriteAuthorization(canonical, date, _authorization);
        head.WriteHeader("X-Sdk-Date"u8, date);
        head.WriteHeader("X-Sdk-Content-Sha256"u8, "UNSIGNED-PAYLOAD"u8);
        head.WriteHeader("Authorization"u8, _authorization.AsSpan(0, length));
    }

    /// <summary>Whether a client header is left out because the gateway's signature headers take its place.</summary>
    private bool IsReplacedBySignature(CompiledApi api, HeaderEntry header)
    {
        if (api.BackendSigner is null)
        {
            return false;
        }

        var name = _head[header.Name];
        return System.Text.Ascii.EqualsIgnoreCase(name, "Authorization"u8) ||
            System.Text.Ascii.EqualsIgnoreCase(name, "X-Sdk-Date"u8) ||
            System.Text.Ascii.EqualsIgnoreCase(name, "X-Sdk-Content-Sha256"u8);
    }
}
