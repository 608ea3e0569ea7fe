using Gateway.Apig.GatewayResponses;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.19 group gateway responses.</summary>
internal static class GatewayResponseEndpoints
{
    private const string Responses = "/api-groups/{group_id}/gateway-responses";

    public static void Map(RouteGroupBuilder instance)
    {
        instance.MapPost(Responses, async (HttpContext context, GatewayResponseManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var groupId = ApigHttp.RouteId(context, "group_id");
            var request = await ApigHttp.ReadBodyAsync(context, GatewayResponseJsonContext.Default.GatewayResponseRequest);
            var response = await manager.CreateAsync(scope, groupId, request, context.RequestAborted);
            return ApigHttp.Json(response, GatewayResponseJsonContext.Default.GatewayResponseView, StatusCodes.Status201Created);
        });

        instance.MapGet(Responses, async (HttpContext context, GatewayResponseManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var list = await manager.ListAsync(scope, ApigHttp.RouteId(context, "group_id"), ApigHttp.Page(context), context.RequestAborted);
            return ApigHttp.Json(list, GatewayResponseJsonContext.Default.GatewayResponseList);
        });

        instance.MapGet(Responses + "/{response_id}", async (HttpContext context, GatewayResponseManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var response = await manager.GetAsync(scope, ApigHttp.RouteId(context, "group_id"), ApigHttp.RouteId(context, "response_id"), context.RequestAborted);
            return ApigHttp.Json(response, GatewayResponseJsonContext.Default.GatewayResponseView);
        });

        instance.MapPut(Responses + "/{response_id}", async (HttpContext context, GatewayResponseManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var groupId = ApigHttp.RouteId(context, "group_id");
            var responseId = ApigHttp.RouteId(context, "response_id");
            var request = await ApigHttp.ReadBodyAsync(context, GatewayResponseJsonContext.Default.GatewayResponseRequest);
            var response = await manager.UpdateAsync(scope, groupId, responseId, request, context.RequestAborted);
            return ApigHttp.Json(response, GatewayResponseJsonContext.Default.GatewayResponseView);
        });

        instance.MapDelete(Responses + "/{response_id}", async (HttpContext context, GatewayResponseManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            await manager.DeleteAsync(scope, ApigHttp.RouteId(context, "group_id"), ApigHttp.RouteId(context, "response_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet(Responses + "/{response_id}/{response_type}", async (HttpContext context, GatewayResponseManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var groupId = ApigHttp.RouteId(context, "group_id");
            var responseId = ApigHttp.RouteId(context, "response_id");
            var entry = await manager.GetTypeAsync(scope, groupId, responseId, ResponseType(context), context.RequestAborted);
            return ApigHttp.Json(entry, GatewayResponseJsonContext.Default.DictionaryStringResponseInfoResp);
        });

        instance.MapPut(Responses + "/{response_id}/{response_type}", async (HttpContext context, GatewayResponseManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var groupId = ApigHttp.RouteId(context, "group_id");
            var responseId = ApigHttp.RouteId(context, "response_id");
            var type = ResponseType(context);
            var request = await ApigHttp.ReadBodyAsync(context, GatewayResponseJsonContext.Default.ResponseInfoInput);
            var entry = await manager.UpdateTypeAsync(scope, groupId, responseId, type, request, context.RequestAborted);
            return ApigHttp.Json(entry, GatewayResponseJsonContext.Default.DictionaryStringResponseInfoResp);
        });

        instance.MapDelete(Responses + "/{response_id}/{response_type}", async (HttpContext context, GatewayResponseManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var groupId = ApigHttp.RouteId(context, "group_id");
            var responseId = ApigHttp.RouteId(context, "response_id");
            await manager.DeleteTypeAsync(scope, groupId, responseId, ResponseType(context), context.RequestAborted);
            return Results.NoContent();
        });
    }

    /// <summary>The raw error type of the path; the manager checks it against the documented enum.</summary>
    private static string? ResponseType(HttpContext context) => context.GetRouteValue("response_type") as string;
}
