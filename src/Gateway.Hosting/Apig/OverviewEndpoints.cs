using Gateway.Apig.Overview;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.11 outline queries.</summary>
internal static class OverviewEndpoints
{
    public static void Map(RouteGroupBuilder instance)
    {
        instance.MapGet("/resources/outline/apis", async (HttpContext context, OverviewManager manager) =>
        {
            var outline = await manager.GetApiOutlineAsync(ApigHttp.Scope(context), context.RequestAborted);
            return ApigHttp.Json(outline, OverviewJsonContext.Default.ApiOutline);
        });

        instance.MapGet("/resources/outline/groups", async (HttpContext context, OverviewManager manager) =>
        {
            var outline = await manager.GetGroupOutlineAsync(ApigHttp.Scope(context), context.RequestAborted);
            return ApigHttp.Json(outline, OverviewJsonContext.Default.GroupOutline);
        });

        instance.MapGet("/resources/outline/apps", async (HttpContext context, OverviewManager manager) =>
        {
            var outline = await manager.GetAppOutlineAsync(ApigHttp.Scope(context), context.RequestAborted);
            return ApigHttp.Json(outline, OverviewJsonContext.Default.AppOutline);
        });
    }
}
