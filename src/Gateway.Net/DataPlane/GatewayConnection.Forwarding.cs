using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Gateway.Net.Http.Parsing;
using Gateway.Net.Http.Serialization;
using Gateway.Net.Telemetry;
using Gateway.Net.Threading;
using Gateway.Net.Upstream;

namespace Gateway.Net.DataPlane;

internal sealed partial class GatewayConnection
{
    private readonly Http1ResponseParser _responseParser;
    private readonly ArrayBufferWriter<byte> _responseHead = new(1024);
    private byte[] _target = new byte[1024];
    private int _targetLength;
    private readonly byte[] _sourceIp = new byte[64];
    private int _sourceIpLength = -1;
    private CancellationTokenSource _timeout = new();
    private bool _responseStarted;

    /// <summary>Why a forwarding attempt stopped before the client got any byte of a response.</summary>
    private enum AttemptFailure : byte
    {
        None,
        Connect,
        StaleConnection,
        Upstream,
        Timeout,
        BadResponse,
        ClientBody,
    }

    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ForwardAsync(PipeReader input, PipeWriter output, CompiledApi api, int captureCount, CancellationToken cancellationToken)
    {
        var clientKeepAlive = _parser.KeepAlive;
        var hasBody = _parser.BodyFraming != BodyFraming.None;
        UpstreamEndpoint endpoint;
        var channel = api.Channel;
        if (channel is null)
        {
            endpoint = api.Endpoint!;
        }
        else if (!TryPickMember(channel, exclude: -1, out endpoint))
        {
            return await RespondErrorAsync(input, output, GatewayError.NoBackendAvailable, clientKeepAlive, cancellationToken).ConfigureAwait(false);
        }

        var idempotent = _head.Method is KnownMethod.Get or KnownMethod.Head or KnownMethod.Put or KnownMethod.Delete or KnownMethod.Options;
        var retriesLeft = !idempotent || hasBody ? 0 : api.RetryCount < 0 ? 1 : api.RetryCount;
        var token = StartUpstreamTimeout(api.TimeoutMilliseconds);
        var backendStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        BuildTarget(api, captureCount);

        while (true)
        {
            UpstreamConnection? upstream = null;
            var reused = false;
            var failure = AttemptFailure.None;
            var responseStarted = false;
            var bodyStarted = false;
            _responseStarted = false;
            try
            {
                reused = endpoint.TryRent(HomeLoop, out upstream);
                if (!reused)
                {
                    failure = AttemptFailure.Connect;
                    upstream = await ConnectUpstreamAsync(endpoint, token).ConfigureAwait(false);
                    failure = AttemptFailure.None;
                }

                WriteBackendHead(upstream.Output, api, captureCount);
                if (hasBody && _bodyState == RequestBodyState.Buffered)
                {
                    // Read and verified with the signature: replayable, so a stale pooled connection may be retried.
                    await WriteBufferedBodyAsync(upstream.Output, token).ConfigureAwait(false);
                }
                else if (hasBody)
                {
                    if (_parser.ExpectContinue)
                    {
                        output.Write(ContinueLine);
                        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }

                    bodyStarted = true;
                    failure = await CopyRequestBodyAsync(input, upstream.Output, token).ConfigureAwait(false);
                    if (failure != AttemptFailure.None)
                    {
                        upstream.Dispose();
                        EndMemberAttempt(failure);
                        return await FailAsync(output, failure, keepAlive: false, cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    await upstream.Output.FlushAsync(token).ConfigureAwait(false);
                }

                var (outcome, started, clientCanContinue) = await RelayResponseAsync(endpoint, upstream, output, clientKeepAlive, token).ConfigureAwait(false);
                responseStarted = started;
                if (outcome == AttemptFailure.None)
                {
                    EndMemberAttempt(outcome);
                    GatewayMetrics.RecordBackend(api.Id, backendStarted);
                    return clientKeepAlive && clientCanContinue;
                }

                failure = reused && outcome == AttemptFailure.Upstream && !started ? AttemptFailure.StaleConnection : outcome;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                failure = AttemptFailure.Timeout;
            }
            catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or InvalidOperationException or System.Security.Authentication.AuthenticationException)
            {
                if (failure == AttemptFailure.None)
                {
                    failure = reused && !_responseStarted ? AttemptFailure.StaleConnection : AttemptFailure.Upstream;
                }
            }

            upstream?.Dispose();
            if (responseStarted || _responseStarted)
            {
                EndMemberAttempt(failure);
                return false; // part of a response went out: the only honest end is to close
            }

            // A pooled connection the backend had closed is replaced at once; other failures use the API's retries.
            if (!bodyStarted && (failure == AttemptFailure.StaleConnection || (failure is AttemptFailure.Connect or AttemptFailure.Upstream && retriesLeft-- > 0)))
            {
                // A channel retries on another member; a stale pooled connection is replaced on the same one.
                if (channel is null || failure == AttemptFailure.StaleConnection || TryRepickMember(channel, failure, out endpoint))
                {
                    continue;
                }
            }

            EndMemberAttempt(failure);
            return await FailAsync(output, failure, keepAlive: clientKeepAlive && !bodyStarted, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens a backend connection within the API's timeout and <see cref="DataPlaneOptions.ConnectTimeout"/>, whichever
    /// ends first. A backend that does not take the connection in time is unavailable (retried, then 502), not slow: the
    /// API's timeout (504) is for backends that took the request.
    /// </summary>
    private async ValueTask<UpstreamConnection> ConnectUpstreamAsync(UpstreamEndpoint endpoint, CancellationToken token)
    {
        // Per new connection only: pooled connections skip this.
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        connectTimeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            return await UpstreamConnection.ConnectAsync(endpoint, HomeLoop, connectTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.TimedOut);
        }
    }

    /// <summary>
    /// Arms the connection's one timeout source for an exchange with a backend or an authorizer; the token cancels
    /// that exchange's reads, writes and connect after <paramref name="milliseconds"/>.
    /// </summary>
    private CancellationToken StartUpstreamTimeout(int milliseconds)
    {
        if (!_timeout.TryReset())
        {
            _timeout.Dispose();
            _timeout = new CancellationTokenSource();
        }

        _timeout.CancelAfter(milliseconds);
        return _timeout.Token;
    }

    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FailAsync(PipeWriter output, AttemptFailure failure, bool keepAlive, CancellationToken cancellationToken)
    {
        var error = failure switch
        {
            AttemptFailure.Timeout => GatewayError.BackendTimeout,
            AttemptFailure.ClientBody => GatewayError.BadRequest,
            _ => GatewayError.BackendUnavailable,
        };
        await WriteErrorAsync(output, error, keepAlive, cancellationToken).ConfigureAwait(false);
        return keepAlive;
    }

    /// <summary>Builds the backend request target: backend path with its parameters, the client's query, backend query parameters.</summary>
    private void BuildTarget(CompiledApi api, int captureCount)
    {
        _targetLength = 0;
        foreach (var part in api.BackendPath)
        {
            if (part.Literal is { } literal)
            {
                AppendTarget(literal, encode: false);
            }
            else if (part.BackendParameterIndex >= 0)
            {
                AppendTarget(BackendValue(api, api.BackendParameters[part.BackendParameterIndex], captureCount), encode: true);
            }
            else if (part.CaptureIndex >= 0 && part.CaptureIndex < captureCount)
            {
                var capture = _captures[part.CaptureIndex];
                AppendTarget(_head[_head.Path].Slice(capture.Start, capture.Length), encode: false);
            }
        }

        // A prefix route forwards what follows the matched prefix: /api + /v1/x -> backend path + /v1/x.
        var path = _head[_head.Path];
        if (api.PrefixMatch && _matchedLength < path.Length)
        {
            var rest = path[_matchedLength..];
            if (_targetLength > 0 && _target[_targetLength - 1] == (byte)'/' && rest[0] == (byte)'/')
            {
                rest = rest[1..];
            }

            AppendTarget(rest, encode: false);
        }

        if (_targetLength == 0)
        {
            AppendTarget("/"u8, encode: false);
        }

        var query = _head[_head.Query];
        var hasQuery = query.Length > 1;
        if (hasQuery)
        {
            AppendTarget(query, encode: false); // includes the '?'
        }

        foreach (var parameter in api.BackendParameters)
        {
            if (parameter.Location != ParameterLocation.Query)
            {
                continue;
            }

            AppendTarget(hasQuery ? "&"u8 : "?"u8, encode: false);
            hasQuery = true;
            AppendTarget(parameter.Name, encode: true);
            AppendTarget("="u8, encode: false);
            AppendTarget(BackendValue(api, parameter, captureCount), encode: true);
        }
    }

    private void AppendTarget(ReadOnlySpan<byte> bytes, bool encode)
    {
        var needed = _targetLength + (encode ? bytes.Length * 3 : bytes.Length);
        if (needed > _target.Length)
        {
            Array.Resize(ref _target, Math.Max(needed, _target.Length * 2));
        }

        if (!encode)
        {
            bytes.CopyTo(_target.AsSpan(_targetLength));
            _targetLength += bytes.Length;
            return;
        }

        foreach (var b in bytes)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' or (byte)'%')
            {
                _target[_targetLength++] = b;
            }
            else
            {
                _target[_targetLength++] = (byte)'%';
                _target[_targetLength++] = "0123456789ABCDEF"u8[b >> 4];
                _target[_targetLength++] = "0123456789ABCDEF"u8[b & 0xF];
            }
        }
    }

    private ReadOnlySpan<byte> BackendValue(CompiledApi api, BackendParameterRule parameter, int captureCount)
    {
        switch (parameter.Source)
        {
            case BackendValueSource.Constant:
                return parameter.Constant;
            case BackendValueSource.Request when parameter.RequestParameterIndex >= 0:
            {
                var rule = api.RequestParameters[parameter.RequestParameterIndex];
                return TryGetParameter(rule, captureCount, out var value) && !value.IsEmpty ? value : rule.DefaultValue;
            }

            case BackendValueSource.System:
                return parameter.System switch
                {
                    SystemValue.SourceIp => SourceIp(),
                    SystemValue.Stage => api.EnvironmentName,
                    SystemValue.ApiId => api.IdBytes,
                    SystemValue.AppId => CallerAppId(),
                    SystemValue.RequestId => _requestId,
                    SystemValue.ServerName => "gateway"u8,
                    SystemValue.AuthorizerContext => AuthorizerContextValue(parameter),
                    _ => default,
                };
            default:
                return default;
        }
    }

    private void WriteBackendHead(PipeWriter upstream, CompiledApi api, int captureCount)
    {
        var head = new Http1HeadWriter(upstream);
        head.WriteRequestLine(api.BackendMethod ?? _head[_head.MethodName], _target.AsSpan(0, _targetLength), HttpProtocolVersion.Http11);
        head.WriteHeader("Host"u8, BackendHostHeader(api));
        foreach (var header in _head.Headers)
        {
            if (header.Known is KnownHeader.Host or KnownHeader.ContentLength or KnownHeader.TransferEncoding or KnownHeader.Expect ||
                KnownHeaders.IsHopByHop(header.Known) ||
                header.Value.Start == _head.ForwardedFor.Start && !_head.ForwardedFor.IsEmpty && header.Value.Length == _head.ForwardedFor.Length ||
                header.Value.Start == _head.RequestId.Start && !_head.RequestId.IsEmpty && header.Value.Length == _head.RequestId.Length ||
                IsReplacedBySignature(api, header))
            {
                continue;
            }

            head.WriteHeader(_head[header.Name], _head[header.Value]);
        }

        // X-Forwarded-For: the client's chain plus the peer that connected to us.
        head.Write("X-Forwarded-For: "u8);
        if (!_head.ForwardedFor.IsEmpty)
        {
            head.Write(_head[_head.ForwardedFor]);
            head.Write(", "u8);
        }

        head.Write(PeerIp());
        head.Write("\r\n"u8);
        if (!_head.Host.IsEmpty)
        {
            head.WriteHeader("X-Forwarded-Host"u8, _head[_head.Host]);
        }

        head.WriteHeader("X-Request-Id"u8, _requestId);
        foreach (var parameter in api.BackendParameters)
        {
            if (parameter.Location == ParameterLocation.Header)
            {
                head.WriteHeader(parameter.Name, BackendValue(api, parameter, captureCount));
            }
        }

        SignBackendRequest(ref head, api);
        if (_bodyState == RequestBodyState.Buffered)
        {
            head.WriteContentLength(_bodyLength); // read for its signature: the length is known now
        }
        else
        {
            switch (_parser.BodyFraming)
            {
                case BodyFraming.ContentLength:
                    head.WriteContentLength(_parser.ContentLength);
                    break;
                case BodyFraming.Chunked:
                    head.WriteTransferEncodingChunked();
                    break;
            }
        }

        head.WriteEndOfHead();
        head.Commit();
    }

    /// <summary>Streams the client's body to the backend as it arrives, re-chunking a chunked body.</summary>
    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptFailure> CopyRequestBodyAsync(PipeReader input, PipeWriter upstream, CancellationToken token)
    {
        var body = HttpBodyReader.ForRequest(_parser);
        var chunked = _parser.BodyFraming == BodyFraming.Chunked;
        while (true)
        {
            var result = await input.ReadAsync(token).ConfigureAwait(false);
            var (status, position) = CopyBody(ref body, result.Buffer, result.IsCompleted, upstream, chunked);
            input.AdvanceTo(position, status == BodyReadStatus.NeedMoreData ? result.Buffer.End : position);
            if (status == BodyReadStatus.Completed)
            {
                if (chunked)
                {
                    Http1ChunkWriter.WriteLastChunkWithoutTrailers(upstream);
                }

                await upstream.FlushAsync(token).ConfigureAwait(false);
                return AttemptFailure.None;
            }

            if (status == BodyReadStatus.Rejected || result.IsCompleted)
            {
                return AttemptFailure.ClientBody;
            }

            await upstream.FlushAsync(token).ConfigureAwait(false);
        }
    }

    private static (BodyReadStatus Status, SequencePosition Position) CopyBody(ref HttpBodyReader body, ReadOnlySequence<byte> buffer, bool completed, PipeWriter destination, bool chunked)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (true)
        {
            var status = body.Read(ref reader, completed, out var data);
            if (!data.IsEmpty)
            {
                if (chunked)
                {
                    Http1ChunkWriter.WriteChunkHeader(destination, data.Length);
                }

                foreach (var segment in data)
                {
                    destination.Write(segment.Span);
                }

                if (chunked)
                {
                    Http1ChunkWriter.WriteChunkEnd(destination);
                }
            }

            if (status != BodyReadStatus.Data)
            {
                return (status, reader.Position);
            }
        }
    }

    /// <summary>
    /// Reads the backend's response head and streams the response to the client. Returns the failure (if the client got
    /// nothing yet, the caller may retry or answer an error), whether any byte went to the client, and whether the
    /// client connection can carry another request.
    /// </summary>
    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<(AttemptFailure Failure, bool ResponseStarted, bool ClientCanContinue)> RelayResponseAsync(
        UpstreamEndpoint endpoint, UpstreamConnection upstream, PipeWriter output, bool clientKeepAlive, CancellationToken token)
    {
        var upstreamInput = upstream.Input;
        _responseParser.Reset(_head.Method);
        _responseHead.ResetWrittenCount();
        var gotBytes = false;
        while (true)
        {
            var result = await upstreamInput.ReadAsync(token).ConfigureAwait(false);
            gotBytes |= !result.Buffer.IsEmpty;
            var status = ParseResponseHead(result.Buffer, out var consumed);
            upstreamInput.AdvanceTo(consumed, status == HttpParseStatus.Incomplete ? result.Buffer.End : consumed);
            if (status == HttpParseStatus.Rejected)
            {
                return (AttemptFailure.BadResponse, false, false);
            }

            if (status == HttpParseStatus.Complete)
            {
                if (_responseParser.IsInterim)
                {
                    // 1xx before the final response: the client already got its own 100 Continue.
                    _responseParser.Reset(_head.Method);
                    _responseHead.ResetWrittenCount();
                    continue;
                }

                break;
            }

            if (result.IsCompleted)
            {
                return (gotBytes ? AttemptFailure.BadResponse : AttemptFailure.Upstream, false, false);
            }
        }

        var framing = _responseParser.BodyFraming;
        var rechunk = framing is BodyFraming.Chunked or BodyFraming.CloseDelimited && _head.Version == HttpProtocolVersion.Http11;
        var closeClient = !clientKeepAlive || (framing == BodyFraming.CloseDelimited && !rechunk);
        _responseStarted = true;
        RecordResponse(_responseParser.StatusCode);
        output.Write(_responseHead.WrittenSpan);
        var head = new Http1HeadWriter(output);
        if (rechunk)
        {
            head.WriteTransferEncodingChunked();
        }

        head.WriteHeader("X-Request-Id"u8, _requestId);
        WriteCorsHeadersForBackendResponse(ref head);
        if (closeClient)
        {
            head.WriteConnectionClose();
        }

        head.WriteEndOfHead();
        head.Commit();

        var body = HttpBodyReader.ForResponse(_responseParser);
        if (framing == BodyFraming.None)
        {
            await output.FlushAsync(token).ConfigureAwait(false);
        }
        else
        {
            while (true)
            {
                var result = await upstreamInput.ReadAsync(token).ConfigureAwait(false);
                var (status, position) = CopyBody(ref body, result.Buffer, result.IsCompleted, output, rechunk);
                upstreamInput.AdvanceTo(position, status == BodyReadStatus.NeedMoreData ? result.Buffer.End : position);
                if (status == BodyReadStatus.Completed)
                {
                    if (rechunk)
                    {
                        Http1ChunkWriter.WriteLastChunkWithoutTrailers(output);
                    }

                    await output.FlushAsync(token).ConfigureAwait(false);
                    break;
                }

                if (status == BodyReadStatus.Rejected || result.IsCompleted)
                {
                    // The backend broke off mid-body: the client cannot be told cleanly, so its connection ends.
                    await output.FlushAsync(token).ConfigureAwait(false);
                    upstream.MarkBroken();
                    upstream.Dispose();
                    return (AttemptFailure.None, true, false);
                }

                var flush = await output.FlushAsync(token).ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    upstream.Dispose();
                    return (AttemptFailure.None, true, false);
                }
            }
        }

        if (_responseParser.KeepAlive && framing != BodyFraming.CloseDelimited)
        {
            upstream.RequestCount++;
            endpoint.Return(upstream);
        }
        else
        {
            upstream.Dispose();
        }

        return (AttemptFailure.None, true, !closeClient);
    }

    private HttpParseStatus ParseResponseHead(ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var collector = new ResponseHeadCollector(_responseHead);
        var status = _responseParser.TryParseHead(ref reader, ref collector);
        consumed = reader.Position;
        return status;
    }
}

/// <summary>Copies the backend's response head into a buffer, minus the fields that describe the backend hop.</summary>
internal readonly struct ResponseHeadCollector(ArrayBufferWriter<byte> output) : IHttpResponseHandler
{
    public void OnStatusLine(HttpStatusLine statusLine)
    {
        var line = HttpStatusLines.GetHttp11StatusLine(statusLine.StatusCode);
        if (!line.IsEmpty)
        {
            output.Write(line);
            return;
        }

        output.Write("HTTP/1.1 "u8);
        var span = output.GetSpan(3);
        System.Buffers.Text.Utf8Formatter.TryFormat(statusLine.StatusCode, span, out var written);
        output.Advance(written);
        output.Write(" "u8);
        output.Write(statusLine.ReasonPhrase);
        output.Write("\r\n"u8);
    }

    public void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        // Transfer-Encoding is re-decided for the client; Content-Length is kept (it is right for both hops).
        if (header == KnownHeader.TransferEncoding || KnownHeaders.IsHopByHop(header))
        {
            return;
        }

        output.Write(name);
        output.Write(": "u8);
        output.Write(value);
        output.Write("\r\n"u8);
    }
}
