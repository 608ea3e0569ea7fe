using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using Gateway.Net.Http.Parsing;
using Gateway.Net.Http.Serialization;
using Gateway.Net.RateLimiting;
using Gateway.Net.Routing;
using Gateway.Net.Telemetry;
using Gateway.Net.Threading;
using Gateway.Net.Transport;

namespace Gateway.Net.DataPlane;

/// <summary>
/// Serves one client connection: reads request heads, routes them on the current snapshot, answers mocks and errors,
/// forwards the rest to their backends, and loops while both sides keep the connection alive. Every buffer it uses
/// lives as long as the connection, so steady-state requests allocate nothing of their own.
/// </summary>
internal sealed partial class GatewayConnection
{
    private static readonly byte[] HexDigits = "0123456789abcdef"u8.ToArray();

    private readonly DataPlaneSnapshotSource _snapshots;
    private readonly DataPlaneOptions _options;
    private readonly Http1RequestParser _parser;
    private readonly RequestHead _head = new();
    private readonly PathCapture[] _captures = new PathCapture[RouteTrie<CompiledApi>.MaxCaptures];
    private readonly byte[] _requestId = new byte[32];
    private readonly ulong _connectionId = (ulong)Random.Shared.NextInt64();
    private readonly IPAddress? _remoteAddress;
    private ulong _requestCount;
    private long _waitingSince;
    private int _matchedLength;
    private CompiledApi? _currentApi;
    private CompiledGroup? _group;

    /// <summary>
    /// When the connection started waiting for a request head (a <see cref="System.Diagnostics.Stopwatch"/> timestamp),
    /// or 0 while it is serving one. The server's timer closes connections that wait too long: idle keep-alive
    /// connections and slow senders of heads alike.
    /// </summary>
    public long WaitingSince => Volatile.Read(ref _waitingSince);

    /// <summary>
    /// The event loop the client connection runs on, or null; backend connections are taken from (and opened on) the
    /// same loop so a forwarded request stays on one thread.
    /// </summary>
    public EventLoop? HomeLoop { get; init; }

    public GatewayConnection(DataPlaneSnapshotSource snapshots, DataPlaneOptions options, IPAddress? remoteAddress)
    {
        _snapshots = snapshots;
        _options = options;
        _parser = new Http1RequestParser(options.ParserLimits);
        _responseParser = new Http1ResponseParser(options.ParserLimits);
        _remoteAddress = remoteAddress;
    }

    public async Task ProcessAsync(IDuplexPipe transport, CancellationToken cancellationToken)
    {
        var input = transport.Input;
        var output = transport.Output;
        GatewayMetrics.ActiveConnections.Add(1);

        // Stopping ends a wait for the next request head through one registration for the connection's life, rather
        // than a token registered and removed on every read between requests.
        using var stopping = cancellationToken.UnsafeRegister(static state => ((PipeReader)state!).CancelPendingRead(), input);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                _parser.Reset();
                _head.Reset();
                Volatile.Write(ref _waitingSince, System.Diagnostics.Stopwatch.GetTimestamp());
                var status = HttpParseStatus.Incomplete;
                while (status == HttpParseStatus.Incomplete)
                {
                    var result = await input.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                    status = ParseHead(result.Buffer, out var consumed);
                    // Examine to the end only when more bytes are needed; otherwise the body or the next pipelined
                    // request is already buffered and the next read must return it at once.
                    input.AdvanceTo(consumed, status == HttpParseStatus.Incomplete ? result.Buffer.End : consumed);
                    if (status == HttpParseStatus.Incomplete && (result.IsCompleted || result.IsCanceled))
                    {
                        return; // the client left between requests or mid-head, or the gateway is stopping
                    }
                }

                Volatile.Write(ref _waitingSince, 0);
                NextRequestId();
                MarkRequestStart();
                ResetClientAddress();
                ResetCaller();
                _currentApi = null;
                _group = null;
                if (status == HttpParseStatus.Rejected)
                {
                    // Bytes after a refused head are never interpreted: answer and close.
                    WriteRejection(output, GatewayErrors.ForRejection(_parser.Rejection.ToStatusCode()));
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (!await HandleRequestAsync(input, output, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutting down
        }
        catch (IOException)
        {
            // the client reset the connection
        }
        catch (System.Net.Sockets.SocketException)
        {
        }
        finally
        {
            ReleaseMember(); // a channel attempt cut short by the connection's end
            GatewayMetrics.ActiveConnections.Add(-1);
            await input.CompleteAsync().ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    private HttpParseStatus ParseHead(ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var collector = new RequestHeadCollector(_head);
        var status = _parser.TryParseHead(ref reader, ref collector);
        consumed = reader.Position;
        return status;
    }

    /// <summary>Routes and serves one request whose head has been read; returns whether the connection stays open.</summary>
    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<bool> HandleRequestAsync(PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        var api = Route(out var captureCount);
        _currentApi = api;
        var clientKeepAlive = _parser.KeepAlive;
        if (_head.Method == KnownMethod.Options && await TryAnswerPreflightAsync(input, output, api, cancellationToken).ConfigureAwait(false) is { } preflightKeepAlive)
        {
            return preflightKeepAlive;
        }

        if (api is null)
        {
            return await RespondErrorAsync(input, output, GatewayError.NotFound, clientKeepAlive, cancellationToken).ConfigureAwait(false);
        }

        if (!CheckParameters(api, captureCount))
        {
            return await RespondErrorAsync(input, output, GatewayError.RequestParametersFailure, clientKeepAlive, cancellationToken).ConfigureAwait(false);
        }

        // Who is calling and whether they may (auth type, app authorization, ACLs): before any budget is spent.
        if (await AuthenticateAsync(api, input, output, cancellationToken).ConfigureAwait(false) is { } denied)
        {
            return await RespondErrorAsync(input, output, denied, clientKeepAlive, cancellationToken).ConfigureAwait(false);
        }

        if (api.Throttle is { } throttle && !Admit(throttle, CallerAppId(), CallerUserId(), out var retryAfterSeconds))
        {
            return await RespondErrorAsync(input, output, GatewayError.Throttled, clientKeepAlive, cancellationToken, retryAfterSeconds).ConfigureAwait(false);
        }

        api = SelectBackend(api, captureCount); // policy backends (GatewayConnection.Policies.cs)
        switch (api.Backend)
        {
            case BackendKind.Mock:
                if (!await DrainBodyAsync(input, cancellationToken).ConfigureAwait(false))
                {
                    clientKeepAlive = false;
                }

                await WriteMockAsync(output, api, clientKeepAlive, cancellationToken).ConfigureAwait(false);
                return clientKeepAlive;

            case BackendKind.Http when (api.Endpoint is not null || api.Channel is not null) && api.ConfigurationError is null:
                return await ForwardAsync(input, output, api, captureCount, cancellationToken).ConfigureAwait(false);

            default:
                return await RespondErrorAsync(input, output, GatewayError.BackendUnavailable, clientKeepAlive, cancellationToken).ConfigureAwait(false);
        }
    }

    private CompiledApi? Route(out int captureCount)
    {
        captureCount = 0;
        var snapshot = _snapshots.Current;
        var host = _head.Host.IsEmpty ? _head[_head.Authority] : _head[_head.Host];
        var group = snapshot.FindGroup(StripPort(host));
        _group = group;
        var trie = group?.Find(_head[_head.Stage]);
        if (trie is null)
        {
            return null;
        }

        var match = trie.Match(_head[_head.MethodName], _head[_head.Path], _captures);
        captureCount = match.CaptureCount;
        _matchedLength = match.MatchedLength;
        return match.Endpoint;
    }

    private static ReadOnlySpan<byte> StripPort(ReadOnlySpan<byte> host)
    {
        if (host.Length > 0 && host[0] == (byte)'[')
        {
            var close = host.IndexOf((byte)']');
            return close > 0 ? host[..(close + 1)] : host;
        }

        var colon = host.LastIndexOf((byte)':');
        return colon >= 0 ? host[..colon] : host;
    }

    /// <summary>A fresh 32-hex request id from the connection id and a counter: unique enough to trace, no allocation.</summary>
    private void NextRequestId()
    {
        var counter = ++_requestCount;
        var id = _connectionId;
        for (var i = 15; i >= 0; i--)
        {
            _requestId[i] = HexDigits[(int)(id & 0xF)];
            id >>= 4;
            _requestId[16 + i] = HexDigits[(int)(counter & 0xF)];
            counter >>= 4;
        }
    }

    /// <summary>Reads and discards the request body so the connection can carry the next request; false if it must close.</summary>
    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<bool> DrainBodyAsync(PipeReader input, CancellationToken cancellationToken)
    {
        if (_parser.BodyFraming == BodyFraming.None)
        {
            return true;
        }

        if (BodyAlreadyRead(out var reusable))
        {
            return reusable;
        }

        if (_parser.ExpectContinue || (_parser.BodyFraming == BodyFraming.ContentLength && _parser.ContentLength > _options.MaxDrainBytes))
        {
            return false; // the client waits for 100-continue, or the body is too big to read just to discard it
        }

        var body = HttpBodyReader.ForRequest(_parser);
        long drained = 0;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var (status, position, length) = SkipBody(ref body, result.Buffer, result.IsCompleted);
            input.AdvanceTo(position, status == BodyReadStatus.NeedMoreData ? result.Buffer.End : position);
            drained += length;
            if (status == BodyReadStatus.Completed)
            {
                return true;
            }

            if (status == BodyReadStatus.Rejected || result.IsCompleted || drained > _options.MaxDrainBytes)
            {
                return false;
            }
        }
    }

    private static (BodyReadStatus Status, SequencePosition Position, long Length) SkipBody(ref HttpBodyReader body, ReadOnlySequence<byte> buffer, bool completed)
    {
        var reader = new SequenceReader<byte>(buffer);
        long length = 0;
        while (true)
        {
            var status = body.Read(ref reader, completed, out var data);
            length += data.Length;
            if (status != BodyReadStatus.Data)
            {
                return (status, reader.Position, length);
            }
        }
    }

    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<bool> RespondErrorAsync(
        PipeReader input, PipeWriter output, GatewayError error, bool keepAlive, CancellationToken cancellationToken, int retryAfterSeconds = 0)
    {
        keepAlive = keepAlive && await DrainBodyAsync(input, cancellationToken).ConfigureAwait(false);
        WriteError(output, error, keepAlive, retryAfterSeconds);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return keepAlive;
    }

    private ValueTask<FlushResult> WriteErrorAsync(PipeWriter output, GatewayError error, bool keepAlive, CancellationToken cancellationToken)
    {
        WriteError(output, error, keepAlive);
        return output.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Counts the request against every limit that applies to it: the API's bucket, the caller's source IP, its APP
    /// and its tenant (or the special limit that replaces one of those for this APP or tenant). It is admitted only if
    /// every one admits it; when one refuses, the permits the others granted are given back, so a refused request
    /// costs the caller's other budgets nothing.
    /// </summary>
    private bool Admit(ThrottlePlan plan, ReadOnlySpan<byte> appId, ReadOnlySpan<byte> userId, out int retryAfterSeconds)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        retryAfterSeconds = 0;
        var decision = plan.ApiBucket.TryAcquire(now);
        if (!decision.IsAdmitted)
        {
            retryAfterSeconds = decision.GetRetryAfterSeconds(System.Diagnostics.Stopwatch.Frequency);
            return false;
        }

        var ipKey = default(BucketKey);
        var hasIpKey = false;
        if (plan.IpTable is { } ipTable)
        {
            Span<byte> address = stackalloc byte[16];
            if (WriteClientAddress(address) is > 0 and var written)
            {
                ipKey = BucketKey.ForAddress(plan.Scope, address[..written]);
                decision = ipTable.TryAcquire(ipKey, now);
                if (!decision.IsAdmitted)
                {
                    plan.ApiBucket.Refund(now);
                    retryAfterSeconds = decision.GetRetryAfterSeconds(System.Diagnostics.Stopwatch.Frequency);
                    return false;
                }

                hasIpKey = true;
            }
        }

        var appSpecial = appId.IsEmpty ? null : plan.AppSpecials?.Find(appId);
        var appTable = appSpecial is null && !appId.IsEmpty ? plan.AppTable : null;
        var appKey = appTable is null ? default : BucketKey.ForSubject(plan.Scope, ThrottlePlan.SubjectOf(appId));
        if (appSpecial is not null || appTable is not null)
        {
            decision = appSpecial?.TryAcquire(now) ?? appTable!.TryAcquire(appKey, now);
            if (!decision.IsAdmitted)
            {
                GiveBack(plan, now, hasIpKey, ipKey, null, null, default);
                retryAfterSeconds = decision.GetRetryAfterSeconds(System.Diagnostics.Stopwatch.Frequency);
                return false;
            }
        }

        var userSpecial = userId.IsEmpty ? null : plan.UserSpecials?.Find(userId);
        var userTable = userSpecial is null && !userId.IsEmpty ? plan.UserTable : null;
        if (userSpecial is not null || userTable is not null)
        {
            decision = userSpecial?.TryAcquire(now) ?? userTable!.TryAcquire(BucketKey.ForSubject(plan.Scope, ThrottlePlan.SubjectOf(userId)), now);
            if (!decision.IsAdmitted)
            {
                GiveBack(plan, now, hasIpKey, ipKey, appSpecial, appTable, appKey);
                retryAfterSeconds = decision.GetRetryAfterSeconds(System.Diagnostics.Stopwatch.Frequency);
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns the permits granted by the API bucket and, when taken, by the IP and APP limits.</summary>
    private static void GiveBack(ThrottlePlan plan, long now, bool hasIpKey, BucketKey ipKey, TokenBucket? appSpecial, KeyedBucketTable<BucketKey>? appTable, BucketKey appKey)
    {
        plan.ApiBucket.Refund(now);
        if (hasIpKey)
        {
            plan.IpTable!.Refund(ipKey, now);
        }

        appSpecial?.Refund(now);
        appTable?.Refund(appKey, now);
    }

    /// <summary>The answer to a refused request head: no group is known, so the documented default body; then the connection closes.</summary>
    private void WriteRejection(PipeWriter output, GatewayErrorResponse error)
    {
        RecordResponse(error.Status);
        // {"error_code":"…","error_msg":"…","request_id":"…"}: codes and messages are ASCII-safe constants.
        var bodyLength = 48 + error.Code.Length + error.Message.Length + _requestId.Length;
        var head = new Http1HeadWriter(output);
        head.WriteStatusLine(error.Status);
        head.WriteHeader("Content-Type"u8, "application/json"u8);
        head.WriteContentLength(bodyLength);
        head.WriteHeader("X-Request-Id"u8, _requestId);
        head.WriteConnectionClose();

        head.WriteEndOfHead();
        head.Write("{\"error_code\":\""u8);
        head.Write(error.Code);
        head.Write("\",\"error_msg\":\""u8);
        head.Write(error.Message);
        head.Write("\",\"request_id\":\""u8);
        head.Write(_requestId);
        head.Write("\"}"u8);
        head.Commit();
    }

    /// <summary>Answers a failure with the gateway response of the API (or of the group, or the documented default).</summary>
    private void WriteError(PipeWriter output, GatewayError error, bool keepAlive, int retryAfterSeconds = 0)
    {
        var response = (_currentApi?.Responses ?? _group?.Responses ?? CompiledErrorResponses.Defaults)[error];
        RecordResponse(response.Status);
        var bodyLength = 0;
        foreach (var part in response.Body)
        {
            bodyLength += PlaceholderValue(part, response.Error).Length;
        }

        var head = new Http1HeadWriter(output);
        head.WriteStatusLine(response.Status);
        head.WriteHeader("Content-Type"u8, "application/json"u8);
        head.WriteContentLength(bodyLength);
        head.WriteHeader("X-Request-Id"u8, _requestId);
        WriteCorsHeaders(ref head);
        foreach (var (name, value) in response.Headers)
        {
            head.WriteHeader(name, value);
        }

        if (retryAfterSeconds > 0)
        {
            head.WriteHeader("Retry-After"u8, retryAfterSeconds);
        }

        if (!keepAlive)
        {
            head.WriteConnectionClose();
        }

        head.WriteEndOfHead();
        foreach (var part in response.Body)
        {
            head.Write(PlaceholderValue(part, response.Error));
        }

        head.Commit();
    }

    private ReadOnlySpan<byte> PlaceholderValue(TemplatePart part, GatewayErrorResponse error) => part.Placeholder switch
    {
        ResponsePlaceholder.None => part.Literal,
        ResponsePlaceholder.ErrorCode => error.Code,
        ResponsePlaceholder.ErrorMessage => ErrorMessage(error),
        ResponsePlaceholder.ErrorType => error.TypeBytes,
        ResponsePlaceholder.RequestId => _requestId,
        ResponsePlaceholder.SourceIp => SourceIp(),
        ResponsePlaceholder.Stage => _currentApi is null ? default : _currentApi.EnvironmentName,
        ResponsePlaceholder.ApiId => _currentApi is null ? default : _currentApi.IdBytes,
        _ => default,
    };

    private ValueTask<FlushResult> WriteMockAsync(PipeWriter output, CompiledApi api, bool keepAlive, CancellationToken cancellationToken)
    {
        RecordResponse(200);
        var head = new Http1HeadWriter(output);
        head.WriteStatusLine(200);
        head.WriteHeader("Content-Type"u8, api.MockContentType);
        head.WriteContentLength(api.MockBody.Length);
        head.WriteHeader("X-Request-Id"u8, _requestId);
        WriteCorsHeaders(ref head);
        if (!keepAlive)
        {
            head.WriteConnectionClose();
        }

        head.WriteEndOfHead();
        if (_head.Method != KnownMethod.Head)
        {
            head.Write(api.MockBody);
        }

        head.Commit();
        return output.FlushAsync(cancellationToken);
    }
}

/// <summary>Settings of the data plane.</summary>
internal sealed partial class DataPlaneOptions
{
    public HttpParserLimits ParserLimits { get; init; } = HttpParserLimits.Default;

    /// <summary>The most request-body bytes read only to discard them (for mocks and errors) before closing instead.</summary>
    public long MaxDrainBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Which <c>X-Forwarded-For</c> entry is the caller's address for ACLs and throttling (<c>real_ip_from_xff</c>:
    /// 0 = first, -1 = last), or null to use the connection's peer. Only set behind proxies that write the header.
    /// </summary>
    public int? ForwardedForIndex { get; init; }

    /// <summary>Where finished requests are logged, or null for no access log.</summary>
    public Gateway.Net.Telemetry.AccessLog? AccessLog { get; init; }

    /// <summary>How long to wait for a backend to take a new connection (within the API's own timeout); then the attempt fails as unavailable.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
