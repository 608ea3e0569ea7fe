using System.Text;
using System.Text.RegularExpressions;
using Gateway.Apig.Authorizers;
using Gateway.Apig.Runtime;
using Gateway.Net.DataPlane.Authorizers;

namespace Gateway.Net.DataPlane;

internal sealed partial class DataPlaneCompiler
{
    private ApigRuntimeModel? _authorizerModel;
    private Dictionary<string, AuthorizerPlan?> _authorizerPlans = new(StringComparer.Ordinal);
    private AuthorizerRuntime? _ownAuthorizerRuntime;

    /// <summary>
    /// Authorizer caches and call settings shared by successive snapshots; when not set, this compiler keeps its own
    /// (decisions are then forgotten on every recompile).
    /// </summary>
    public AuthorizerRuntime? Authorizers { get; init; }

    private AuthorizerRuntime AuthorizerState => Authorizers ?? (_ownAuthorizerRuntime ??= new AuthorizerRuntime());

    /// <summary>Compiles the frontend authorizer of an API with auth_type AUTHORIZER (plans are shared per authorizer).</summary>
    private void CompileAuthorizer(CompiledApi compiled, RuntimeApi runtimeApi, ApigRuntimeModel model)
    {
        if (!ReferenceEquals(_authorizerModel, model))
        {
            IndexAuthorizers(model);
        }

        var api = runtimeApi.Definition;
        if (string.Equals(api.AuthType, "AUTHORIZER", StringComparison.Ordinal) && api.AuthorizerId is { Length: > 0 } id)
        {
            compiled.FrontendAuthorizer = _authorizerPlans.GetValueOrDefault(id);
        }
    }

    private void IndexAuthorizers(ApigRuntimeModel model)
    {
        _authorizerModel = model;
        _authorizerPlans = new Dictionary<string, AuthorizerPlan?>(StringComparer.Ordinal);
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var authorizer in model.Authorizers)
        {
            live.Add(authorizer.Id);
            _authorizerPlans[authorizer.Id] = string.Equals(authorizer.Type, "FRONTEND", StringComparison.Ordinal)
                ? CompileAuthorizerPlan(authorizer, AuthorizerState, upstreams)
                : null;
        }

        AuthorizerState.Retain(live);
    }

    /// <summary>The callable plan of an authorizer, or null when it cannot be called (URN address, bad validation).</summary>
    internal static AuthorizerPlan? CompileAuthorizerPlan(Authorizer authorizer, AuthorizerRuntime runtime, Upstream.UpstreamRegistry upstreams)
    {
        if (AuthorizerAddress.CallTarget(authorizer) is not { } url)
        {
            return null;
        }

        var identities = new AuthorizerIdentityRule[authorizer.Identities.Count];
        for (var i = 0; i < identities.Length; i++)
        {
            var identity = authorizer.Identities[i];
            Regex? validation = null;
            if (!string.IsNullOrEmpty(identity.Validation) && !TryCompileValidation(identity.Validation, out validation))
            {
                return null;
            }

            identities[i] = new AuthorizerIdentityRule
            {
                Name = Encoding.UTF8.GetBytes(identity.Name),
                InQuery = string.Equals(identity.Location, "QUERY", StringComparison.Ordinal),
                Validation = validation,
            };
        }

        var https = url.Scheme == Uri.UriSchemeHttps;
        var host = url.Host.Trim('[', ']');
        var fingerprint = string.Join('\n',
            url.AbsoluteUri,
            authorizer.Ttl.ToString(System.Globalization.CultureInfo.InvariantCulture),
            authorizer.UserData ?? string.Empty,
            authorizer.NeedBody ? "body" : "no-body",
            string.Join('\n', authorizer.Identities.Select(identity => $"{identity.Location}:{identity.Name}:{identity.Validation}")));
        return new AuthorizerPlan
        {
            Id = authorizer.Id,
            Endpoint = upstreams.Get(host, url.Port, https),
            Target = Encoding.ASCII.GetBytes(url.PathAndQuery),
            Identities = identities,
            UserData = authorizer.UserData,
            NeedBody = authorizer.NeedBody,
            // Without identity sources there is nothing to key a decision by (Huawei requires them when ttl > 0).
            Cache = authorizer.Ttl > 0 && identities.Length > 0 ? runtime.CacheFor(authorizer.Id, fingerprint, authorizer.Ttl) : null,
            TimeoutMilliseconds = (int)Math.Clamp(runtime.CallTimeout.TotalMilliseconds, 1, int.MaxValue),
        };
    }

    private const string FrontendContextPrefix = "$context.authorizer.frontend.";

    /// <summary>The context key of a <c>$context.authorizer.frontend.&lt;name&gt;</c> system value, or null for any other value.</summary>
    private static byte[]? AuthorizerContextName(string value) =>
        value.Length > FrontendContextPrefix.Length && value.StartsWith(FrontendContextPrefix, StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(value[FrontendContextPrefix.Length..])
            : null;

    /// <summary>
    /// The identity's validation expression must match the whole value. Linear-time matching where the pattern allows
    /// it, so a hostile value cannot make matching slow; otherwise a backtracking regex with a short timeout.
    /// </summary>
    private static bool TryCompileValidation(string pattern, out Regex? regex)
    {
        var anchored = $"^(?:{pattern})$";
        try
        {
            regex = new Regex(anchored, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            return true;
        }
        catch (NotSupportedException)
        {
        }
        catch (ArgumentException)
        {
            regex = null;
            return false;
        }

        try
        {
            regex = new Regex(anchored, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
            return true;
        }
        catch (ArgumentException)
        {
            regex = null;
            return false;
        }
    }
}
