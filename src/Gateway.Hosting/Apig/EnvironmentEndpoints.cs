using Gateway.Apig.Environments;
using Gateway.Apig.Variables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.2 environments and 3.3 environment variables.</summary>
internal static class EnvironmentEndpoints
{
    public static void Map(RouteGroupBuilder instance)
    {
        instance.MapPost("/envs", async (HttpContext context, EnvironmentManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, EnvironmentJsonContext.Default.EnvironmentRequest);
            var environment = await manager.CreateAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(environment, EnvironmentJsonContext.Default.ApigEnvironment, StatusCodes.Status201Created);
        });

        instance.MapPut("/envs/{env_id}", async (HttpContext context, EnvironmentManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var envId = ApigHttp.RouteId(context, "env_id");
            var request = await ApigHttp.ReadBodyAsync(context, EnvironmentJsonContext.Default.EnvironmentRequest);
            var environment = await manager.UpdateAsync(scope, envId, request, context.RequestAborted);
            return ApigHttp.Json(environment, EnvironmentJsonContext.Default.ApigEnvironment);
        });

        instance.MapDelete("/envs/{env_id}", async (HttpContext context, EnvironmentManager manager) =>
        {
            await manager.DeleteAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "env_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet("/envs", async (HttpContext context, EnvironmentManager manager) =>
        {
            var list = await manager.ListAsync(ApigHttp.Scope(context), ApigHttp.Page(context), ApigHttp.Query(context, "name"), context.RequestAborted);
            return ApigHttp.Json(list, EnvironmentJsonContext.Default.EnvironmentList);
        });

        instance.MapPost("/env-variables", async (HttpContext context, VariableManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, VariableJsonContext.Default.CreateVariableRequest);
            var variable = await manager.CreateAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(variable, VariableJsonContext.Default.EnvironmentVariable, StatusCodes.Status201Created);
        });

        instance.MapPut("/env-variables/{env_variable_id}", async (HttpContext context, VariableManager manager) =>
        {
            var scope = ApigHttp.Scope(context);
            var variableId = ApigHttp.RouteId(context, "env_variable_id");
            var request = await ApigHttp.ReadBodyAsync(context, VariableJsonContext.Default.UpdateVariableRequest);
            var variable = await manager.UpdateAsync(scope, variableId, request, context.RequestAborted);
            return ApigHttp.Json(variable, VariableJsonContext.Default.EnvironmentVariable);
        });

        instance.MapDelete("/env-variables/{env_variable_id}", async (HttpContext context, VariableManager manager) =>
        {
            await manager.DeleteAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "env_variable_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet("/env-variables/{env_variable_id}", async (HttpContext context, VariableManager manager) =>
        {
            var variable = await manager.GetAsync(ApigHttp.Scope(context), ApigHttp.RouteId(context, "env_variable_id"), context.RequestAborted);
            return ApigHttp.Json(variable, VariableJsonContext.Default.EnvironmentVariable);
        });

        instance.MapGet("/env-variables", async (HttpContext context, VariableManager manager) =>
        {
            var filter = new VariableListFilter(
                ApigHttp.Page(context),
                ApigHttp.Query(context, "group_id"),
                ApigHttp.Query(context, "env_id"),
                ApigHttp.Query(context, "variable_name"),
                ApigHttp.Query(context, "precise_search"));
            var list = await manager.ListAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, VariableJsonContext.Default.EnvironmentVariableList);
        });
    }
}
