using Gateway.Apig.Groups;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.1 API groups.</summary>
internal static class GroupEndpoints
{
    public static void Map(RouteGroupBuilder instance)
    {
        instance.MapPost("/api-groups", async (HttpContext context, ApiGroupManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, GroupJsonContext.Default.ApiGroupRequest);
            var group = await manager.CreateAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(group, GroupJsonContext.Default.ApiGroup, StatusCodes.Status201Created);
        });

        instance.MapPost("/api-groups/check", async (HttpContext context, ApiGroupManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, GroupJsonContext.Default.GroupNameCheckRequest);
            await manager.CheckNameAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapPut("/api-groups/{group_id}", async (HttpContext context, ApiGroupManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var groupId = ApigHttp.RouteId(context, "group_id");
            var request = await ApigHttp.ReadBodyAsync(context, GroupJsonContext.Default.ApiGroupRequest);
            var group = await manager.UpdateAsync(scope, groupId, request, context.RequestAborted);
            return ApigHttp.Json(group, GroupJsonContext.Default.ApiGroup);
        });

        instance.MapDelete("/api-groups/{group_id}", async (HttpContext context, ApiGroupManager manager) =>
        {
            await manager.DeleteAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "group_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet("/api-groups/{group_id}", async (HttpContext context, ApiGroupManager manager) =>
        {
            var group = await manager.GetAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "group_id"), context.RequestAborted);
            return ApigHttp.Json(group, GroupJsonContext.Default.ApiGroup);
        });

        instance.MapGet("/api-groups", async (HttpContext context, ApiGroupManager manager) =>
        {
            var filter = new ApiGroupListFilter(
                ApigHttp.Page(context),
                ApigHttp.Query(context, "id"),
                ApigHttp.Query(context, "name"),
                ApigHttp.Query(context, "precise_search"));
            var list = await manager.ListAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, GroupJsonContext.Default.ApiGroupList);
        });
    }
}
