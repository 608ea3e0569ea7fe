using Gateway.Apig.Apis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.5 APIs (all operations but 3.5.8 debug).</summary>
internal static class ApiEndpoints
{
    public static void Map(RouteGroupBuilder instance)
    {
        instance.MapPost("/apis", async (HttpContext context, ApiManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, ApiJsonContext.Default.ApiRequest);
            var api = await manager.CreateAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(api, ApiJsonContext.Default.Api, StatusCodes.Status201Created);
        });

        instance.MapPut("/apis/{api_id}", async (HttpContext context, ApiManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var apiId = ApigHttp.RouteId(context, "api_id");
            var request = await ApigHttp.ReadBodyAsync(context, ApiJsonContext.Default.ApiRequest);
            var api = await manager.UpdateAsync(scope, apiId, request, context.RequestAborted);
            return ApigHttp.Json(api, ApiJsonContext.Default.Api);
        });

        instance.MapDelete("/apis/{api_id}", async (HttpContext context, ApiManager manager) =>
        {
            await manager.DeleteAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "api_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet("/apis/{api_id}", async (HttpContext context, ApiManager manager) =>
        {
            var api = await manager.GetAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "api_id"), context.RequestAborted);
            return ApigHttp.Json(api, ApiJsonContext.Default.Api);
        });

        instance.MapGet("/apis", async (HttpContext context, ApiManager manager) =>
        {
            var filter = new ApiListFilter
            {
                Page = ApigHttp.Page(context),
                Id = ApigHttp.Query(context, "id"),
                Name = ApigHttp.Query(context, "name"),
                GroupId = ApigHttp.Query(context, "group_id"),
                ReqProtocol = ApigHttp.Query(context, "req_protocol"),
                ReqMethod = ApigHttp.Query(context, "req_method"),
                ReqUri = ApigHttp.Query(context, "req_uri"),
                AuthType = ApigHttp.Query(context, "auth_type"),
                EnvId = ApigHttp.Query(context, "env_id"),
                Type = ApigHttp.QueryInt(context, "type"),
                PreciseSearch = ApigHttp.Query(context, "precise_search"),
                VpcChannelName = ApigHttp.Query(context, "vpc_channel_name"),
                ReturnDataMode = ApigHttp.Query(context, "return_data_mode"),
            };
            var list = await manager.ListAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, ApiJsonContext.Default.ApiList);
        });

        instance.MapPost("/apis/check", async (HttpContext context, ApiManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, ApiJsonContext.Default.ApiCheckRequest);
            await manager.CheckAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapPost("/apis/action", async (HttpContext context, ApiManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, ApiJsonContext.Default.PublishRequest);
            var result = await manager.PublishAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(result, ApiJsonContext.Default.PublishResult, StatusCodes.Status201Created);
        });

        instance.MapPost("/apis/debug/{api_id}", async (HttpContext context, ApiDebugger debugger) =>
        {
            var scope = ApigHttp.Scope(context);
            var apiId = ApigHttp.RouteId(context, "api_id");
            var request = await ApigHttp.ReadBodyAsync(context, Gateway.Apig.Debugging.ApiDebugJsonContext.Default.ApiDebugRequest);
            var result = await debugger.DebugAsync(scope, apiId, request, context.RequestAborted);
            return ApigHttp.Json(result, Gateway.Apig.Debugging.ApiDebugJsonContext.Default.ApiDebugResult);
        });

        instance.MapPost("/apis/publish", async (HttpContext context, ApiManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, ApiJsonContext.Default.BatchPublishRequest);
            var action = ApigHttp.Query(context, "action");
            var result = await manager.BatchPublishAsync(ApigHttp.Scope(context), action, request, context.RequestAborted);
            return ApigHttp.Json(result, ApiJsonContext.Default.BatchPublishResult);
        });

        instance.MapGet("/apis/publish/{api_id}", async (HttpContext context, ApiManager manager) =>
        {
            var filter = new ApiVersionFilter(ApigHttp.Page(context), ApigHttp.Query(context, "env_id"), ApigHttp.Query(context, "env_name"));
            var list = await manager.ListVersionsAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "api_id"), filter, context.RequestAborted);
            return ApigHttp.Json(list, ApiJsonContext.Default.ApiVersionList);
        });

        instance.MapPut("/apis/publish/{api_id}", async (HttpContext context, ApiManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var apiId = ApigHttp.RouteId(context, "api_id");
            var request = await ApigHttp.ReadBodyAsync(context, ApiJsonContext.Default.SwitchVersionRequest);
            var result = await manager.SwitchVersionAsync(scope, apiId, request, context.RequestAborted);
            return ApigHttp.Json(result, ApiJsonContext.Default.PublishResult);
        });

        instance.MapGet("/apis/runtime/{api_id}", async (HttpContext context, ApiManager manager) =>
        {
            var definition = await manager.GetRuntimeDefinitionAsync(
                ApigHttp.Scope(context), ApigHttp.RouteId(context, "api_id"), ApigHttp.Query(context, "env_id"), context.RequestAborted);
            return ApigHttp.Json(definition, ApiJsonContext.Default.ApiRuntimeDefinition);
        });

        instance.MapGet("/apis/versions/{version_id}", async (HttpContext context, ApiManager manager) =>
        {
            var api = await manager.GetVersionAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "version_id"), context.RequestAborted);
            return ApigHttp.Json(api, ApiJsonContext.Default.Api);
        });

        instance.MapDelete("/apis/versions/{version_id}", async (HttpContext context, ApiManager manager) =>
        {
            await manager.OfflineVersionAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "version_id"), context.RequestAborted);
            return Results.NoContent();
        });
    }
}
