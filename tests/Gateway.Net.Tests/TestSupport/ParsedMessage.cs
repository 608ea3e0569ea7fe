using Gateway.Net.Http.Parsing;

namespace Gateway.Net.TestSupport;

/// <summary>Everything observable about one parsed message, as comparable values.</summary>
internal sealed record ParsedMessage
{
    public string StartLine { get; init; } = "";
    public string Method { get; init; } = "";
    public string Target { get; init; } = "";
    public HttpTargetForm TargetForm { get; init; }
    public int StatusCode { get; init; }
    public string Reason { get; init; } = "";
    public HttpProtocolVersion Version { get; init; }
    public IReadOnlyList<(KnownHeader Known, string Name, string Value)> Headers { get; init; } = [];
    public BodyFraming Framing { get; init; }
    public long ContentLength { get; init; }
    public bool KeepAlive { get; init; }
    public bool ExpectContinue { get; init; }
    public byte[] Body { get; init; } = [];
    public IReadOnlyList<(KnownHeader Known, string Name, string Value)> Trailers { get; init; } = [];

    public bool Equivalent(ParsedMessage other) =>
        Method == other.Method && Target == other.Target && TargetForm == other.TargetForm && StatusCode == other.StatusCode
        && Reason == other.Reason && Version == other.Version && Headers.SequenceEqual(other.Headers)
        && Framing == other.Framing && ContentLength == other.ContentLength && KeepAlive == other.KeepAlive
        && ExpectContinue == other.ExpectContinue && Body.AsSpan().SequenceEqual(other.Body) && Trailers.SequenceEqual(other.Trailers);

    public override string ToString() =>
        $"{Method}{StatusCode} {Target}{Reason} {Version} [{string.Join("; ", Headers.Select(h => h.Name + ": " + h.Value))}] {Framing} cl={ContentLength} ka={KeepAlive} body={Body.Length} trailers=[{string.Join("; ", Trailers.Select(h => h.Name + ": " + h.Value))}]";
}

/// <summary>How a run over some input ended.</summary>
internal enum RunOutcome
{
    /// <summary>The input ran out in the middle of a message.</summary>
    Incomplete,

    /// <summary>Every message was complete and the input ended on a message boundary.</summary>
    Complete,

    Rejected,
}

internal sealed record RunResult(RunOutcome Outcome, IReadOnlyList<ParsedMessage> Messages, RequestRejection Rejection, long Consumed)
{
    public bool SameAs(RunResult other) =>
        Outcome == other.Outcome && Rejection == other.Rejection && Consumed == other.Consumed
        && Messages.Count == other.Messages.Count && Messages.Zip(other.Messages).All(p => p.First.Equivalent(p.Second));

    public override string ToString() => $"{Outcome} {Rejection} consumed={Consumed} [{string.Join(" | ", Messages)}]";
}
