using Gateway.Apig.Runtime;
using Gateway.Net.DataPlane.Signing;

namespace Gateway.Net.DataPlane;

internal sealed partial class DataPlaneCompiler
{
    private ApigRuntimeModel? _signingModel;
    private Dictionary<(string Api, string Env), BackendSigner> _signers = [];

    /// <summary>Attaches the signer of the key bound to the API in its environment (one signer per key, shared).</summary>
    private void CompileBackendSigning(CompiledApi compiled, RuntimeApi runtimeApi, ApigRuntimeModel model)
    {
        if (!ReferenceEquals(_signingModel, model))
        {
            IndexSigners(model);
        }

        compiled.BackendSigner = _signers.GetValueOrDefault((runtimeApi.Definition.Id, runtimeApi.Environment.Id));
    }

    private void IndexSigners(ApigRuntimeModel model)
    {
        _signingModel = model;
        var byKey = new Dictionary<string, BackendSigner?>(StringComparer.Ordinal);
        foreach (var key in model.SignatureKeys)
        {
            byKey[key.Id] = BackendSigner.Create(key.Id, key.SignType, key.SignKey, key.SignSecret, key.SignAlgorithm);
        }

        _signers = [];
        foreach (var binding in model.SignBindings)
        {
            if (byKey.GetValueOrDefault(binding.SignId) is { } signer)
            {
                _signers[(binding.ApiId, binding.EnvId)] = signer;
            }
        }
    }
}
