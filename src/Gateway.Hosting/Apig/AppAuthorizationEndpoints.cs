using Gateway.Apig.AppAuthorizations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.10 APP authorization.</summary>
internal static class AppAuthorizationEndpoints
{
    public static void Map(RouteGroupBuilder instance)
    {
        instance.MapPost("/app-auths", async (HttpContext context, AppAuthorizationManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, AppAuthorizationJsonContext.Default.AppAuthorizationRequest);
            var result = await manager.AuthorizeAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(result, AppAuthorizationJsonContext.Default.AppAuthorizationResult, StatusCodes.Status201Created);
        });

        instance.MapDelete("/app-auths/{app_auth_id}", async (HttpContext context, AppAuthorizationManager manager) =>
        {
            await manager.RevokeAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "app_auth_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet("/app-auths/binded-apis", async (HttpContext context, AppAuthorizationManager manager) =>
        {
            var filter = new AuthorizedApiFilter
            {
                Page = ApigHttp.Page(context),
                AppId = ApigHttp.Query(context, "app_id"),
                ApiId = ApigHttp.Query(context, "api_id"),
                ApiName = ApigHttp.Query(context, "api_name"),
                GroupId = ApigHttp.Query(context, "group_id"),
                GroupName = ApigHttp.Query(context, "group_name"),
                EnvId = ApigHttp.Query(context, "env_id"),
            };
            var list = await manager.ListAuthorizedApisAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, AppAuthorizationJsonContext.Default.ApiAuthInfoList);
        });

        instance.MapGet("/app-auths/unbinded-apis", async (HttpContext context, AppAuthorizationManager manager) =>
        {
            var filter = new UnauthorizedApiFilter
            {
                Page = ApigHttp.Page(context),
                AppId = ApigHttp.Query(context, "app_id"),
                EnvId = ApigHttp.Query(context, "env_id"),
                GroupId = ApigHttp.Query(context, "group_id"),
                ApiId = ApigHttp.Query(context, "api_id"),
                ApiName = ApigHttp.Query(context, "api_name"),
            };
            var list = await manager.ListUnauthorizedApisAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, AppAuthorizationJsonContext.Default.ApiOutlineList);
        });

        instance.MapGet("/app-auths/binded-apps", async (HttpContext context, AppAuthorizationManager manager) =>
        {
            var filter = new AuthorizedAppFilter
            {
                Page = ApigHttp.Page(context),
                ApiId = ApigHttp.Query(context, "api_id"),
                AppName = ApigHttp.Query(context, "app_name"),
                AppId = ApigHttp.Query(context, "app_id"),
                EnvId = ApigHttp.Query(context, "env_id"),
            };
            var list = await manager.ListAuthorizedAppsAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, AppAuthorizationJsonContext.Default.ApiAuthInfoList);
        });
    }
}
