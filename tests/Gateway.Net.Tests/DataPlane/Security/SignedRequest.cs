using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Net.DataPlane;
using Gateway.Net.Http.Parsing;
using Gateway.Net.Security;

namespace Gateway.Net.Tests.DataPlane.Security;

/// <summary>A request as a client sends it: method, raw path and query (still escaped), headers in order, body.</summary>
internal sealed record SignedRequest(string Method, string RawPath, string RawQuery, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public SignedRequest WithHeader(string name, string value)
    {
        var headers = Headers.ToList();
        var index = headers.FindIndex(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            headers.Add(new(name, value));
        }
        else
        {
            headers[index] = new(headers[index].Key, value);
        }

        return this with { Headers = headers };
    }

    /// <summary>The request loaded into a <see cref="RequestHead"/> as the data plane's parser would fill it (values untouched).</summary>
    public RequestHead ToHead()
    {
        var head = new RequestHead();
        var target = Encoding.UTF8.GetBytes(RawQuery.Length > 0 ? $"{RawPath}?{RawQuery}" : RawPath);
        head.OnRequestLine(new HttpRequestLine(KnownMethod.Custom, Encoding.ASCII.GetBytes(Method), target, HttpTargetForm.Origin, HttpProtocolVersion.Http11));
        foreach (var (name, value) in Headers)
        {
            head.OnHeader(KnownHeader.Unknown, Encoding.ASCII.GetBytes(name), Encoding.UTF8.GetBytes(value));
        }

        return head;
    }

    /// <summary>Verifies the request the way the data plane does: form, clock, then the signature over the body's hash.</summary>
    public SdkCheck Verify(SdkRequestVerifier verifier, string secret, TimeProvider clock, TimeSpan? maxSkew = null)
    {
        var head = ToHead();
        var check = SdkRequestVerifier.TryRead(head, out var signature);
        if (check != SdkCheck.Ok)
        {
            return check;
        }

        if (!SdkRequestVerifier.IsFresh(signature, clock.GetUtcNow(), maxSkew ?? TimeSpan.FromMinutes(15)))
        {
            return SdkCheck.Expired;
        }

        var hash = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(Body)));
        return verifier.Verify(head, signature, Encoding.UTF8.GetBytes(secret), hash);
    }

    public override string ToString() =>
        $"{Method} {RawPath}?{RawQuery} [{string.Join(" | ", Headers.Select(h => $"{h.Key}: {h.Value}"))}] body={Encoding.UTF8.GetString(Body)}";
}

/// <summary>A clock that stays where the test puts it.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>A request signed by Huawei's own SDK signer, from shared/spec/signing-vectors.json.</summary>
internal sealed record SigningVector(string Name, string AccessKey, string SecretKey, DateTimeOffset Date, SignedRequest Request)
{
    public static IReadOnlyList<SigningVector> All { get; } = Load();

    public override string ToString() => Name;

    private static List<SigningVector> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FindFile()));
        var vectors = new List<SigningVector>();
        foreach (var vector in document.RootElement.GetProperty("vectors").EnumerateArray())
        {
            var target = vector.GetProperty("request_target").GetString()!;
            var question = target.IndexOf('?');
            var headers = vector.GetProperty("signed_headers").EnumerateObject().Select(h => new KeyValuePair<string, string>(h.Name, h.Value.GetString()!)).ToList();
            var request = new SignedRequest(
                vector.GetProperty("method").GetString()!,
                question < 0 ? target : target[..question],
                question < 0 ? "" : target[(question + 1)..],
                headers,
                Encoding.UTF8.GetBytes(vector.GetProperty("body").GetString()!));
            SdkSigning.TryParseDate(Encoding.ASCII.GetBytes(request.Header("X-Sdk-Date")!), out var date);
            vectors.Add(new SigningVector(
                vector.GetProperty("name").GetString()!,
                vector.GetProperty("access_key").GetString()!,
                vector.GetProperty("secret_key").GetString()!,
                date,
                request));
        }

        return vectors;
    }

    private static string FindFile()
    {
        var relative = Path.Combine("shared", "spec", "signing-vectors.json");
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"No {relative} above {AppContext.BaseDirectory}.");
    }
}
