using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Http.Parsing;
using Gateway.Net.TestSupport;

namespace Gateway.Net.Http.Parsing.Tests;

/// <summary>
/// Invariants of the request and response parsers over generated valid messages, damaged messages and noise:
/// they never throw, always make progress, give the same verdict however the bytes are cut into segments and
/// deliveries, and whatever they accept survives a round trip through the head writer unchanged.
/// </summary>
public sealed class Http1ParserProperties
{
    private static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(400);

    private static readonly HttpParserLimits Tight = new() { MaxRequestLineLength = 96, MaxHeaderBytes = 256, MaxHeaderCount = 6, MaxRequestBodySize = 200, MaxChunkLineLength = 16, MaxTrailerBytes = 40, MaxTrailerCount = 2 };

    [Fact]
    public void ValidRequest_SplitAnywhere_ParsesToTheGeneratedMessage() =>
        Check.One(Many, Prop.ForAll(HttpMessageGenerators.ValidRequests(), HttpMessageGenerators.Splits().ToArbitrary(), (message, splits) =>
        {
            var whole = ConnectionSimulator.RunRequests(message.Bytes);
            Assert.True(whole.Outcome == RunOutcome.Complete, whole.ToString());
            var parsed = Assert.Single(whole.Messages);
            Assert.True(parsed.Equivalent(message.Expected), $"{parsed}\nexpected {message.Expected}");

            var parted = ConnectionSimulator.RunRequests(message.Bytes, HttpMessageGenerators.SplitPoints(splits, message.Bytes.Length));
            Assert.True(whole.SameAs(parted), parted.ToString());
        }));

    [Fact]
    public void ValidRequests_Pipelined_ParseInOrderAndSplitAnywhere() =>
        Check.One(Many, Prop.ForAll(HttpMessageGenerators.ValidRequests(), HttpMessageGenerators.ValidRequests(), HttpMessageGenerators.Splits().ToArbitrary(), (first, second, splits) =>
        {
            byte[] bytes = [.. first.Bytes, .. second.Bytes];
            var whole = ConnectionSimulator.RunRequests(bytes);
            Assert.Equal(RunOutcome.Complete, whole.Outcome);
            Assert.Equal(2, whole.Messages.Count);
            Assert.True(whole.Messages[0].Equivalent(first.Expected));
            Assert.True(whole.Messages[1].Equivalent(second.Expected));
            Assert.True(whole.SameAs(ConnectionSimulator.RunRequests(bytes, HttpMessageGenerators.SplitPoints(splits, bytes.Length))));
        }));

    [Fact]
    public void ValidRequestHead_EveryProperPrefix_IsIncomplete() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(HttpMessageGenerators.ValidRequests(), Gen.Choose(0, 10_000).ToArbitrary(), (message, fraction) =>
        {
            int length = (int)((long)fraction * message.HeadLength / 10_001);
            var result = ConnectionSimulator.RunRequests(message.Bytes[..length]);
            Assert.True(result.Outcome == RunOutcome.Incomplete || (length == 0 && result.Outcome == RunOutcome.Complete), $"{length}: {result}");
        }));

    [Fact]
    public void MutatedRequests_NeverThrowAgreeAcrossSplitsAndRoundTrip() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1500), Prop.ForAll(HttpMessageGenerators.ValidRequests(), HttpMessageGenerators.Mutations().ToArbitrary(), Gen.Elements(false, true).ToArbitrary(), (message, mutation, tight) =>
        {
            var bytes = HttpMessageGenerators.Apply(message.Bytes, mutation.Edits);
            CheckRequestInput(bytes, mutation.Splits, tight ? Tight : HttpParserLimits.Default);
        }));

    [Fact]
    public void RandomBytes_NeverThrowAndAgreeAcrossSplits() =>
        Check.One(Many, Prop.ForAll(
            Gen.Choose(0, 400).SelectMany(n => Gen.ArrayOf(Gen.Frequency((3, Gen.Choose(0, 255)), (2, Gen.Elements<int>('\r', '\n', ' ', ':', 'G', 'E', 'T', '/', '0', '\t')))
                .Select(i => (byte)i), n)).ToArbitrary(),
            Gen.Elements("", "GET / HTTP/1.1\r\n", "POST / HTTP/1.1\r\nHost: a\r\n", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n").ToArbitrary(),
            HttpMessageGenerators.Splits().ToArbitrary(),
            (noise, prefix, splits) => CheckRequestInput([.. System.Text.Encoding.Latin1.GetBytes(prefix), .. noise], splits, HttpParserLimits.Default)));

    [Fact]
    public void ValidResponse_SplitAnywhere_ParsesToTheGeneratedMessage() =>
        Check.One(Many, Prop.ForAll(HttpMessageGenerators.ValidResponses(), HttpMessageGenerators.Splits().ToArbitrary(), (message, splits) =>
        {
            var whole = ConnectionSimulator.RunResponses(message.Bytes, [KnownMethod.Get]);
            Assert.True(whole.Outcome == RunOutcome.Complete, whole.ToString());
            var parsed = Assert.Single(whole.Messages);
            Assert.True(parsed.Equivalent(message.Expected), $"{parsed}\nexpected {message.Expected}");
            Assert.True(whole.SameAs(ConnectionSimulator.RunResponses(message.Bytes, [KnownMethod.Get], HttpMessageGenerators.SplitPoints(splits, message.Bytes.Length))));
        }));

    [Fact]
    public void MutatedResponses_NeverThrowAgreeAcrossSplitsAndRoundTrip() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(HttpMessageGenerators.ValidResponses(), HttpMessageGenerators.Mutations().ToArbitrary(), Gen.Elements(KnownMethod.Get, KnownMethod.Head).ToArbitrary(), (message, mutation, method) =>
        {
            var bytes = HttpMessageGenerators.Apply(message.Bytes, mutation.Edits);
            var whole = ConnectionSimulator.RunResponses(bytes, [method]);
            var parted = ConnectionSimulator.RunResponses(bytes, [method], HttpMessageGenerators.SplitPoints(mutation.Splits, bytes.Length));
            Assert.True(whole.SameAs(parted), $"{whole}\nvs {parted}");

            foreach (var accepted in whole.Messages)
            {
                var again = ConnectionSimulator.RunResponses(MessageSerializer.Response(accepted), [method]);
                Assert.True(again.Outcome == RunOutcome.Complete, again.ToString());
                Assert.True(Assert.Single(again.Messages).Equivalent(accepted), $"{again}\nvs {accepted}");
            }
        }));

    private static void CheckRequestInput(byte[] bytes, IReadOnlyList<int> splits, HttpParserLimits limits)
    {
        // The simulator throws if a step neither consumes, completes, nor asks for data.
        var whole = ConnectionSimulator.RunRequests(bytes, limits: limits);
        var parted = ConnectionSimulator.RunRequests(bytes, HttpMessageGenerators.SplitPoints(splits, bytes.Length), limits);
        Assert.True(whole.SameAs(parted), $"{whole}\nvs {parted}");
        Assert.True(whole.Consumed <= bytes.Length);

        foreach (var accepted in whole.Messages)
        {
            var again = ConnectionSimulator.RunRequests(MessageSerializer.Request(accepted), limits: limits);
            Assert.True(again.Outcome == RunOutcome.Complete, again.ToString());
            Assert.True(Assert.Single(again.Messages).Equivalent(accepted), $"{again}\nvs {accepted}");
        }
    }
}
