using Gateway.Apig.Acls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.13 ACL policies and 3.14 ACL bindings.</summary>
internal static class AclEndpoints
{
    public static void Map(RouteGroupBuilder instance)
    {
        MapPolicies(instance);
        MapBindings(instance);
    }

    private static void MapPolicies(RouteGroupBuilder instance)
    {
        instance.MapPost("/acls", async (HttpContext context, AclManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, AclJsonContext.Default.AclRequest);
            var policy = await manager.CreateAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(policy, AclJsonContext.Default.AclPolicy, StatusCodes.Status201Created);
        });

        instance.MapPut("/acls/{acl_id}", async (HttpContext context, AclManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var aclId = ApigHttp.RouteId(context, "acl_id");
            var request = await ApigHttp.ReadBodyAsync(context, AclJsonContext.Default.AclRequest);
            var policy = await manager.UpdateAsync(scope, aclId, request, context.RequestAborted);
            return ApigHttp.Json(policy, AclJsonContext.Default.AclPolicy);
        });

        instance.MapDelete("/acls/{acl_id}", async (HttpContext context, AclManager manager) =>
        {
            await manager.DeleteAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "acl_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapPut("/acls", async (HttpContext context, AclManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var action = ApigHttp.Query(context, "action");
            var request = await ApigHttp.ReadBodyAsync(context, AclJsonContext.Default.AclBatchDeleteRequest);
            var result = await manager.BatchDeleteAsync(scope, action, request, context.RequestAborted);
            return ApigHttp.Json(result, AclJsonContext.Default.AclBatchDeleteResult);
        });

        instance.MapGet("/acls/{acl_id}", async (HttpContext context, AclManager manager) =>
        {
            var policy = await manager.GetAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "acl_id"), context.RequestAborted);
            return ApigHttp.Json(policy, AclJsonContext.Default.AclPolicy);
        });

        instance.MapGet("/acls", async (HttpContext context, AclManager manager) =>
        {
            var filter = new AclListFilter(
                ApigHttp.Page(context),
                ApigHttp.Query(context, "id"),
                ApigHttp.Query(context, "name"),
                ApigHttp.Query(context, "acl_type"),
                ApigHttp.Query(context, "entity_type"),
                ApigHttp.Query(context, "precise_search"));
            var list = await manager.ListAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, AclJsonContext.Default.AclList);
        });
    }

    private static void MapBindings(RouteGroupBuilder instance)
    {
        instance.MapPost("/acl-bindings", async (HttpContext context, AclBindingManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, AclJsonContext.Default.AclBindRequest);
            var result = await manager.BindToApisAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(result, AclJsonContext.Default.AclBindResult, StatusCodes.Status201Created);
        });

        instance.MapDelete("/acl-bindings/{acl_bindings_id}", async (HttpContext context, AclBindingManager manager) =>
        {
            await manager.UnbindAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "acl_bindings_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapPut("/acl-bindings", async (HttpContext context, AclBindingManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var action = ApigHttp.Query(context, "action");
            var request = await ApigHttp.ReadBodyAsync(context, AclJsonContext.Default.AclBatchUnbindRequest);
            var result = await manager.BatchUnbindAsync(scope, action, request, context.RequestAborted);
            return ApigHttp.Json(result, AclJsonContext.Default.AclBatchUnbindResult);
        });

        instance.MapGet("/acl-bindings/binded-apis", async (HttpContext context, AclBindingManager manager) =>
        {
            var list = await manager.ListBoundApisAsync(ApigHttp.Scope(context), ApiFilter(context), context.RequestAborted);
            return ApigHttp.Json(list, AclJsonContext.Default.AclBindApiList);
        });

        instance.MapGet("/acl-bindings/unbound-apis", async (HttpContext context, AclBindingManager manager) =>
        {
            var list = await manager.ListUnboundApisAsync(ApigHttp.Scope(context), ApiFilter(context), context.RequestAborted);
            return ApigHttp.Json(list, AclJsonContext.Default.UnbindApiForAclList);
        });

        instance.MapGet("/acl-bindings/binded-acls", async (HttpContext context, AclBindingManager manager) =>
        {
            var filter = new BoundAclFilter(
                ApigHttp.Page(context),
                ApigHttp.Query(context, "api_id"),
                ApigHttp.Query(context, "env_id"),
                ApigHttp.Query(context, "env_name"),
                ApigHttp.Query(context, "acl_id"),
                ApigHttp.Query(context, "acl_name"));
            var list = await manager.ListBoundAclsAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, AclJsonContext.Default.ApiBindAclList);
        });
    }

    private static AclApiFilter ApiFilter(HttpContext context) => new(
        ApigHttp.Page(context),
        ApigHttp.Query(context, "acl_id"),
        ApigHttp.Query(context, "api_id"),
        ApigHttp.Query(context, "api_name"),
        ApigHttp.Query(context, "env_id"),
        ApigHttp.Query(context, "group_id"));
}
