using Gateway.Hosting.Apig;
using Gateway.Hosting.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts the Huawei APIG V2 management REST surface on an ASP.NET Core app.</summary>
public static class ApigEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every implemented APIG V2 operation under <c>/v2/{project_id}/apigw</c>. Calls must carry a configured
    /// <c>X-Auth-Token</c> or an <c>SDK-HMAC-SHA256</c> signature made with a configured AK/SK pair.
    /// Requires <c>services.AddGateway()</c>.
    /// </summary>
    public static RouteGroupBuilder MapApigV2(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var project = endpoints.MapGroup("/v2/{project_id}/apigw");
        project.AddEndpointFilter<ApigErrorFilter>();
        project.RequireManagementAuthentication();
        InstanceEndpoints.Map(project);

        var instance = project.MapGroup("/instances/{instance_id}");
        GroupEndpoints.Map(instance);
        EnvironmentEndpoints.Map(instance);
        ApiEndpoints.Map(instance);
        ThrottleEndpoints.Map(instance);
        AclEndpoints.Map(instance);
        SignatureEndpoints.Map(instance);
        VpcChannelEndpoints.Map(instance);
        AuthorizerEndpoints.Map(instance);
        DomainEndpoints.Map(instance);
        GatewayResponseEndpoints.Map(instance);
        OverviewEndpoints.Map(instance);
        AppEndpoints.Map(instance);
        AppAuthorizationEndpoints.Map(instance);
        AppQuotaEndpoints.Map(instance);
        return project;
    }
}
