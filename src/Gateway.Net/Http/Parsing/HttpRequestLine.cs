namespace Gateway.Net.Http.Parsing;

/// <summary>A validated request line, viewed over the parser's input.</summary>
internal readonly ref struct HttpRequestLine
{
    public HttpRequestLine(KnownMethod method, ReadOnlySpan<byte> methodName, ReadOnlySpan<byte> target, HttpTargetForm targetForm, HttpProtocolVersion version)
    {
        Method = method;
        MethodName = methodName;
        Target = target;
        TargetForm = targetForm;
        Version = version;
    }

    public KnownMethod Method { get; }

    /// <summary>The method token as sent (needed for <see cref="KnownMethod.Custom"/>).</summary>
    public ReadOnlySpan<byte> MethodName { get; }

    /// <summary>The request-target exactly as sent.</summary>
    public ReadOnlySpan<byte> Target { get; }

    public HttpTargetForm TargetForm { get; }

    public HttpProtocolVersion Version { get; }

    /// <summary>host[:port] of an absolute-form or authority-form target; empty otherwise.</summary>
    public ReadOnlySpan<byte> Authority
    {
        get
        {
            if (TargetForm == HttpTargetForm.Authority)
            {
                return Target;
            }

            if (TargetForm != HttpTargetForm.Absolute)
            {
                return default;
            }

            var afterScheme = Target[(Target.IndexOf("://"u8) + 3)..];
            int end = afterScheme.IndexOfAny("/?#"u8);
            return end < 0 ? afterScheme : afterScheme[..end];
        }
    }

    /// <summary>The path (no query, no fragment) of an origin-form or absolute-form target; "/" when an absolute URI has none.</summary>
    public ReadOnlySpan<byte> Path
    {
        get
        {
            var pathAndQuery = PathAndQuery;
            int end = pathAndQuery.IndexOfAny(HttpCharacters.Question, HttpCharacters.Hash);
            var path = end < 0 ? pathAndQuery : pathAndQuery[..end];
            return path.IsEmpty && TargetForm == HttpTargetForm.Absolute ? "/"u8 : path;
        }
    }

    /// <summary>The query including its leading '?', without fragment; empty when absent.</summary>
    public ReadOnlySpan<byte> Query
    {
        get
        {
            var pathAndQuery = PathAndQuery;
            int start = pathAndQuery.IndexOf(HttpCharacters.Question);
            if (start < 0)
            {
                return default;
            }

            var query = pathAndQuery[start..];
            int fragment = query.IndexOf(HttpCharacters.Hash);
            return fragment < 0 ? query : query[..fragment];
        }
    }

    private ReadOnlySpan<byte> PathAndQuery
    {
        get
        {
            switch (TargetForm)
            {
                case HttpTargetForm.Origin:
                    return Target;
                case HttpTargetForm.Absolute:
                    var afterScheme = Target[(Target.IndexOf("://"u8) + 3)..];
                    int start = afterScheme.IndexOfAny("/?#"u8);
                    return start < 0 ? default : afterScheme[start..];
                default:
                    return default;
            }
        }
    }
}
