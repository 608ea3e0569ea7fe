using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Gateway.Net.DataPlane.Authorizers;
using Gateway.Net.Http.Parsing;
using Gateway.Net.Http.Serialization;
using Gateway.Net.Threading;
using Gateway.Net.Upstream;

namespace Gateway.Net.DataPlane;

internal sealed partial class GatewayConnection
{
    /// <summary>Largest authorizer answer read (Huawei caps function answers at 1 MB).</summary>
    private const int MaxAuthorizerResponseBytes = 1024 * 1024;

    // Allocated on the first AUTHORIZER request of the connection, then reused.
    private byte[]? _identityKey;
    private char[]? _identityChars;
    private ArrayBufferWriter<byte>? _authorizerEvent;
    private Utf8JsonWriter? _authorizerJson;

    // The allowing decision of the current request: valid only while _authorizerRequest is this request's number.
    private AuthorizerDecision? _authorizerDecision;
    private ulong _authorizerRequest;

    /// <summary>
    /// auth_type AUTHORIZER: checks the identity sources, then asks the API's FRONTEND authorizer (or its cache) whether
    /// the call may go on. Allow keeps the returned context for <c>$context.authorizer.frontend.*</c>; deny is
    /// AUTHORIZER_FAILURE (apig.md: "the custom authorizer returned failure"); an authorizer that cannot be reached in
    /// time or answers abnormally is AUTHORIZER_CONF_FAILURE ("communication failure, abnormal response").
    /// </summary>
    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<GatewayError?> AuthorizeWithCustomAuthorizerAsync(CompiledApi api, PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        _authorizerDecision = null;
        if (api.FrontendAuthorizer is not { } plan)
        {
            return GatewayError.AuthorizerConfFailure;
        }

        var keyLength = BuildIdentityKey(plan);
        if (keyLength < 0)
        {
            return GatewayError.AuthorizerIdentityFailure;
        }

        var cache = plan.Cache;
        var hash = 0;
        if (cache is not null)
        {
            hash = AuthorizerCache.Hash(_identityKey.AsSpan(0, keyLength));
            if (cache.TryGet(_identityKey.AsSpan(0, keyLength), hash, cache.Clock.GetTimestamp(), out var cached))
            {
                return Accept(cached);
            }
        }

        // need_body: the body goes into the event, so it is read now (bounded, as for signatures) and forwarded from
        // the buffer afterwards; nothing reaches the backend before the authorizer has decided.
        if (plan.NeedBody && _parser.BodyFraming != BodyFraming.None && _bodyState != RequestBodyState.Buffered &&
            await BufferBodyAsync(input, output, cancellationToken).ConfigureAwait(false) is { } bodyError)
        {
            return bodyError;
        }

        var decision = await CallAuthorizerAsync(plan, api, cancellationToken).ConfigureAwait(false);
        if (decision is null)
        {
            return GatewayError.AuthorizerConfFailure; // failures are not cached: the next call asks again
        }

        cache?.Add(_identityKey.AsSpan(0, keyLength), hash, cache.Clock.GetTimestamp(), decision);
        return Accept(decision);
    }

    private GatewayError? Accept(AuthorizerDecision decision)
    {
        if (!decision.Allowed)
        {
            return GatewayError.AuthorizerFailure;
        }

        _authorizerDecision = decision;
        _authorizerRequest = _requestCount;
        return null;
    }

    /// <summary>A context value the authorizer returned for this request, or empty.</summary>
    private ReadOnlySpan<byte> AuthorizerContextValue(BackendParameterRule parameter) =>
        _authorizerDecision is { } decision && _authorizerRequest == _requestCount && parameter.AuthorizerContextName is { } name &&
        decision.TryGet(name, out var value)
            ? value
            : default;

    /// <summary>
    /// Writes the identity values into <see cref="_identityKey"/> (each as a 4-byte length and the bytes: the cache key)
    /// and returns its length, or -1 when one is missing, empty or fails its validation expression.
    /// </summary>
    private int BuildIdentityKey(AuthorizerPlan plan)
    {
        _identityKey ??= new byte[256];
        var length = 0;
        foreach (var identity in plan.Identities)
        {
            ReadOnlySpan<byte> value;
            var found = identity.InQuery
                ? TryGetQueryValue(_head[_head.Query], identity.Name, out value)
                : _head.TryGetHeader(identity.Name, out value);
            if (!found || value.IsEmpty || (identity.Validation is { } validation && !MatchesWhole(validation, value)))
            {
                return -1;
            }

            if (length + 4 + value.Length > _identityKey.Length)
            {
                Array.Resize(ref _identityKey, Math.Max(_identityKey.Length * 2, length + 4 + value.Length));
            }

            BinaryPrimitives.WriteInt32LittleEndian(_identityKey.AsSpan(length), value.Length);
            value.CopyTo(_identityKey.AsSpan(length + 4));
            length += 4 + value.Length;
        }

        return length;
    }

    private bool MatchesWhole(System.Text.RegularExpressions.Regex validation, ReadOnlySpan<byte> value)
    {
        var needed = System.Text.Encoding.UTF8.GetMaxCharCount(value.Length);
        if (_identityChars is null || _identityChars.Length < needed)
        {
            _identityChars = new char[Math.Max(needed, 256)];
        }

        var count = System.Text.Encoding.UTF8.GetChars(value, _identityChars);
        try
        {
            return validation.IsMatch(_identityChars.AsSpan(0, count));
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>POSTs the event to the authorizer over a pooled connection; null when it failed or answered nonsense.</summary>
    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<AuthorizerDecision?> CallAuthorizerAsync(AuthorizerPlan plan, CompiledApi api, CancellationToken cancellationToken)
    {
        WriteAuthorizerEvent(plan, api);
        var token = StartUpstreamTimeout(plan.TimeoutMilliseconds);
        var endpoint = plan.Endpoint;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            UpstreamConnection? upstream = null;
            var reused = false;
            var answered = false;
            try
            {
                reused = endpoint.TryRent(HomeLoop, out upstream);
                upstream ??= await UpstreamConnection.ConnectAsync(endpoint, HomeLoop, token).ConfigureAwait(false);

                var head = new Http1HeadWriter(upstream.Output);
                head.WriteRequestLine("POST"u8, plan.Target, HttpProtocolVersion.Http11);
                head.WriteHeader("Host"u8, endpoint.HostHeader);
                head.WriteHeader("Content-Type"u8, "application/json"u8);
                head.WriteContentLength(_authorizerEvent!.WrittenCount);
                head.WriteHeader("X-Request-Id"u8, _requestId);
                head.WriteEndOfHead();
                head.Write(_authorizerEvent.WrittenSpan);
                head.Commit();
                await upstream.Output.FlushAsync(token).ConfigureAwait(false);

                var (status, body, bodyLength, keepAlive, gotBytes) = await ReadAuthorizerAnswerAsync(upstream, token).ConfigureAwait(false);
                answered = gotBytes;
                try
                {
                    if (status == 0)
                    {
                        upstream.Dispose();
                        if (reused && !gotBytes)
                        {
                            continue; // the pooled connection had been closed by the authorizer: once more on a new one
                        }

                        return null;
                    }

                    if (keepAlive)
                    {
                        upstream.RequestCount++;
                        endpoint.Return(upstream);
                    }
                    else
                    {
                        upstream.Dispose();
                    }

                    return status == 200 && AuthorizerResult.TryParse(body.AsSpan(0, bodyLength), out var decision) ? decision : null;
                }
                finally
                {
                    if (body is not null)
                    {
                        ArrayPool<byte>.Shared.Return(body);
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                upstream?.Dispose();
                return null; // timed out
            }
            catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or InvalidOperationException or System.Security.Authentication.AuthenticationException)
            {
                upstream?.Dispose();
                if (!(reused && !answered))
                {
                    return null;
                }
            }
        }

        return null;
    }

    private void WriteAuthorizerEvent(AuthorizerPlan plan, CompiledApi api)
    {
        if (_authorizerEvent is null)
        {
            _authorizerEvent = new ArrayBufferWriter<byte>(2048);
            _authorizerJson = new Utf8JsonWriter(_authorizerEvent);
        }
        else
        {
            _authorizerEvent.ResetWrittenCount();
            _authorizerJson!.Reset(_authorizerEvent);
        }

        AuthorizerEvent.Write(_authorizerJson!, _head, api.IdBytes, _head[_head.Stage], _requestId, SourceIp(), plan.UserData,
            plan.NeedBody && _bodyState == RequestBodyState.Buffered ? _body.AsSpan(0, _bodyLength) : default);
    }

    /// <summary>
    /// Reads the authorizer's response: status (0 when no complete response came), the body in a pooled array (the
    /// caller returns it), its length, whether the connection can be reused, and whether any byte arrived.
    /// </summary>
    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<(int Status, byte[]? Body, int Length, bool KeepAlive, bool GotBytes)> ReadAuthorizerAnswerAsync(UpstreamConnection upstream, CancellationToken token)
    {
        var input = upstream.Input;
        _responseParser.Reset(KnownMethod.Post);
        var gotBytes = false;
        while (true)
        {
            var result = await input.ReadAsync(token).ConfigureAwait(false);
            gotBytes |= !result.Buffer.IsEmpty;
            var status = ParseAuthorizerHead(result.Buffer, out var consumed);
            input.AdvanceTo(consumed, status == HttpParseStatus.Incomplete ? result.Buffer.End : consumed);
            if (status == HttpParseStatus.Rejected)
            {
                return (0, null, 0, false, true);
            }

            if (status == HttpParseStatus.Complete)
            {
                if (_responseParser.IsInterim)
                {
                    _responseParser.Reset(KnownMethod.Post);
                    continue;
                }

                break;
            }

            if (result.IsCompleted)
            {
                return (0, null, 0, false, gotBytes);
            }
        }

        var statusCode = _responseParser.StatusCode;
        var framing = _responseParser.BodyFraming;
        if (framing == BodyFraming.ContentLength && _responseParser.ContentLength > MaxAuthorizerResponseBytes)
        {
            return (0, null, 0, false, true);
        }

        var body = ArrayPool<byte>.Shared.Rent(framing == BodyFraming.ContentLength ? (int)Math.Max(_responseParser.ContentLength, 1) : 4096);
        var length = 0;
        var reader = HttpBodyReader.ForResponse(_responseParser);
        while (framing != BodyFraming.None)
        {
            var result = await input.ReadAsync(token).ConfigureAwait(false);
            var (status, position, overflow) = CopyAuthorizerBody(ref reader, result.Buffer, result.IsCompleted, ref body, ref length);
            input.AdvanceTo(position, status == BodyReadStatus.NeedMoreData ? result.Buffer.End : position);
            if (overflow || status == BodyReadStatus.Rejected || (status != BodyReadStatus.Completed && result.IsCompleted))
            {
                ArrayPool<byte>.Shared.Return(body);
                return (0, null, 0, false, true);
            }

            if (status == BodyReadStatus.Completed)
            {
                break;
            }
        }

        return (statusCode, body, length, _responseParser.KeepAlive && framing != BodyFraming.CloseDelimited, true);
    }

    private static (BodyReadStatus Status, SequencePosition Position, bool Overflow) CopyAuthorizerBody(
        ref HttpBodyReader reader, ReadOnlySequence<byte> buffer, bool completed, ref byte[] body, ref int length)
    {
        var sequence = new SequenceReader<byte>(buffer);
        while (true)
        {
            var status = reader.Read(ref sequence, completed, out var data);
            if (!data.IsEmpty)
            {
                if (length + data.Length > MaxAuthorizerResponseBytes)
                {
                    return (BodyReadStatus.Rejected, sequence.Position, true);
                }

                if (length + data.Length > body.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Max(body.Length * 2L, length + data.Length));
                    body.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(body);
                    body = larger;
                }

                data.CopyTo(body.AsSpan(length));
                length += (int)data.Length;
            }

            if (status != BodyReadStatus.Data)
            {
                return (status, sequence.Position, false);
            }
        }
    }

    private HttpParseStatus ParseAuthorizerHead(ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var handler = default(StatusOnlyResponseHandler);
        var status = _responseParser.TryParseHead(ref reader, ref handler);
        consumed = reader.Position;
        return status;
    }
}
