using Gateway.Apig.Signatures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.6 signature keys and 3.7 signature-key bindings.</summary>
internal static class SignatureEndpoints
{
    public static void Map(RouteGroupBuilder instance)
    {
        instance.MapPost("/signs", async (HttpContext context, SignatureKeyManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, SignatureJsonContext.Default.SignatureKeyRequest);
            var key = await manager.CreateAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(key, SignatureJsonContext.Default.SignatureKey, StatusCodes.Status201Created);
        });

        instance.MapPut("/signs/{sign_id}", async (HttpContext context, SignatureKeyManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var signId = ApigHttp.RouteId(context, "sign_id");
            var request = await ApigHttp.ReadBodyAsync(context, SignatureJsonContext.Default.SignatureKeyRequest);
            var key = await manager.UpdateAsync(scope, signId, request, context.RequestAborted);
            return ApigHttp.Json(key, SignatureJsonContext.Default.SignatureKey);
        });

        instance.MapDelete("/signs/{sign_id}", async (HttpContext context, SignatureKeyManager manager) =>
        {
            await manager.DeleteAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "sign_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet("/signs", async (HttpContext context, SignatureKeyManager manager) =>
        {
            var filter = new SignatureKeyListFilter(
                ApigHttp.Page(context),
                ApigHttp.Query(context, "id"),
                ApigHttp.Query(context, "name"),
                ApigHttp.Query(context, "precise_search"));
            var list = await manager.ListAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, SignatureJsonContext.Default.SignatureKeyList);
        });

        instance.MapPost("/sign-bindings", async (HttpContext context, SignBindingManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, SignatureJsonContext.Default.BindSignRequest);
            var result = await manager.BindToPublicationsAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(result, SignatureJsonContext.Default.SignBindResult, StatusCodes.Status201Created);
        });

        instance.MapDelete("/sign-bindings/{sign_bindings_id}", async (HttpContext context, SignBindingManager manager) =>
        {
            await manager.UnbindAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "sign_bindings_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet("/sign-bindings/binded-signs", async (HttpContext context, SignBindingManager manager) =>
        {
            var filter = new BoundSignFilter(
                ApigHttp.Page(context),
                ApigHttp.Query(context, "api_id"),
                ApigHttp.Query(context, "sign_id"),
                ApigHttp.Query(context, "sign_name"),
                ApigHttp.Query(context, "env_id"));
            var list = await manager.ListBoundSignsAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, SignatureJsonContext.Default.SignBindingList);
        });

        instance.MapGet("/sign-bindings/unbinded-apis", async (HttpContext context, SignBindingManager manager) =>
        {
            var list = await manager.ListUnboundApisAsync(ApigHttp.Scope(context), ApiFilter(context), context.RequestAborted);
            return ApigHttp.Json(list, SignatureJsonContext.Default.ApiForSignList);
        });

        instance.MapGet("/sign-bindings/binded-apis", async (HttpContext context, SignBindingManager manager) =>
        {
            var list = await manager.ListBoundApisAsync(ApigHttp.Scope(context), ApiFilter(context), context.RequestAborted);
            return ApigHttp.Json(list, SignatureJsonContext.Default.SignBindingList);
        });
    }

    private static SignApiFilter ApiFilter(HttpContext context) => new(
        ApigHttp.Page(context),
        ApigHttp.Query(context, "sign_id"),
        ApigHttp.Query(context, "env_id"),
        ApigHttp.Query(context, "api_id"),
        ApigHttp.Query(context, "api_name"),
        ApigHttp.Query(context, "group_id"));
}
