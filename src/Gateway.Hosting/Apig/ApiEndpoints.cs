using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.5 APIs (being built).</summary>
internal static class ApiEndpoints
{
    public static void Map(RouteGroupBuilder instance)
    {
        _ = instance;
    }
}
