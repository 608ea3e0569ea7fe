using Gateway.Net.DataPlane.Authorizers;

namespace Gateway.Net.DataPlane;

internal sealed partial class CompiledApi
{
    /// <summary>
    /// The FRONTEND custom authorizer of an API with auth_type AUTHORIZER; null when the API names none, an unknown
    /// one, one of the wrong type, or one this data plane cannot call (a FunctionGraph URN): such calls are answered
    /// with AUTHORIZER_CONF_FAILURE.
    /// </summary>
    public AuthorizerPlan? FrontendAuthorizer { get; set; }
}
