using Gateway.Net.DataPlane.Signing;

namespace Gateway.Net.DataPlane;

internal sealed partial class CompiledApi
{
    /// <summary>The signature key bound to this API in its environment (3.7), ready to sign; null when none applies.</summary>
    public BackendSigner? BackendSigner { get; set; }
}
