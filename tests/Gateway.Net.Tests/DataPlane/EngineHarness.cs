using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Gateway.Apig.Apis;
using Gateway.Apig.Environments;
using Gateway.Apig.Groups;
using Gateway.Apig.Runtime;
using Gateway.Net.DataPlane;
using Gateway.Net.Http.Parsing;
using Gateway.Net.Upstream;

namespace Gateway.Net.Tests.DataPlane;

/// <summary>Runs one <see cref="GatewayConnection"/> over in-memory pipes on a snapshot compiled from the given APIs.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private const string Now = "2026-01-01T00:00:00.0000000Z";
    private readonly Pipe _toGateway = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Pipe _fromGateway = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Task _connection;

    private EngineHarness(DataPlaneSnapshotSource snapshots)
    {
        var gateway = new GatewayConnection(snapshots, new DataPlaneOptions(), System.Net.IPAddress.Loopback);
        _connection = gateway.ProcessAsync(new DuplexPipe(_toGateway.Reader, _fromGateway.Writer), CancellationToken.None);
    }

    public static string GroupId => "g0";

    public static Api MockApi(string id, string method, string uri, bool cors = false, string body = "ok") => new()
    {
        Id = id,
        Name = id,
        Type = 1,
        ReqProtocol = "HTTP",
        ReqMethod = method,
        ReqUri = uri,
        AuthType = "NONE",
        AuthOpt = new AuthOpt { AppCodeAuthType = "DISABLE" },
        MatchMode = "NORMAL",
        BackendType = "MOCK",
        GroupId = GroupId,
        RegisterTime = Now,
        UpdateTime = Now,
        Cors = cors,
        MockInfo = new MockInfo { Id = "m", RegisterTime = Now, UpdateTime = Now, ResultContent = body },
        ReqParams = [],
        BackendParams = [],
    };

    public static EngineHarness Start(params Api[] apis)
    {
        var group = ApiGroupManager.NewGroup(new Gateway.Apig.ApigOptions(), GroupId, "harness", null, isDefault: true, Now);
        var release = EnvironmentManager.NewReleaseEnvironment(Now);
        var model = new ApigRuntimeModel(1, "instance", [group], [release], [], [.. apis.Select(api => new RuntimeApi(api with { GroupId = group.Id }, release, "v1"))]);
        var snapshots = new DataPlaneSnapshotSource();
        snapshots.Publish(new DataPlaneCompiler(new UpstreamRegistry()).Compile(model));
        return new EngineHarness(snapshots);
    }

    /// <summary>Sends one request and returns the response head (status line and fields) and body.</summary>
    public async Task<(int Status, Dictionary<string, string> Headers, string Body)> SendAsync(string request)
    {
        await _toGateway.Writer.WriteAsync(Encoding.ASCII.GetBytes(request));
        var reader = _fromGateway.Reader;
        while (true)
        {
            var result = await reader.ReadAsync();
            var text = Encoding.UTF8.GetString(result.Buffer.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var lines = text[..end].Split("\r\n");
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':');
                    headers[line[..colon]] = line[(colon + 1)..].Trim();
                }

                var length = headers.TryGetValue("Content-Length", out var value) ? int.Parse(value) : 0;
                if (text.Length >= end + 4 + length)
                {
                    reader.AdvanceTo(result.Buffer.GetPosition(Encoding.UTF8.GetByteCount(text[..(end + 4 + length)])));
                    return (int.Parse(lines[0].Split(' ')[1]), headers, text.Substring(end + 4, length));
                }
            }

            Assert.False(result.IsCompleted, "the gateway closed the connection");
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _toGateway.Writer.CompleteAsync();
        await _connection.WaitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>Parses a raw request head into a <see cref="RequestHead"/>, as the connection does.</summary>
    public static RequestHead ParseHead(string request)
    {
        var head = new RequestHead();
        var parser = new Http1RequestParser(HttpParserLimits.Default);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(request)));
        var collector = new RequestHeadCollector(head);
        Assert.Equal(HttpParseStatus.Complete, parser.TryParseHead(ref reader, ref collector));
        return head;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
