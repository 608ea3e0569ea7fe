using Gateway.Apig.AppQuotas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.29 credential quotas (3.28.13, the quota of one APP, is in <see cref="AppEndpoints"/>).</summary>
internal static class AppQuotaEndpoints
{
    public static void Map(RouteGroupBuilder instance)
    {
        instance.MapPost("/app-quotas", async (HttpContext context, AppQuotaManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, AppQuotaJsonContext.Default.AppQuotaRequest);
            var quota = await manager.CreateAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(quota, AppQuotaJsonContext.Default.AppQuota, StatusCodes.Status201Created);
        });

        instance.MapGet("/app-quotas/{app_quota_id}", async (HttpContext context, AppQuotaManager manager) =>
        {
            var quota = await manager.GetAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "app_quota_id"), context.RequestAborted);
            return ApigHttp.Json(quota, AppQuotaJsonContext.Default.AppQuota);
        });

        instance.MapGet("/app-quotas", async (HttpContext context, AppQuotaManager manager) =>
        {
            var filter = new AppQuotaListFilter(ApigHttp.Page(context), ApigHttp.Query(context, "name"));
            var list = await manager.ListAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, AppQuotaJsonContext.Default.AppQuotaList);
        });

        instance.MapPut("/app-quotas/{app_quota_id}", async (HttpContext context, AppQuotaManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var quotaId = ApigHttp.RouteId(context, "app_quota_id");
            var request = await ApigHttp.ReadBodyAsync(context, AppQuotaJsonContext.Default.AppQuotaRequest);
            var quota = await manager.UpdateAsync(scope, quotaId, request, context.RequestAborted);
            return ApigHttp.Json(quota, AppQuotaJsonContext.Default.AppQuota);
        });

        instance.MapDelete("/app-quotas/{app_quota_id}", async (HttpContext context, AppQuotaManager manager) =>
        {
            await manager.DeleteAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "app_quota_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet("/app-quotas/{app_quota_id}/bound-apps", async (HttpContext context, AppQuotaManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var filter = new AppQuotaAppFilter(ApigHttp.Page(context), ApigHttp.Query(context, "app_name"));
            var list = await manager.ListBoundAppsAsync(scope, ApigHttp.RouteId(context, "app_quota_id"), filter, context.RequestAborted);
            return ApigHttp.Json(list, AppQuotaJsonContext.Default.AppQuotaAppList);
        });

        instance.MapPost("/app-quotas/{app_quota_id}/binding-apps", async (HttpContext context, AppQuotaManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var quotaId = ApigHttp.RouteId(context, "app_quota_id");
            var request = await ApigHttp.ReadBodyAsync(context, AppQuotaJsonContext.Default.AppQuotaBindRequest);
            var result = await manager.BindAppsAsync(scope, quotaId, request, context.RequestAborted);
            return ApigHttp.Json(result, AppQuotaJsonContext.Default.AppQuotaBindResult, StatusCodes.Status201Created);
        });

        instance.MapDelete("/app-quotas/{app_quota_id}/bound-apps/{app_id}", async (HttpContext context, AppQuotaManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            await manager.UnbindAppAsync(scope, ApigHttp.RouteId(context, "app_quota_id"), ApigHttp.RouteId(context, "app_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet("/app-quotas/{app_quota_id}/bindable-apps", async (HttpContext context, AppQuotaManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var filter = new AppQuotaAppFilter(ApigHttp.Page(context), ApigHttp.Query(context, "app_name"));
            var list = await manager.ListBindableAppsAsync(scope, ApigHttp.RouteId(context, "app_quota_id"), filter, context.RequestAborted);
            return ApigHttp.Json(list, AppQuotaJsonContext.Default.AppQuotaAppList);
        });
    }
}
