using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.Apig.Apis;
using Gateway.Apig.Common;
using Gateway.Apig.Debugging;
using Gateway.Apig.Environments;
using Gateway.Apig.GatewayResponses;
using Gateway.Apig.Groups;
using Gateway.Apig.Runtime;
using Gateway.Apig.Signatures;
using Gateway.Apig.Variables;
using Gateway.Apig.VpcChannels;
using Gateway.Errors;
using Gateway.Hosting.DataPlane;
using Gateway.Net.DataPlane;
using Gateway.Net.DataPlane.Authorizers;
using Gateway.Net.Upstream;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting.Apig;

/// <summary>
/// 3.5.8: runs one request through the data-plane engine against a snapshot holding just the debugged API — its
/// editing definition (DEVELOPER) or what is effective in a stage (CONSUMER) — and reports both messages as exchanged.
/// Throttling is left out so debugging never spends a client's quota. Authentication: see
/// <see cref="PlanAuthentication"/>.
/// </summary>
internal sealed partial class ApiDebugger(
    ResourceWriter writer,
    ApiManager apis,
    IOptions<GatewayDataPlaneOptions> dataPlaneOptions,
    TimeProvider? timeProvider = null) : IDisposable
{
    private const int MaxBodyBytes = 2_097_152;
    private static readonly string[] Modes = ["DEVELOPER", "MARKET", "CONSUMER"];
    private static readonly string[] Schemes = ["HTTP", "HTTPS"];
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"];
    private readonly UpstreamRegistry _upstreams = new();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<ApiDebugResult> DebugAsync(ApigScope scope, string apiId, ApiDebugRequest request, CancellationToken cancellationToken)
    {
        var mode = Check.OneOf(request.Mode, "mode", Modes);
        Check.OneOf(request.Scheme, "scheme", Schemes);
        var method = Check.OneOf(request.Method, "method", Methods);
        var path = Check.Text(request.Path, "path", 1, 1024);
        if (path[0] != '/' || !Uri.TryCreate("http://debug" + path, UriKind.Absolute, out _))
        {
            throw ApigErrors.Invalid("path");
        }

        var consumer = mode != "DEVELOPER";
        ValidateNames(request.Query, "query", DebugQueryName(), consumer: false);
        ValidateNames(request.Header, "header", DebugHeaderName(), consumer);
        if (request.Body is { } body && Encoding.UTF8.GetByteCount(body) > MaxBodyBytes)
        {
            throw ApigErrors.TooLarge("body");
        }

        var credentials = ReadAppCredentials(request);
        if (!string.IsNullOrEmpty(request.Domain) && (request.Domain.Length > 255 || !DebugDomain().IsMatch(request.Domain)))
        {
            throw ApigErrors.Invalid("domain"); // it becomes the Host header
        }

        var api = await apis.GetAsync(scope, apiId, cancellationToken).ConfigureAwait(false);
        var group = await writer.ReadAsync(ApigKeys.Group(scope.InstanceId, api.GroupId), GroupJsonContext.Default.ApiGroup, cancellationToken).ConfigureAwait(false)
            ?? throw ApigErrors.GroupNotFound(api.GroupId);
        var environments = await writer.ListAsync(ApigKeys.Environments(scope.InstanceId), EnvironmentJsonContext.Default.ApigEnvironment, cancellationToken).ConfigureAwait(false);
        var stageName = consumer ? (string.IsNullOrEmpty(request.Stage) ? EnvironmentManager.ReleaseName : request.Stage) : EnvironmentManager.ReleaseName;
        var environment = environments.Find(e => e.Name == stageName) ?? throw ApigErrors.EnvironmentNotFound(stageName);
        if (consumer)
        {
            var publication = await writer.ReadAsync(ApigKeys.Publication(scope.InstanceId, apiId, environment.Id), ApiJsonContext.Default.ApiPublication, cancellationToken).ConfigureAwait(false)
                ?? throw new ApiErrorException(404, "APIG.3015", $"The API {apiId} is not published in environment {stageName}");
            var version = await writer.ReadAsync(ApigKeys.ApiVersion(scope.InstanceId, publication.VersionId), ApiJsonContext.Default.ApiVersionRecord, cancellationToken).ConfigureAwait(false)
                ?? throw ApigErrors.VersionNotFound(publication.VersionId);
            api = version.Definition;
        }

        var variables = await writer.ListAsync(ApigKeys.Variables(scope.InstanceId), VariableJsonContext.Default.EnvironmentVariable, cancellationToken).ConfigureAwait(false);
        var responses = await writer.ListAsync(GatewayResponseKeys.Responses(scope.InstanceId), GatewayResponseJsonContext.Default.GatewayResponseRecord, cancellationToken).ConfigureAwait(false);
        var log = new StringBuilder();
        var plan = PlanAuthentication(api, consumer, credentials, request, log);

        // The debugged group is the only group: whatever Host is sent, the request reaches it.
        var model = new ApigRuntimeModel(writer.Store.Revision, scope.InstanceId, [group with { IsDefault = 1 }], [environment],
            variables.FindAll(v => v.GroupId == group.Id && v.EnvId == environment.Id),
            [new RuntimeApi(plan.Api, environment, "debug")])
        {
            GatewayResponses = responses.FindAll(r => r.GroupId == group.Id),
        };
        model = await AddSecurityAsync(model, scope.InstanceId, plan, cancellationToken).ConfigureAwait(false);

        // Backends reached through VPC channels and the backend signature key bound in this stage, as the data plane
        // has them (member health is not shared: every enabled member counts as healthy here).
        var signBindings = await writer.ListAsync(SignatureStoreKeys.Bindings(scope.InstanceId), SignatureJsonContext.Default.SignBinding, cancellationToken).ConfigureAwait(false);
        model = model with
        {
            VpcChannels = await writer.ListAsync(VpcChannelStoreKeys.Channels(scope.InstanceId), VpcChannelJsonContext.Default.VpcChannel, cancellationToken).ConfigureAwait(false),
            VpcMembers = await writer.ListAsync(VpcChannelStoreKeys.Members(scope.InstanceId), VpcChannelJsonContext.Default.VpcMember, cancellationToken).ConfigureAwait(false),
            VpcMemberGroups = await writer.ListAsync(VpcChannelStoreKeys.MemberGroups(scope.InstanceId), VpcChannelJsonContext.Default.VpcMemberGroup, cancellationToken).ConfigureAwait(false),
            SignatureKeys = await writer.ListAsync(SignatureStoreKeys.Signs(scope.InstanceId), SignatureJsonContext.Default.SignatureKey, cancellationToken).ConfigureAwait(false),
            SignBindings = signBindings.FindAll(b => b.ApiId == apiId && b.EnvId == environment.Id),
        };

        // A runtime of its own per call: every debug call asks the authorizer afresh and shares no decision with the
        // data plane's cache.
        using var authorizers = new AuthorizerRuntime(_time) { CallTimeout = dataPlaneOptions.Value.AuthorizerTimeout };
        var snapshots = new DataPlaneSnapshotSource();
        snapshots.Publish(new DataPlaneCompiler(_upstreams) { Authorizers = authorizers }.Compile(model));

        var host = string.IsNullOrEmpty(request.Domain) ? group.SlDomain : request.Domain;
        var requestBytes = BuildRequest(request, method, path, host, consumer ? stageName : null, plan.SignWith);
        var started = Stopwatch.GetTimestamp();
        var responseBytes = await ExchangeAsync(snapshots, requestBytes, cancellationToken).ConfigureAwait(false);
        var latency = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new ApiDebugResult(Encoding.UTF8.GetString(requestBytes), Truncate(responseBytes), latency, log.ToString());
    }

    private static void ValidateNames(Dictionary<string, List<string>>? values, string parameter, Regex pattern, bool consumer)
    {
        if (values is null)
        {
            return;
        }

        foreach (var name in values.Keys)
        {
            if (Encoding.UTF8.GetByteCount(name) > 32 || !pattern.IsMatch(name) ||
                name.StartsWith("X-Apig-", StringComparison.OrdinalIgnoreCase) || name.StartsWith("X-Sdk-", StringComparison.OrdinalIgnoreCase) ||
                name.Equals("X-Stage", StringComparison.OrdinalIgnoreCase) ||
                (consumer && (name.Equals("X-Auth-Token", StringComparison.OrdinalIgnoreCase) || name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))))
            {
                throw ApigErrors.Invalid($"{parameter}.{name}");
            }
        }
    }

    private byte[] BuildRequest(ApiDebugRequest request, string method, string path, string host, string? stage, AppCredentials? signWith)
    {
        var query = new StringBuilder();
        foreach (var (name, values) in request.Query ?? [])
        {
            foreach (var value in values)
            {
                query.Append(query.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        var body = request.Body is null ? [] : Encoding.UTF8.GetBytes(request.Body);
        var text = new StringBuilder();
        text.Append(method).Append(' ').Append(path);
        if (query.Length > 0)
        {
            text.Append('?').Append(query);
        }

        text.Append(" HTTP/1.1\r\nHost: ").Append(host).Append("\r\n");
        if (stage is not null)
        {
            text.Append("X-Stage: ").Append(stage).Append("\r\n");
        }

        if (signWith is not null)
        {
            var date = FormatSdkDate(_time.GetUtcNow());
            text.Append("X-Sdk-Date: ").Append(date).Append("\r\n");
            text.Append("Authorization: ").Append(SignatureHeader(signWith, method, path, query.ToString(), host, date, body)).Append("\r\n");
        }

        foreach (var (name, values) in request.Header ?? [])
        {
            foreach (var value in values)
            {
                // Header values cannot carry line breaks; anything else is sent as given.
                text.Append(CanonicalHeaderName(name)).Append(": ").Append(value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)).Append("\r\n");
            }
        }

        if (body.Length > 0 || method is "POST" or "PUT" or "PATCH")
        {
            text.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        text.Append("Connection: close\r\n\r\n");
        var head = Encoding.UTF8.GetBytes(text.ToString());
        var message = new byte[head.Length + body.Length];
        head.CopyTo(message, 0);
        body.CopyTo(message, head.Length);
        return message;
    }

    /// <summary><c>x-MY-hEaDer</c> becomes <c>X-My-Header</c>, as the document describes.</summary>
    private static string CanonicalHeaderName(string name)
    {
        var chars = name.ToLowerInvariant().ToCharArray();
        var start = true;
        for (var i = 0; i < chars.Length; i++)
        {
            if (start)
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }

            start = chars[i] == '-';
        }

        return new string(chars);
    }

    private async Task<byte[]> ExchangeAsync(DataPlaneSnapshotSource snapshots, byte[] request, CancellationToken cancellationToken)
    {
        var toGateway = new Pipe();
        var fromGateway = new Pipe();

        // No IAM validator: the management caller's credentials are never handed to the debugged API.
        var options = new DataPlaneOptions { TimeProvider = _time, ConnectTimeout = dataPlaneOptions.Value.BackendConnectTimeout };
        var connection = new GatewayConnection(snapshots, options, System.Net.IPAddress.Loopback);
        var serving = connection.ProcessAsync(new DebugPipe(toGateway.Reader, fromGateway.Writer), cancellationToken);
        await toGateway.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        await toGateway.Writer.CompleteAsync().ConfigureAwait(false);

        using var response = new MemoryStream();
        while (true)
        {
            var result = await fromGateway.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            foreach (var segment in result.Buffer)
            {
                // Keep a little more than the reported limit, so truncation can be seen.
                if (response.Length < MaxBodyBytes + 65536)
                {
                    response.Write(segment.Span);
                }
            }

            fromGateway.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await fromGateway.Reader.CompleteAsync().ConfigureAwait(false);
        await serving.ConfigureAwait(false);
        return response.ToArray();
    }

    /// <summary>The response text, with the body cut at 2097152 bytes and <c>[TRUNCATED]</c> appended.</summary>
    private static string Truncate(byte[] response)
    {
        var headEnd = response.AsSpan().IndexOf("\r\n\r\n"u8);
        var bodyStart = headEnd < 0 ? response.Length : headEnd + 4;
        if (response.Length - bodyStart <= MaxBodyBytes)
        {
            return Encoding.UTF8.GetString(response);
        }

        return Encoding.UTF8.GetString(response, 0, bodyStart + MaxBodyBytes) + "[TRUNCATED]";
    }

    public void Dispose() => _upstreams.Dispose();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9._\-]*\z")]
    private static partial Regex DebugQueryName();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9.\-]*\z")]
    private static partial Regex DebugHeaderName();

    /// <summary>A host name or address, optionally with a port: what a Host header may carry.</summary>
    [GeneratedRegex(@"^(?:[A-Za-z0-9_\-.]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?\z")]
    private static partial Regex DebugDomain();

    private sealed class DebugPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
