using Gateway.Apig.Authorizers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.15 custom authorizers.</summary>
internal static class AuthorizerEndpoints
{
    public static void Map(RouteGroupBuilder instance)
    {
        instance.MapPost("/authorizers", async (HttpContext context, AuthorizerManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, AuthorizerJsonContext.Default.AuthorizerRequest);
            var authorizer = await manager.CreateAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(authorizer, AuthorizerJsonContext.Default.Authorizer, StatusCodes.Status201Created);
        });

        instance.MapPut("/authorizers/{authorizer_id}", async (HttpContext context, AuthorizerManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var authorizerId = ApigHttp.RouteId(context, "authorizer_id");
            var request = await ApigHttp.ReadBodyAsync(context, AuthorizerJsonContext.Default.AuthorizerRequest);
            var authorizer = await manager.UpdateAsync(scope, authorizerId, request, context.RequestAborted);
            return ApigHttp.Json(authorizer, AuthorizerJsonContext.Default.Authorizer);
        });

        instance.MapDelete("/authorizers/{authorizer_id}", async (HttpContext context, AuthorizerManager manager) =>
        {
            await manager.DeleteAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "authorizer_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet("/authorizers/{authorizer_id}", async (HttpContext context, AuthorizerManager manager) =>
        {
            var authorizer = await manager.GetAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "authorizer_id"), context.RequestAborted);
            return ApigHttp.Json(authorizer, AuthorizerJsonContext.Default.Authorizer);
        });

        instance.MapGet("/authorizers", async (HttpContext context, AuthorizerManager manager) =>
        {
            var filter = new AuthorizerListFilter(
                ApigHttp.Page(context),
                ApigHttp.Query(context, "id"),
                ApigHttp.Query(context, "name"),
                ApigHttp.Query(context, "type"));
            var list = await manager.ListAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, AuthorizerJsonContext.Default.AuthorizerListResponse);
        });
    }
}
