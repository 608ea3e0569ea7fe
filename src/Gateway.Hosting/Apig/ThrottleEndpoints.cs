using Gateway.Apig.Throttles;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.4 throttling policies, 3.8 throttle bindings and 3.9 special throttling settings.</summary>
internal static class ThrottleEndpoints
{
    public static void Map(RouteGroupBuilder instance)
    {
        MapPolicies(instance);
        MapBindings(instance);
        MapSpecials(instance);
    }

    private static void MapPolicies(RouteGroupBuilder instance)
    {
        instance.MapPost("/throttles", async (HttpContext context, ThrottleManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, ThrottleJsonContext.Default.ThrottleRequest);
            var policy = await manager.CreateAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(policy, ThrottleJsonContext.Default.ThrottlePolicy, StatusCodes.Status201Created);
        });

        instance.MapPut("/throttles/{throttle_id}", async (HttpContext context, ThrottleManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var throttleId = ApigHttp.RouteId(context, "throttle_id");
            var request = await ApigHttp.ReadBodyAsync(context, ThrottleJsonContext.Default.ThrottleRequest);
            var policy = await manager.UpdateAsync(scope, throttleId, request, context.RequestAborted);
            return ApigHttp.Json(policy, ThrottleJsonContext.Default.ThrottlePolicy);
        });

        instance.MapDelete("/throttles/{throttle_id}", async (HttpContext context, ThrottleManager manager) =>
        {
            await manager.DeleteAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "throttle_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet("/throttles/{throttle_id}", async (HttpContext context, ThrottleManager manager) =>
        {
            var policy = await manager.GetAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "throttle_id"), context.RequestAborted);
            return ApigHttp.Json(policy, ThrottleJsonContext.Default.ThrottlePolicy);
        });

        instance.MapGet("/throttles", async (HttpContext context, ThrottleManager manager) =>
        {
            var filter = new ThrottleListFilter(
                ApigHttp.Page(context),
                ApigHttp.Query(context, "id"),
                ApigHttp.Query(context, "name"),
                ApigHttp.Query(context, "precise_search"));
            var list = await manager.ListAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, ThrottleJsonContext.Default.ThrottleList);
        });
    }

    private static void MapBindings(RouteGroupBuilder instance)
    {
        instance.MapPost("/throttle-bindings", async (HttpContext context, ThrottleBindingManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, ThrottleJsonContext.Default.ThrottleBindRequest);
            var result = await manager.BindToApisAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(result, ThrottleJsonContext.Default.ThrottleBindResult, StatusCodes.Status201Created);
        });

        instance.MapDelete("/throttle-bindings/{throttle_binding_id}", async (HttpContext context, ThrottleBindingManager manager) =>
        {
            await manager.UnbindAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "throttle_binding_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapPut("/throttle-bindings", async (HttpContext context, ThrottleBindingManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var action = ApigHttp.Query(context, "action");
            var request = await ApigHttp.ReadBodyAsync(context, ThrottleJsonContext.Default.ThrottleBatchUnbindRequest);
            var result = await manager.BatchUnbindAsync(scope, action, request, context.RequestAborted);
            return ApigHttp.Json(result, ThrottleJsonContext.Default.ThrottleBatchUnbindResult);
        });

        instance.MapGet("/throttle-bindings/binded-apis", async (HttpContext context, ThrottleBindingManager manager) =>
        {
            var list = await manager.ListBoundApisAsync(ApigHttp.Scope(context), ApiFilter(context), context.RequestAborted);
            return ApigHttp.Json(list, ThrottleJsonContext.Default.ApiForThrottleList);
        });

        instance.MapGet("/throttle-bindings/unbinded-apis", async (HttpContext context, ThrottleBindingManager manager) =>
        {
            var list = await manager.ListUnboundApisAsync(ApigHttp.Scope(context), ApiFilter(context), context.RequestAborted);
            return ApigHttp.Json(list, ThrottleJsonContext.Default.ApiForThrottleList);
        });

        instance.MapGet("/throttle-bindings/binded-throttles", async (HttpContext context, ThrottleBindingManager manager) =>
        {
            var filter = new BoundThrottleFilter(
                ApigHttp.Page(context),
                ApigHttp.Query(context, "api_id"),
                ApigHttp.Query(context, "throttle_id"),
                ApigHttp.Query(context, "throttle_name"),
                ApigHttp.Query(context, "env_id"));
            var list = await manager.ListBoundThrottlesAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, ThrottleJsonContext.Default.ThrottleForApiList);
        });
    }

    private static void MapSpecials(RouteGroupBuilder instance)
    {
        instance.MapPost("/throttles/{throttle_id}/throttle-specials", async (HttpContext context, SpecialThrottleManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var throttleId = ApigHttp.RouteId(context, "throttle_id");
            var request = await ApigHttp.ReadBodyAsync(context, ThrottleJsonContext.Default.SpecialThrottleRequest);
            var special = await manager.CreateAsync(scope, throttleId, request, context.RequestAborted);
            return ApigHttp.Json(special, ThrottleJsonContext.Default.SpecialThrottle, StatusCodes.Status201Created);
        });

        instance.MapPut("/throttles/{throttle_id}/throttle-specials/{strategy_id}", async (HttpContext context, SpecialThrottleManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var throttleId = ApigHttp.RouteId(context, "throttle_id");
            var specialId = ApigHttp.RouteId(context, "strategy_id");
            var request = await ApigHttp.ReadBodyAsync(context, ThrottleJsonContext.Default.SpecialThrottleUpdateRequest);
            var special = await manager.UpdateAsync(scope, throttleId, specialId, request, context.RequestAborted);
            return ApigHttp.Json(special, ThrottleJsonContext.Default.SpecialThrottle);
        });

        instance.MapDelete("/throttles/{throttle_id}/throttle-specials/{strategy_id}", async (HttpContext context, SpecialThrottleManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            await manager.DeleteAsync(scope, ApigHttp.RouteId(context, "throttle_id"), ApigHttp.RouteId(context, "strategy_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet("/throttles/{throttle_id}/throttle-specials", async (HttpContext context, SpecialThrottleManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var throttleId = ApigHttp.RouteId(context, "throttle_id");
            var filter = new SpecialThrottleFilter(
                ApigHttp.Page(context),
                ApigHttp.Query(context, "object_type"),
                ApigHttp.Query(context, "app_name"),
                ApigHttp.Query(context, "user"));
            var list = await manager.ListAsync(scope, throttleId, filter, context.RequestAborted);
            return ApigHttp.Json(list, ThrottleJsonContext.Default.SpecialThrottleList);
        });
    }

    private static ThrottleApiFilter ApiFilter(HttpContext context) => new(
        ApigHttp.Page(context),
        ApigHttp.Query(context, "throttle_id"),
        ApigHttp.Query(context, "env_id"),
        ApigHttp.Query(context, "group_id"),
        ApigHttp.Query(context, "api_id"),
        ApigHttp.Query(context, "api_name"));
}
