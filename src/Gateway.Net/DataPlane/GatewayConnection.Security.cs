using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Gateway.Net.Http.Parsing;
using Gateway.Net.Security;
using Gateway.Net.Threading;

namespace Gateway.Net.DataPlane;

/// <summary>Settings of the data plane's authentication step.</summary>
internal sealed partial class DataPlaneOptions
{
    /// <summary>The clock signed requests' <c>X-Sdk-Date</c> is compared with.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The largest accepted difference between the clock and <c>X-Sdk-Date</c> (APIG: 15 minutes).</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The largest body the gateway reads in full before forwarding it: to hash it for a signed request (APIG: 12 MiB
    /// for signed requests) or to send it to a custom authorizer with <c>need_body</c>. Larger bodies are answered 413
    /// before anything reaches the backend; other requests (and <c>X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD</c>) stream.
    /// </summary>
    public long MaxBufferedBodyBytes { get; init; } = 12 * 1024 * 1024;

    /// <summary>Validates IAM tokens and access keys for <c>auth_type</c> IAM; without one every IAM call is refused.</summary>
    public IIamCredentialValidator? IamValidator { get; init; }
}

/// <summary>Whether the request body was already read by the gateway (to hash it for a signature, or for a custom authorizer with <c>need_body</c>).</summary>
internal enum RequestBodyState : byte
{
    /// <summary>Still in the client's pipe (or there is none).</summary>
    Unread,

    /// <summary>Read completely into the connection's body buffer: forward that, drain nothing.</summary>
    Buffered,

    /// <summary>Partly read and abandoned (too large, malformed): the connection must close.</summary>
    Broken,
}

internal sealed partial class GatewayConnection
{
    /// <summary>Bodies up to this size keep their buffer for the connection's next request; larger ones give it back.</summary>
    private const int RetainedBodyBytes = 64 * 1024;

    private static readonly byte[] AppMessagePrefix = "Incorrect app authentication information"u8.ToArray();
    private static readonly byte[] IamMessagePrefix = "Incorrect IAM authentication information"u8.ToArray();

    private static ReadOnlySpan<byte> ContinueLine => "HTTP/1.1 100 Continue\r\n\r\n"u8;

    // ---- The caller of the current request, set by AuthenticateAsync and cleared by ResetCaller for every request.
    // _callerApp: the APP that authenticated (auth_type APP: signature or AppCode); its Id/IdBytes identify it for
    //             per-APP throttles and special throttles, and $context.appId.
    // _callerUser: the IAM user and account (auth_type IAM); UserId/DomainId for per-user throttles and special
    //             USER throttles, DomainName/DomainId for DOMAIN/DOMAIN_ID ACLs.
    // Both are null for NONE and AUTHORIZER APIs and for refused requests.
    private CompiledApp? _callerApp;
    private IamCaller? _callerUser;

    private readonly SdkRequestVerifier _sdkVerifier = new();
    private SdkRequestSignature _signature;
    private readonly byte[] _bodyDigest = new byte[SdkSigning.DigestLength];
    private readonly byte[] _payloadHash = new byte[SdkSigning.HexDigestLength];
    private byte[] _body = [];
    private int _bodyLength;
    private RequestBodyState _bodyState;
    private readonly byte[] _errorDetail = new byte[192];
    private int _errorDetailLength;

    /// <summary>The authenticated APP's id, or empty: <c>$context.appId</c> and the key of per-APP throttles.</summary>
    private ReadOnlySpan<byte> CallerAppId() => _callerApp is null ? default : _callerApp.IdBytes;

    /// <summary>The authenticated IAM user's id, or empty: the key of per-user throttles.</summary>
    private ReadOnlySpan<byte> CallerUserId() => _callerUser is null ? default : _callerUser.UserIdBytes;

    /// <summary>Forgets the previous request's caller, body and error detail.</summary>
    private void ResetCaller()
    {
        _callerApp = null;
        _callerUser = null;
        _errorDetailLength = 0;
        _bodyState = RequestBodyState.Unread;
        _bodyLength = 0;
        if (_body.Length > RetainedBodyBytes)
        {
            ArrayPool<byte>.Shared.Return(_body);
            _body = [];
        }
    }

    /// <summary>
    /// Establishes the caller for the API's auth type and checks that it may call the API here; returns the error to
    /// answer with, or null to go on. Order: IP ACLs (cheap, need no credential), authentication, the APP's
    /// authorization and own IP ACL, then account ACLs. Only a signed request with a body to hash reads the body, and
    /// nothing is forwarded before the signature over it has been checked.
    /// </summary>
    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<GatewayError?> AuthenticateAsync(CompiledApi api, PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        var plan = api.Security;
        if (plan.Acls.Length > 0 && CheckAcls(plan, AclPhase.Addresses) is { } addressDenied)
        {
            return addressDenied;
        }

        GatewayError? failure = null;
        switch (plan.Auth)
        {
            case AuthKind.None:
                break;

            case AuthKind.Authorizer:
                failure = await AuthorizeWithCustomAuthorizerAsync(api, input, output, cancellationToken).ConfigureAwait(false);
                break;

            case AuthKind.App:
                failure = await AuthenticateAppAsync(plan, input, output, cancellationToken).ConfigureAwait(false);
                break;

            case AuthKind.Iam:
                failure = await AuthenticateIamAsync(input, output, cancellationToken).ConfigureAwait(false);
                break;
        }

        if (failure is null && plan.Acls.Length > 0)
        {
            failure = CheckAcls(plan, AclPhase.Accounts);
        }

        if (failure is not null)
        {
            _callerApp = null;
            _callerUser = null;
        }

        return failure;
    }

    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<GatewayError?> AuthenticateAppAsync(ApiSecurityPlan plan, PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        CompiledApp? app;
        if (plan.AppCodeInHeader && FindAppByCode(plan) is { } byCode)
        {
            app = byCode.App;
            if (app is null)
            {
                return GatewayError.AuthFailure;
            }
        }
        else
        {
            var check = SdkRequestVerifier.TryRead(_head, out _signature);
            if (check == SdkCheck.Missing)
            {
                return GatewayError.AppAuthHeaderMissing;
            }

            if (check != SdkCheck.Ok)
            {
                return GatewayError.AuthFailure;
            }

            app = plan.Apps.FindByKey(_head[_signature.AccessKey]);
            if (app is null)
            {
                return GatewayError.AuthFailure;
            }

            if (await VerifySignatureAsync(app.Secret, GatewayError.AuthFailure, AppMessagePrefix, input, output, cancellationToken).ConfigureAwait(false) is { } invalid)
            {
                return invalid;
            }
        }

        if (!plan.AuthorizedApps.Contains(app))
        {
            return GatewayError.AppNotAuthorized;
        }

        if (app.AclAddresses is { } addresses && addresses.Contains(ClientAddress()) != app.AclPermits)
        {
            return GatewayError.AppIpNotTrusted;
        }

        _callerApp = app;
        return null;
    }

    /// <summary>The APP of the request's <c>X-Apig-AppCode</c> (App null when the code is unknown), or null without the header.</summary>
    private AppCodeMatch? FindAppByCode(ApiSecurityPlan plan)
    {
        if (!_head.TryGetHeader("X-Apig-AppCode"u8, out var code) || code.IsEmpty)
        {
            return null;
        }

        return new AppCodeMatch(plan.Apps.FindByCode(code));
    }

    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<GatewayError?> AuthenticateIamAsync(PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        var validator = _options.IamValidator;
        if (_head.TryGetHeader("X-Auth-Token"u8, out var token) && !token.IsEmpty)
        {
            var caller = validator?.ValidateToken(token);
            if (caller is null)
            {
                return GatewayError.IamAuthFailure;
            }

            _callerUser = caller;
            return null;
        }

        var check = SdkRequestVerifier.TryRead(_head, out _signature);
        if (check == SdkCheck.Missing)
        {
            return GatewayError.AuthHeaderMissing;
        }

        if (check != SdkCheck.Ok || validator is null)
        {
            return GatewayError.IamAuthFailure;
        }

        var key = validator.FindAccessKey(_head[_signature.AccessKey]);
        if (key is null)
        {
            return GatewayError.IamAuthFailure;
        }

        if (await VerifySignatureAsync(key.Secret, GatewayError.IamAuthFailure, IamMessagePrefix, input, output, cancellationToken).ConfigureAwait(false) is { } invalid)
        {
            return invalid;
        }

        _callerUser = key.Caller;
        return null;
    }

    /// <summary>
    /// Checks the clock and the signature of the request read into <see cref="_signature"/>; reads and hashes the body
    /// first when the signature covers it. Returns the error to answer with, or null when the signature is valid.
    /// </summary>
    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<GatewayError?> VerifySignatureAsync(
        byte[] secret, GatewayError failure, byte[] messagePrefix, PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        var now = _options.TimeProvider.GetUtcNow();
        if (!SdkRequestVerifier.IsFresh(_signature, now, _options.MaxClockSkew))
        {
            SetExpiredDetail(messagePrefix, now);
            return failure;
        }

        var bodyHashed = false;
        if (_signature.ContentSha256.IsEmpty && _parser.BodyFraming != BodyFraming.None)
        {
            if (await BufferBodyAsync(input, output, cancellationToken).ConfigureAwait(false) is { } bodyError)
            {
                return bodyError;
            }

            SHA256.HashData(_body.AsSpan(0, _bodyLength), _bodyDigest);
            SdkSigning.WriteLowerHex(_bodyDigest, _payloadHash);

            bodyHashed = true;
        }

        return CheckSignature(secret, bodyHashed) ? null : failure;
    }

    private bool CheckSignature(byte[] secret, bool bodyHashed)
    {
        var payloadHash = bodyHashed ? _payloadHash : SdkSigning.EmptyBodyHash;
        return _sdkVerifier.Verify(_head, _signature, secret, payloadHash) == SdkCheck.Ok;
    }

    /// <summary>
    /// Reads the whole request body into the connection's body buffer, up to
    /// <see cref="DataPlaneOptions.MaxBufferedBodyBytes"/>. Afterwards the body is forwarded from the buffer.
    /// </summary>
    [AsyncMethodBuilder(typeof(RecycledValueTaskMethodBuilder<>))]
    private async ValueTask<GatewayError?> BufferBodyAsync(PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        if (_parser.BodyFraming == BodyFraming.ContentLength && _parser.ContentLength > _options.MaxBufferedBodyBytes)
        {
            return GatewayError.RequestBodyTooLarge; // nothing read yet: the usual drain rules apply
        }

        if (_parser.ExpectContinue)
        {
            output.Write(ContinueLine);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        _bodyLength = 0;
        var body = HttpBodyReader.ForRequest(_parser);
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var (status, position, tooLarge) = BufferBody(ref body, result.Buffer, result.IsCompleted);
            input.AdvanceTo(position, status == BodyReadStatus.NeedMoreData ? result.Buffer.End : position);
            if (tooLarge)
            {
                _bodyState = RequestBodyState.Broken;
                return GatewayError.RequestBodyTooLarge;
            }

            if (status == BodyReadStatus.Completed)
            {
                break;
            }

            if (status == BodyReadStatus.Rejected || result.IsCompleted)
            {
                _bodyState = RequestBodyState.Broken;
                return GatewayError.BadRequest;
            }
        }

        _bodyState = RequestBodyState.Buffered;
        return null;
    }

    private (BodyReadStatus Status, SequencePosition Position, bool TooLarge) BufferBody(ref HttpBodyReader body, ReadOnlySequence<byte> buffer, bool completed)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (true)
        {
            var status = body.Read(ref reader, completed, out var data);
            foreach (var segment in data)
            {
                if (_bodyLength + (long)segment.Length > _options.MaxBufferedBodyBytes)
                {
                    return (status, reader.Position, true);
                }

                EnsureBodyCapacity(_bodyLength + segment.Length);
                segment.Span.CopyTo(_body.AsSpan(_bodyLength));
                _bodyLength += segment.Length;
            }

            if (status != BodyReadStatus.Data)
            {
                return (status, reader.Position, false);
            }
        }
    }

    private void EnsureBodyCapacity(int needed)
    {
        if (needed <= _body.Length)
        {
            return;
        }

        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, Math.Max(4096, _body.Length * 2L)), Array.MaxLength));
        _body.AsSpan(0, _bodyLength).CopyTo(grown);
        if (_body.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_body);
        }

        _body = grown;
    }

    /// <summary>Sends the body read for the signature check to the backend (its head announced the length).</summary>
    private ValueTask<FlushResult> WriteBufferedBodyAsync(PipeWriter upstream, CancellationToken token)
    {
        upstream.Write(_body.AsSpan(0, _bodyLength));
        return upstream.FlushAsync(token);
    }

    /// <summary>For DrainBodyAsync: true (with whether the connection can go on) when the body was already handled here.</summary>
    private bool BodyAlreadyRead(out bool reusable)
    {
        reusable = _bodyState == RequestBodyState.Buffered;
        return _bodyState != RequestBodyState.Unread;
    }

    /// <summary>
    /// The message of an error response: the documented one, or the detail of this request's failure (an expired
    /// signature names the signing and the server time, as APIG does). Details never contain credentials.
    /// </summary>
    private ReadOnlySpan<byte> ErrorMessage(GatewayErrorResponse error) =>
        _errorDetailLength > 0 ? _errorDetail.AsSpan(0, _errorDetailLength) : error.Message;

    private void SetExpiredDetail(ReadOnlySpan<byte> prefix, DateTimeOffset now)
    {
        // "<prefix>: signature expired, signature time:20230527T000431Z,server time:20230527T003000Z"
        var detail = _errorDetail.AsSpan();
        var length = 0;
        prefix.CopyTo(detail);
        length += prefix.Length;
        ": signature expired, signature time:"u8.CopyTo(detail[length..]);
        length += 36;
        _head[_signature.Date].CopyTo(detail[length..]); // validated: 16 ASCII characters
        length += SdkSigning.DateLength;
        ",server time:"u8.CopyTo(detail[length..]);
        length += 13;
        SdkSigning.FormatDate(now, detail[length..]);
        length += SdkSigning.DateLength;
        _errorDetailLength = length;
    }

    private enum AclPhase : byte
    {
        /// <summary>IP rules: before authentication.</summary>
        Addresses,

        /// <summary>DOMAIN / DOMAIN_ID rules: after authentication, once the account is known.</summary>
        Accounts,
    }

    /// <summary>
    /// Applies the bound ACLs of one phase, DENY rules first: a DENY rule refuses a caller it lists, a PERMIT rule
    /// refuses a caller it does not list. A caller without a known account (not IAM) is listed by no account rule.
    /// </summary>
    private GatewayError? CheckAcls(ApiSecurityPlan plan, AclPhase phase)
    {
        foreach (var rule in plan.Acls)
        {
            bool listed;
            switch (rule.Entity)
            {
                case AclEntity.Ip when phase == AclPhase.Addresses:
                    listed = rule.Addresses!.Contains(ClientAddress());
                    break;
                case AclEntity.Domain when phase == AclPhase.Accounts:
                    listed = _callerUser is { } user && rule.Accounts!.Find(user.DomainNameBytes) is not null;
                    break;
                case AclEntity.DomainId when phase == AclPhase.Accounts:
                    listed = _callerUser is { } owner && rule.Accounts!.Find(owner.DomainIdBytes) is not null;
                    break;
                default:
                    continue;
            }

            if (listed != rule.Permit)
            {
                return rule.Entity == AclEntity.Ip ? GatewayError.IpNotAuthorized : GatewayError.AccessDenied;
            }
        }

        return null;
    }

    /// <summary>The outcome of an AppCode lookup: the header was present; App is null when the code is unknown.</summary>
    private readonly record struct AppCodeMatch(CompiledApp? App);
}
