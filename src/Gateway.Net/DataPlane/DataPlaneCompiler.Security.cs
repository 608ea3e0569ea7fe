using System.Security.Cryptography;
using System.Text;
using Gateway.Apig.Acls;
using Gateway.Apig.Apps;
using Gateway.Apig.Runtime;
using Gateway.Net.Routing;
using Gateway.Net.Security;

namespace Gateway.Net.DataPlane;

internal sealed partial class DataPlaneCompiler
{
    private ApigRuntimeModel? _securityModel;
    private SecurityIndex? _securityIndex;

    /// <summary>
    /// The API's protection in its environment: auth type, AppCode switch, the authorized APPs and the bound ACLs. The
    /// instance-wide parts (APPs by key and by code, ACL matchers) are built once per model and shared by every API.
    /// </summary>
    private ApiSecurityPlan PlanSecurity(ApigRuntimeModel model, RuntimeApi runtimeApi)
    {
        if (!ReferenceEquals(_securityModel, model) || _securityIndex is null)
        {
            _securityIndex = SecurityIndex.Build(model);
            _securityModel = model;
        }

        var index = _securityIndex;
        var api = runtimeApi.Definition;
        var auth = api.AuthType switch
        {
            "NONE" => AuthKind.None,
            "IAM" => AuthKind.Iam,
            "AUTHORIZER" => AuthKind.Authorizer,
            _ => AuthKind.App, // APP, and anything unknown fails closed: it needs a credential
        };
        var key = (api.Id, runtimeApi.Environment.Id);
        var acls = index.Bindings.TryGetValue(key, out var bound) ? bound : null;
        var authorized = index.Authorized.TryGetValue(key, out var apps) ? apps : null;
        if (auth == AuthKind.None && acls is null)
        {
            return ApiSecurityPlan.Open;
        }

        return new ApiSecurityPlan
        {
            Auth = auth,
            AppCodeInHeader = string.Equals(api.AuthOpt?.AppCodeAuthType, "HEADER", StringComparison.Ordinal),
            Apps = index.Apps,
            AuthorizedApps = authorized ?? [],
            Acls = acls is null ? [] : [.. acls.OrderBy(rule => rule.Permit)], // DENY rules first
        };
    }

    private sealed class SecurityIndex
    {
        public required AppDirectory Apps { get; init; }

        public required Dictionary<(string Api, string Env), HashSet<CompiledApp>> Authorized { get; init; }

        public required Dictionary<(string Api, string Env), List<AclRule>> Bindings { get; init; }

        public static SecurityIndex Build(ApigRuntimeModel model)
        {
            var appAcls = new Dictionary<string, AppAcl>(StringComparer.Ordinal);
            foreach (var acl in model.AppAcls)
            {
                appAcls[acl.AppId] = acl;
            }

            var byId = new Dictionary<string, CompiledApp>(StringComparer.Ordinal);
            var byKey = new List<KeyValuePair<byte[], CompiledApp>>();
            var seenKeys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var app in model.Apps)
            {
                // Only valid APPs (status 1) can call; a key used twice is served by the first APP only.
                if (app.Status != 1 || string.IsNullOrEmpty(app.AppKey) || !seenKeys.Add(app.AppKey))
                {
                    continue;
                }

                appAcls.TryGetValue(app.Id, out var appAcl);
                var addresses = appAcl?.AppAclType is AppAcl.Permit or AppAcl.Deny ? AddressRangeSet.Parse(appAcl.AppAclValues, out _) : null;
                var compiled = new CompiledApp
                {
                    Id = app.Id,
                    IdBytes = Encoding.UTF8.GetBytes(app.Id),
                    Key = Encoding.UTF8.GetBytes(app.AppKey),
                    Secret = Encoding.UTF8.GetBytes(app.AppSecret),
                    AclAddresses = addresses,
                    AclPermits = appAcl?.AppAclType == AppAcl.Permit,
                };
                byId[app.Id] = compiled;
                byKey.Add(new(compiled.Key, compiled));
            }

            var byCode = new List<KeyValuePair<byte[], CompiledApp>>();
            var seenCodes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var code in model.AppCodes)
            {
                if (byId.TryGetValue(code.AppId, out var app) && !string.IsNullOrEmpty(code.AppCode) && seenCodes.Add(code.AppCode))
                {
                    byCode.Add(new(SHA256.HashData(Encoding.UTF8.GetBytes(code.AppCode)), app));
                }
            }

            var authorized = new Dictionary<(string, string), HashSet<CompiledApp>>();
            foreach (var authorization in model.AppAuthorizations)
            {
                if (!byId.TryGetValue(authorization.AppId, out var app))
                {
                    continue;
                }

                var key = (authorization.ApiId, authorization.EnvId);
                if (!authorized.TryGetValue(key, out var set))
                {
                    set = [];
                    authorized[key] = set;
                }

                set.Add(app);
            }

            var rules = new Dictionary<string, AclRule>(StringComparer.Ordinal);
            foreach (var policy in model.Acls)
            {
                if (CompileAcl(policy) is { } rule)
                {
                    rules[policy.Id] = rule;
                }
            }

            var bindings = new Dictionary<(string, string), List<AclRule>>();
            foreach (var binding in model.AclBindings)
            {
                if (!rules.TryGetValue(binding.AclId, out var rule))
                {
                    continue;
                }

                var key = (binding.ApiId, binding.EnvId);
                if (!bindings.TryGetValue(key, out var list))
                {
                    list = [];
                    bindings[key] = list;
                }

                if (!list.Contains(rule))
                {
                    list.Add(rule);
                }
            }

            return new SecurityIndex
            {
                Apps = new AppDirectory(new ByteKeyMap<CompiledApp>(byKey), new ByteKeyMap<CompiledApp>(byCode)),
                Authorized = authorized,
                Bindings = bindings,
            };
        }

        /// <summary>An ACL policy as a matcher; null for a type this data plane does not know (ignored, as unbound).</summary>
        private static AclRule? CompileAcl(AclPolicy policy)
        {
            var permit = policy.AclType switch
            {
                "PERMIT" => true,
                "DENY" => false,
                _ => (bool?)null,
            };
            if (permit is null)
            {
                return null;
            }

            var entries = policy.AclValue.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            switch (policy.EntityType)
            {
                case AclValueRules.Ip:
                    return new AclRule { Permit = permit.Value, Entity = AclEntity.Ip, Addresses = AddressRangeSet.Parse(entries, out _) };
                case AclValueRules.Domain:
                case AclValueRules.DomainId:
                {
                    var accounts = new List<KeyValuePair<byte[], byte[]>>();
                    foreach (var entry in entries.Distinct(StringComparer.Ordinal))
                    {
                        var bytes = Encoding.UTF8.GetBytes(entry);
                        accounts.Add(new(bytes, bytes));
                    }

                    return new AclRule
                    {
                        Permit = permit.Value,
                        Entity = policy.EntityType == AclValueRules.Domain ? AclEntity.Domain : AclEntity.DomainId,
                        Accounts = new ByteKeyMap<byte[]>(accounts),
                    };
                }

                default:
                    return null;
            }
        }
    }
}
