using System.Text.Json;
using Gateway.Hosting.Authentication;

namespace Gateway.Hosting.Tests.Authentication;

/// <summary>A clock that stays where the test puts it.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Request headers as an ordered list of name/value pairs; a name may repeat.</summary>
internal sealed class TestHeaders : ISdkHeaderLookup
{
    private readonly List<KeyValuePair<string, string>> _headers;

    public TestHeaders(IEnumerable<KeyValuePair<string, string>> headers) => _headers = [.. headers];

    public IReadOnlyList<KeyValuePair<string, string>> All => _headers;

    public SdkHeaderValues GetValues(string name)
    {
        var values = new List<string>();
        foreach (var (headerName, value) in _headers)
        {
            if (string.Equals(headerName, name, StringComparison.OrdinalIgnoreCase))
            {
                values.Add(value);
            }
        }

        return new SdkHeaderValues([.. values]);
    }

    public TestHeaders With(string name, string value)
    {
        var copy = new List<KeyValuePair<string, string>>();
        var replaced = false;
        foreach (var header in _headers)
        {
            if (!replaced && string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                copy.Add(new(header.Key, value));
                replaced = true;
            }
            else
            {
                copy.Add(header);
            }
        }

        if (!replaced)
        {
            copy.Add(new(name, value));
        }

        return new TestHeaders(copy);
    }

    public TestHeaders Without(string name)
    {
        var copy = new List<KeyValuePair<string, string>>();
        foreach (var header in _headers)
        {
            if (!string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                copy.Add(header);
            }
        }

        return new TestHeaders(copy);
    }

    public string? Get(string name)
    {
        var values = GetValues(name);
        return values.Count == 0 ? null : values[0];
    }

    public override string ToString() => string.Join(" | ", _headers.Select(h => $"{h.Key}: {h.Value}"));
}

/// <summary>One request as the verifier sees it.</summary>
internal sealed record TestRequest(string Method, string RawPath, string RawQuery, TestHeaders Headers, byte[] Body)
{
    public SdkVerificationResult Verify(IReadOnlyDictionary<string, string> secrets, DateTimeOffset now) =>
        Verify(secrets, now, SdkSignatureVerifier.DefaultMaxClockSkew);

    public SdkVerificationResult Verify(IReadOnlyDictionary<string, string> secrets, DateTimeOffset now, TimeSpan maxClockSkew) =>
        SdkSignatureVerifier.Verify(
            Method,
            RawPath,
            RawQuery,
            Headers,
            Body,
            secrets.TryGetValue,
            now,
            maxClockSkew);

    public override string ToString() =>
        $"{Method} {RawPath}?{RawQuery} [{Headers}] body({Body.Length})={Convert.ToHexString(Body)}";
}

/// <summary>A request signed by Huawei's official SDK signer, from shared/spec/signing-vectors.json.</summary>
internal sealed record SigningVector(string Name, string AccessKey, string SecretKey, DateTimeOffset Date, TestRequest Request)
{
    public override string ToString() => Name;

    public IReadOnlyDictionary<string, string> Secrets => new Dictionary<string, string> { [AccessKey] = SecretKey };

    public static IReadOnlyList<SigningVector> All { get; } = Load();

    private static IReadOnlyList<SigningVector> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FindVectorFile()));
        var vectors = new List<SigningVector>();
        foreach (var vector in document.RootElement.GetProperty("vectors").EnumerateArray())
        {
            var target = vector.GetProperty("request_target").GetString()!;
            var question = target.IndexOf('?');
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var header in vector.GetProperty("signed_headers").EnumerateObject())
            {
                headers.Add(new(header.Name, header.Value.GetString()!));
            }

            var testHeaders = new TestHeaders(headers);
            var date = DateTimeOffset.ParseExact(
                testHeaders.Get("X-Sdk-Date")!,
                "yyyyMMdd'T'HHmmss'Z'",
                System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal);
            var request = new TestRequest(
                vector.GetProperty("method").GetString()!,
                question < 0 ? target : target[..question],
                question < 0 ? "" : target[(question + 1)..],
                testHeaders,
                System.Text.Encoding.UTF8.GetBytes(vector.GetProperty("body").GetString()!));
            vectors.Add(new SigningVector(
                vector.GetProperty("name").GetString()!,
                vector.GetProperty("access_key").GetString()!,
                vector.GetProperty("secret_key").GetString()!,
                date,
                request));
        }

        return vectors;
    }

    private static string FindVectorFile()
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

        throw new FileNotFoundException($"No {relative} in any parent of {AppContext.BaseDirectory}.");
    }
}
