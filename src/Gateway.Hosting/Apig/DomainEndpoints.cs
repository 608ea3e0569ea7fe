using Gateway.Apig.Domains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.12 custom domains of a group, their certificates and the debug-domain switch.</summary>
internal static class DomainEndpoints
{
    public static void Map(RouteGroupBuilder instance)
    {
        instance.MapPost("/api-groups/{group_id}/domains", async (HttpContext context, DomainManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var groupId = ApigHttp.RouteId(context, "group_id");
            var request = await ApigHttp.ReadBodyAsync(context, DomainJsonContext.Default.BindDomainRequest);
            var domain = await manager.BindDomainAsync(scope, groupId, request, context.RequestAborted);
            return ApigHttp.Json(domain, DomainJsonContext.Default.DomainView, StatusCodes.Status201Created);
        });

        // Documented success status of "modify domain" is 201.
        instance.MapPut("/api-groups/{group_id}/domains/{domain_id}", async (HttpContext context, DomainManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var groupId = ApigHttp.RouteId(context, "group_id");
            var domainId = ApigHttp.RouteId(context, "domain_id");
            var request = await ApigHttp.ReadBodyAsync(context, DomainJsonContext.Default.UpdateDomainRequest);
            var domain = await manager.UpdateAsync(scope, groupId, domainId, request, context.RequestAborted);
            return ApigHttp.Json(domain, DomainJsonContext.Default.DomainView, StatusCodes.Status201Created);
        });

        instance.MapDelete("/api-groups/{group_id}/domains/{domain_id}", async (HttpContext context, DomainManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            await manager.UnbindDomainAsync(scope, ApigHttp.RouteId(context, "group_id"), ApigHttp.RouteId(context, "domain_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapPost("/api-groups/{group_id}/domains/{domain_id}/certificate", async (HttpContext context, DomainManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var groupId = ApigHttp.RouteId(context, "group_id");
            var domainId = ApigHttp.RouteId(context, "domain_id");
            var request = await ApigHttp.ReadBodyAsync(context, DomainJsonContext.Default.BindCertificateRequest);
            var domain = await manager.BindCertificateAsync(scope, groupId, domainId, request, context.RequestAborted);
            return ApigHttp.Json(domain, DomainJsonContext.Default.DomainView, StatusCodes.Status201Created);
        });

        instance.MapDelete("/api-groups/{group_id}/domains/{domain_id}/certificate/{certificate_id}", async (HttpContext context, DomainManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var groupId = ApigHttp.RouteId(context, "group_id");
            var domainId = ApigHttp.RouteId(context, "domain_id");
            var certificateId = ApigHttp.RouteId(context, "certificate_id");
            await manager.DeleteCertificateAsync(scope, groupId, domainId, certificateId, context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet("/api-groups/{group_id}/domains/{domain_id}/certificate/{certificate_id}", async (HttpContext context, DomainManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var groupId = ApigHttp.RouteId(context, "group_id");
            var domainId = ApigHttp.RouteId(context, "domain_id");
            var certificateId = ApigHttp.RouteId(context, "certificate_id");
            var certificate = await manager.GetCertificateAsync(scope, groupId, domainId, certificateId, context.RequestAborted);
            return ApigHttp.Json(certificate, DomainJsonContext.Default.CertificateView);
        });

        instance.MapPut("/api-groups/{group_id}/sl-domain-access-settings", async (HttpContext context, DomainManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var groupId = ApigHttp.RouteId(context, "group_id");
            var request = await ApigHttp.ReadBodyAsync(context, DomainJsonContext.Default.DebugDomainAccessRequest);
            await manager.SetDebugDomainAccessAsync(scope, groupId, request, context.RequestAborted);
            return Results.NoContent();
        });
    }
}
