using System.IO.Pipelines;
using System.Net;
using System.Text;
using Gateway.Apig.Apis;
using Gateway.Apig.Environments;
using Gateway.Apig.Groups;
using Gateway.Apig.Runtime;
using Gateway.Apig.VpcChannels;
using Gateway.Net.Balancing;
using Gateway.Net.DataPlane;
using Gateway.Net.Health;
using Gateway.Net.Routing;
using Gateway.Net.Upstream;

namespace Gateway.Net.Tests.Balancing;

/// <summary>Runtime models with VPC channels and policy backends, compiled and served over in-memory pipes.</summary>
internal static class ChannelModels
{
    public const string Now = "2026-01-01T00:00:00.0000000Z";

    public static VpcChannel Channel(string id, int strategy = 1, int port = 8080) => new()
    {
        Id = id,
        Name = id,
        Port = port,
        BalanceStrategy = strategy,
        MemberType = "ip",
        Type = 2,
        CreateTime = Now,
    };

    public static VpcMember Member(string channelId, string id, string host, int weight, int status = 1, int port = 0, bool backup = false, string groupId = "") => new()
    {
        Id = id,
        VpcChannelId = channelId,
        Host = host,
        Weight = weight,
        Status = status,
        Port = port,
        IsBackup = backup,
        EcsId = host,
        EcsName = host,
        CreateTime = Now,
        MemberGroupId = groupId,
    };

    public static VpcMemberGroup Group(string channelId, string id, int? weight) => new()
    {
        MemberGroupId = id,
        MemberGroupName = id,
        MemberGroupWeight = weight,
        VpcChannelId = channelId,
        CreateTime = Now,
        UpdateTime = Now,
    };

    public static Api HttpApi(string id, string path, string channelId) => Base(id, path) with
    {
        BackendType = "HTTP",
        BackendApi = new BackendApi
        {
            Id = "b-" + id,
            ReqProtocol = "HTTP",
            ReqMethod = "GET",
            ReqUri = "/backend",
            Timeout = 5000,
            UrlDomain = channelId,
            VpcChannelStatus = 1,
            VpcChannelInfo = new VpcInfo { VpcChannelId = channelId },
            RegisterTime = Now,
            UpdateTime = Now,
        },
    };

    public static Api MockApi(string id, string path, string body) => Base(id, path) with
    {
        BackendType = "MOCK",
        MockInfo = new MockInfo { Id = "m-" + id, ResultContent = body, RegisterTime = Now, UpdateTime = Now },
    };

    private static Api Base(string id, string path) => new()
    {
        Id = id,
        Name = id,
        Type = 1,
        ReqProtocol = "HTTP",
        ReqMethod = "ANY",
        ReqUri = path,
        AuthType = "NONE",
        AuthOpt = new AuthOpt { AppCodeAuthType = "DISABLE" },
        MatchMode = "NORMAL",
        BackendType = "MOCK",
        GroupId = "g0",
        RegisterTime = Now,
        UpdateTime = Now,
        ReqParams = [],
        BackendParams = [],
    };

    public static ApigRuntimeModel Model(IEnumerable<Api> apis, IEnumerable<VpcChannel>? channels = null, IEnumerable<VpcMember>? members = null, IEnumerable<VpcMemberGroup>? groups = null)
    {
        var group = ApiGroupManager.NewGroup(new Gateway.Apig.ApigOptions(), "g0", "group", null, isDefault: true, Now);
        var release = EnvironmentManager.NewReleaseEnvironment(Now);
        return new ApigRuntimeModel(1, "instance", [group], [release], [], [.. apis.Select((api, i) => new RuntimeApi(api, release, $"v{i}"))])
        {
            VpcChannels = [.. channels ?? []],
            VpcMembers = [.. members ?? []],
            VpcMemberGroups = [.. groups ?? []],
        };
    }

    public static DataPlaneSnapshot Compile(ApigRuntimeModel model, MemberHealthRegistry? health = null) =>
        new DataPlaneCompiler(new UpstreamRegistry(), null, health).Compile(model);

    /// <summary>The plan serving <paramref name="path"/> on the default group's RELEASE environment.</summary>
    public static CompiledApi Plan(DataPlaneSnapshot snapshot, string path)
    {
        var captures = new PathCapture[RouteTrie<CompiledApi>.MaxCaptures];
        return snapshot.DefaultGroup!.Find(default)!.Match("GET"u8, Encoding.ASCII.GetBytes(path), captures).Endpoint!;
    }

    /// <summary>Sends one request (Connection: close) through a gateway connection and returns the raw response.</summary>
    public static async Task<string> SendAsync(DataPlaneSnapshot snapshot, string request, IPAddress? remote = null, DataPlaneOptions? options = null)
    {
        var snapshots = new DataPlaneSnapshotSource();
        snapshots.Publish(snapshot);
        var toGateway = new Pipe();
        var fromGateway = new Pipe();
        var connection = new GatewayConnection(snapshots, options ?? new DataPlaneOptions(), remote ?? IPAddress.Loopback);
        var serving = connection.ProcessAsync(new TestDuplexPipe(toGateway.Reader, fromGateway.Writer), CancellationToken.None);
        await toGateway.Writer.WriteAsync(Encoding.ASCII.GetBytes(request));
        await toGateway.Writer.CompleteAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
        var response = new StringBuilder();
        while (true)
        {
            var result = await fromGateway.Reader.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                response.Append(Encoding.UTF8.GetString(segment.Span));
            }

            fromGateway.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return response.ToString();
            }
        }
    }

    /// <summary>The body of a raw response.</summary>
    public static string Body(string response) => response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

    private sealed class TestDuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
