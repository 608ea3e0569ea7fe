using Gateway.Apig.Common;
using Gateway.Apig.Instances;
using Gateway.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.23.1, 3.23.2, 3.23.14, 3.23.15: instance lifecycle.</summary>
internal static class InstanceEndpoints
{
    public static void Map(RouteGroupBuilder project)
    {
        project.MapPost("/instances", async (HttpContext context, InstanceManager manager) =>
        {
            var projectId = ProjectId(context);
            var request = await ApigHttp.ReadBodyAsync(context, InstanceJsonContext.Default.CreateInstanceRequest);
            var created = await manager.CreateAsync(projectId, request, context.RequestAborted);
            return ApigHttp.Json(created, InstanceJsonContext.Default.CreateInstanceResponse, StatusCodes.Status202Accepted);
        });

        project.MapGet("/instances", async (HttpContext context, InstanceManager manager) =>
        {
            var filter = new InstanceListFilter(
                ListQuery.Create(QueryLong(context, "offset"), QueryLong(context, "limit")),
                ApigHttp.Query(context, "instance_id"),
                ApigHttp.Query(context, "instance_name"),
                ApigHttp.Query(context, "status"));
            var list = await manager.ListAsync(ProjectId(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, InstanceJsonContext.Default.InstanceList);
        });

        project.MapGet("/instances/{instance_id}", async (HttpContext context, InstanceManager manager) =>
        {
            var instance = await manager.GetAsync(ProjectId(context), InstanceId(context), context.RequestAborted);
            return ApigHttp.Json(instance, InstanceJsonContext.Default.Instance);
        });

        project.MapDelete("/instances/{instance_id}", async (HttpContext context, InstanceManager manager) =>
        {
            await manager.DeleteAsync(ProjectId(context), InstanceId(context), context.RequestAborted);
            return Results.NoContent();
        });
    }

    private static string ProjectId(HttpContext context) => Id(context, "project_id");

    private static string InstanceId(HttpContext context) => Id(context, "instance_id");

    private static string Id(HttpContext context, string name)
    {
        var value = context.GetRouteValue(name) as string;
        return !string.IsNullOrEmpty(value) && ApigPatterns.ResourceId().IsMatch(value) ? value : throw ApicErrors.Invalid(name);
    }

    private static long? QueryLong(HttpContext context, string name)
    {
        try
        {
            return ApigHttp.QueryLong(context, name);
        }
        catch (ApiErrorException)
        {
            throw ApicErrors.Invalid(name);
        }
    }
}
