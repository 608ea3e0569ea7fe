using Gateway.Apig.AppQuotas;
using Gateway.Apig.Apps;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.28 credentials: APPs, AppCodes, the APP's bound quota and APP access control.</summary>
internal static class AppEndpoints
{
    public static void Map(RouteGroupBuilder instance)
    {
        instance.MapPost("/apps", async (HttpContext context, AppManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, AppJsonContext.Default.AppRequest);
            var app = await manager.CreateAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(app, AppJsonContext.Default.App, StatusCodes.Status201Created);
        });

        // 3.28.2 answers 201, as documented.
        instance.MapPut("/apps/{app_id}", async (HttpContext context, AppManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var appId = ApigHttp.RouteId(context, "app_id");
            var request = await ApigHttp.ReadBodyAsync(context, AppJsonContext.Default.AppRequest);
            var app = await manager.UpdateAsync(scope, appId, request, context.RequestAborted);
            return ApigHttp.Json(app, AppJsonContext.Default.App, StatusCodes.Status201Created);
        });

        instance.MapDelete("/apps/{app_id}", async (HttpContext context, AppManager manager) =>
        {
            await manager.DeleteAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "app_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapPut("/apps/secret/{app_id}", async (HttpContext context, AppManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var appId = ApigHttp.RouteId(context, "app_id");
            var request = await ReadOptionalBodyAsync(context);
            var app = await manager.ResetSecretAsync(scope, appId, request, context.RequestAborted);
            return ApigHttp.Json(app, AppJsonContext.Default.App);
        });

        instance.MapGet("/apps/validation/{app_id}", async (HttpContext context, AppManager manager) =>
        {
            var summary = await manager.CheckAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "app_id"), context.RequestAborted);
            return ApigHttp.Json(summary, AppJsonContext.Default.AppSummary);
        });

        instance.MapGet("/apps/{app_id}", async (HttpContext context, AppManager manager) =>
        {
            var app = await manager.GetAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "app_id"), context.RequestAborted);
            return ApigHttp.Json(app, AppJsonContext.Default.App);
        });

        instance.MapGet("/apps", async (HttpContext context, AppManager manager) =>
        {
            var filter = new AppListFilter
            {
                Page = ApigHttp.Page(context),
                Id = ApigHttp.Query(context, "id"),
                Name = ApigHttp.Query(context, "name"),
                Status = ApigHttp.QueryInt(context, "status"),
                AppKey = ApigHttp.Query(context, "app_key"),
                Creator = ApigHttp.Query(context, "creator"),
                PreciseSearch = ApigHttp.Query(context, "precise_search"),
            };
            var list = await manager.ListAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, AppJsonContext.Default.AppList);
        });

        MapAppCodes(instance);
        MapAccessControl(instance);

        instance.MapGet("/apps/{app_id}/bound-quota", async (HttpContext context, AppQuotaManager manager) =>
        {
            var quota = await manager.GetBoundQuotaAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "app_id"), context.RequestAborted);
            return quota is null
                ? ApigHttp.Json(new NoAppQuota(), AppQuotaJsonContext.Default.NoAppQuota)
                : ApigHttp.Json(quota, AppQuotaJsonContext.Default.AppQuota);
        });
    }

    private static void MapAppCodes(RouteGroupBuilder instance)
    {
        instance.MapPost("/apps/{app_id}/app-codes", async (HttpContext context, AppCodeManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var appId = ApigHttp.RouteId(context, "app_id");
            var request = await ApigHttp.ReadBodyAsync(context, AppJsonContext.Default.AppCodeRequest);
            var appCode = await manager.CreateAsync(scope, appId, request, context.RequestAborted);
            return ApigHttp.Json(appCode, AppJsonContext.Default.AppCodeInfo, StatusCodes.Status201Created);
        });

        // 3.28.9 takes no body; any body sent is ignored.
        instance.MapPut("/apps/{app_id}/app-codes", async (HttpContext context, AppCodeManager manager) =>
        {
            var appCode = await manager.GenerateAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "app_id"), context.RequestAborted);
            return ApigHttp.Json(appCode, AppJsonContext.Default.AppCodeInfo, StatusCodes.Status201Created);
        });

        instance.MapDelete("/apps/{app_id}/app-codes/{app_code_id}", async (HttpContext context, AppCodeManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            await manager.DeleteAsync(scope, ApigHttp.RouteId(context, "app_id"), ApigHttp.RouteId(context, "app_code_id"), context.RequestAborted);
            return Results.NoContent();
        });

        // 3.28.11 answers 201, as documented.
        instance.MapGet("/apps/{app_id}/app-codes/{app_code_id}", async (HttpContext context, AppCodeManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var appCode = await manager.GetAsync(scope, ApigHttp.RouteId(context, "app_id"), ApigHttp.RouteId(context, "app_code_id"), context.RequestAborted);
            return ApigHttp.Json(appCode, AppJsonContext.Default.AppCodeInfo, StatusCodes.Status201Created);
        });

        instance.MapGet("/apps/{app_id}/app-codes", async (HttpContext context, AppCodeManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var list = await manager.ListAsync(scope, ApigHttp.RouteId(context, "app_id"), ApigHttp.Page(context), context.RequestAborted);
            return ApigHttp.Json(list, AppJsonContext.Default.AppCodeList);
        });
    }

    private static void MapAccessControl(RouteGroupBuilder instance)
    {
        // 3.28.14 answers 201, as documented.
        instance.MapPut("/apps/{app_id}/app-acl", async (HttpContext context, AppAclManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var appId = ApigHttp.RouteId(context, "app_id");
            var request = await ApigHttp.ReadBodyAsync(context, AppJsonContext.Default.AppAclRequest);
            var acl = await manager.SetAsync(scope, appId, request, context.RequestAborted);
            return ApigHttp.Json(acl, AppJsonContext.Default.AppAcl, StatusCodes.Status201Created);
        });

        instance.MapGet("/apps/{app_id}/app-acl", async (HttpContext context, AppAclManager manager) =>
        {
            var acl = await manager.GetAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "app_id"), context.RequestAborted);
            return ApigHttp.Json(acl, AppJsonContext.Default.AppAcl);
        });

        instance.MapDelete("/apps/{app_id}/app-acl", async (HttpContext context, AppAclManager manager) =>
        {
            await manager.DeleteAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "app_id"), context.RequestAborted);
            return Results.NoContent();
        });
    }

    /// <summary>The 3.28.4 body is optional: no body at all means "generate a secret".</summary>
    private static async Task<ResetAppSecretRequest> ReadOptionalBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength == 0)
        {
            return new ResetAppSecretRequest();
        }

        context.Request.EnableBuffering();
        var probe = new byte[1];
        if (await context.Request.Body.ReadAsync(probe, context.RequestAborted) == 0)
        {
            return new ResetAppSecretRequest();
        }

        context.Request.Body.Position = 0;
        return await ApigHttp.ReadBodyAsync(context, AppJsonContext.Default.ResetAppSecretRequest);
    }
}
