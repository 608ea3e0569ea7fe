using Yarp.ReverseProxy.Configuration;

// A minimal YARP 2.1.0 reverse proxy: every request goes to one backend over pooled keep-alive connections.
// YARP_URL is where it listens, YARP_BACKEND is the backend's base address (both loopback in the load run).
var listenUrl = Environment.GetEnvironmentVariable("YARP_URL") ?? "http://127.0.0.1:18083";
var backend = Environment.GetEnvironmentVariable("YARP_BACKEND") ?? "http://127.0.0.1:18080/";

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(listenUrl);
builder.Services.AddReverseProxy().LoadFromMemory(
    [
        new RouteConfig
        {
            RouteId = "all",
            ClusterId = "backend",
            Match = new RouteMatch { Path = "{**catch-all}" },
        },
    ],
    [
        new ClusterConfig
        {
            ClusterId = "backend",
            Destinations = new Dictionary<string, DestinationConfig>
            {
                ["nginx"] = new DestinationConfig { Address = backend },
            },
        },
    ]);

var app = builder.Build();
app.MapReverseProxy();
app.Run();
