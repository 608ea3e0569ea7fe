using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Routing;

namespace Gateway.Net.Tests.Routing;

public sealed class RouteTrieTests
{
    private sealed record Endpoint(string Method, string Template, RouteMatchMode Mode)
    {
        public override string ToString() => $"{Method} {Template} {Mode}";
    }

    private static (Endpoint? Endpoint, string[] Captures) Match(RouteTrie<Endpoint> trie, string method, string path)
    {
        Span<PathCapture> captures = stackalloc PathCapture[RouteTrie<Endpoint>.MaxCaptures];
        var bytes = Encoding.UTF8.GetBytes(path);
        var match = trie.Match(Encoding.ASCII.GetBytes(method), bytes, captures);
        var values = new string[match.CaptureCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Encoding.UTF8.GetString(bytes, captures[i].Start, captures[i].Length);
        }

        return (match.Endpoint, values);
    }

    private static RouteTrie<Endpoint> Build(params Endpoint[] endpoints)
    {
        var builder = new RouteTrie<Endpoint>.Builder();
        foreach (var endpoint in endpoints)
        {
            Assert.True(builder.TryAdd(endpoint.Method, endpoint.Template, endpoint.Mode, endpoint));
        }

        return builder.Build();
    }

    [Fact]
    public void Literal_parameter_and_greedy_segments_capture_their_values()
    {
        var users = new Endpoint("GET", "/users/{id}", RouteMatchMode.Exact);
        var files = new Endpoint("GET", "/files/{path+}", RouteMatchMode.Exact);
        var me = new Endpoint("GET", "/users/me", RouteMatchMode.Exact);
        var trie = Build(users, files, me);

        AssertMatch(users, ["42"], Match(trie, "GET", "/users/42"));
        Assert.Equal(me, Match(trie, "GET", "/users/me").Endpoint);
        AssertMatch(files, ["a/b/c.txt"], Match(trie, "GET", "/files/a/b/c.txt"));
        AssertMatch(files, ["a/b"], Match(trie, "GET", "/files/a/b/"));
        Assert.Null(Match(trie, "GET", "/files").Endpoint);
        Assert.Null(Match(trie, "GET", "/users/42/x").Endpoint);
        Assert.Null(Match(trie, "POST", "/users/42").Endpoint);
        Assert.Equal(users, Match(trie, "GET", "/users/42/").Endpoint);
        Assert.Null(Match(trie, "GET", "users/42").Endpoint);
        Assert.Null(Match(trie, "GET", "").Endpoint);
    }

    private static void AssertMatch(Endpoint expected, string[] captures, (Endpoint? Endpoint, string[] Captures) actual)
    {
        Assert.Same(expected, actual.Endpoint);
        Assert.Equal(captures, actual.Captures);
    }

    [Fact]
    public void Exact_beats_prefix_and_the_longest_prefix_wins()
    {
        var root = new Endpoint("ANY", "/", RouteMatchMode.Prefix);
        var api = new Endpoint("GET", "/api", RouteMatchMode.Prefix);
        var v1 = new Endpoint("GET", "/api/v1", RouteMatchMode.Prefix);
        var exact = new Endpoint("GET", "/api/v1/health", RouteMatchMode.Exact);
        var trie = Build(root, api, v1, exact);

        Assert.Equal(exact, Match(trie, "GET", "/api/v1/health").Endpoint);
        Assert.Equal(v1, Match(trie, "GET", "/api/v1/health/deep").Endpoint);
        Assert.Equal(v1, Match(trie, "GET", "/api/v1").Endpoint);
        Assert.Equal(api, Match(trie, "GET", "/api/v2").Endpoint);
        Assert.Equal(root, Match(trie, "GET", "/other").Endpoint);
        Assert.Equal(root, Match(trie, "DELETE", "/api/v1/health").Endpoint);
        // A prefix matches at segment boundaries only.
        Assert.Equal(root, Match(trie, "GET", "/apix").Endpoint);
    }

    [Fact]
    public void A_specific_method_beats_any_and_literals_beat_parameters_with_backtracking()
    {
        var any = new Endpoint("ANY", "/orders/{id}", RouteMatchMode.Exact);
        var get = new Endpoint("GET", "/orders/{id}", RouteMatchMode.Exact);
        var literal = new Endpoint("GET", "/orders/new/items", RouteMatchMode.Exact);
        var param = new Endpoint("GET", "/orders/{id}/lines", RouteMatchMode.Exact);
        var trie = Build(any, get, literal, param);
        Assert.Equal(get, Match(trie, "GET", "/orders/7").Endpoint);
        Assert.Equal(any, Match(trie, "PATCH", "/orders/7").Endpoint);
        Assert.Equal(literal, Match(trie, "GET", "/orders/new/items").Endpoint);
        AssertMatch(param, ["new"], Match(trie, "GET", "/orders/new/lines"));
        Assert.Null(Match(trie, "BREW", "/orders").Endpoint);
    }

    [Fact]
    public void Duplicate_routes_are_refused()
    {
        var builder = new RouteTrie<Endpoint>.Builder();
        Assert.True(builder.TryAdd("GET", "/a/{x}", RouteMatchMode.Exact, new Endpoint("GET", "/a/{x}", RouteMatchMode.Exact)));
        Assert.False(builder.TryAdd("GET", "/a/{y}", RouteMatchMode.Exact, new Endpoint("GET", "/a/{y}", RouteMatchMode.Exact)));
        Assert.True(builder.TryAdd("GET", "/a/{y}", RouteMatchMode.Prefix, new Endpoint("GET", "/a/{y}", RouteMatchMode.Prefix)));
        Assert.True(builder.TryAdd("ANY", "/a/{y}", RouteMatchMode.Exact, new Endpoint("ANY", "/a/{y}", RouteMatchMode.Exact)));
        Assert.Throws<ArgumentException>(() => builder.TryAdd("GET", "/a/{p+}/b", RouteMatchMode.Exact, new Endpoint("GET", "/x", RouteMatchMode.Exact)));
    }

    // The reference: scan every route, keep those that match, and order them by the documented priorities.
    private static readonly string[] SegmentChoices = ["a", "b", "c", "{p}", "{q+}"];
    private static readonly string[] RequestSegments = ["a", "b", "c", "d"];
    private static readonly string[] Methods = ["GET", "POST", "ANY"];

    private static int[]? Reference(Endpoint endpoint, string method, string[] request)
    {
        if (endpoint.Method != "ANY" && endpoint.Method != method)
        {
            return null;
        }

        var template = RouteTemplate.Parse(endpoint.Template);
        var kinds = new List<int>();
        var i = 0;
        foreach (var segment in template)
        {
            if (segment.Kind == RouteSegmentKind.Greedy)
            {
                if (i >= request.Length)
                {
                    return null;
                }

                kinds.Add(2);
                i = request.Length;
                break;
            }

            if (i >= request.Length || (segment.Kind == RouteSegmentKind.Literal && segment.Text != request[i]))
            {
                return null;
            }

            kinds.Add(segment.Kind == RouteSegmentKind.Literal ? 0 : 1);
            i++;
        }

        if (endpoint.Mode == RouteMatchMode.Exact && i != request.Length)
        {
            return null;
        }

        return [.. kinds];
    }

    private static Endpoint? ReferenceMatch(IReadOnlyList<Endpoint> endpoints, string method, string[] request)
    {
        Endpoint? best = null;
        int[]? bestKinds = null;
        foreach (var endpoint in endpoints)
        {
            if (Reference(endpoint, method, request) is not { } kinds)
            {
                continue;
            }

            if (best is null || Better(endpoint, kinds, best, bestKinds!))
            {
                best = endpoint;
                bestKinds = kinds;
            }
        }

        return best;
    }

    private static bool Better(Endpoint a, int[] aKinds, Endpoint b, int[] bKinds)
    {
        if (a.Mode != b.Mode)
        {
            return a.Mode == RouteMatchMode.Exact;
        }

        if (a.Mode == RouteMatchMode.Prefix && aKinds.Length != bKinds.Length)
        {
            return aKinds.Length > bKinds.Length;
        }

        for (var i = 0; i < Math.Min(aKinds.Length, bKinds.Length); i++)
        {
            if (aKinds[i] != bKinds[i])
            {
                return aKinds[i] < bKinds[i];
            }
        }

        if (aKinds.Length != bKinds.Length)
        {
            return aKinds.Length < bKinds.Length;
        }

        return a.Method != "ANY" && b.Method == "ANY";
    }

    [Fact]
    public void The_trie_agrees_with_a_linear_reference_matcher()
    {
        var templateGen = Gen.Choose(0, 4)
            .SelectMany(n => Gen.ArrayOf(Gen.Elements(SegmentChoices), n))
            .Select(segments =>
            {
                // A greedy parameter can only be last: cut the template after it.
                var greedy = Array.FindIndex(segments, s => s.EndsWith("+}", StringComparison.Ordinal));
                return "/" + string.Join('/', greedy < 0 ? segments : segments[..(greedy + 1)]);
            });
        var endpointGen =
            from template in templateGen
            from method in Gen.Elements(Methods)
            from mode in Gen.Elements(RouteMatchMode.Exact, RouteMatchMode.Prefix)
            select new Endpoint(method, template, mode);
        var requestGen =
            from segments in Gen.Choose(0, 5).SelectMany(n => Gen.ArrayOf(Gen.Elements(RequestSegments), n))
            from method in Gen.Elements("GET", "POST", "PUT")
            select (method, segments);

        Prop.ForAll(Gen.ListOf(endpointGen).ToArbitrary(), Gen.ListOf(requestGen).ToArbitrary(), (endpoints, requests) =>
        {
            var builder = new RouteTrie<Endpoint>.Builder();
            var added = new List<Endpoint>();
            foreach (var endpoint in endpoints)
            {
                // Duplicates of shape+method+mode are refused by the trie; the reference must see the same set.
                var shape = string.Join('/', RouteTemplate.Parse(endpoint.Template).Select(s => s.Kind == RouteSegmentKind.Literal ? s.Text : s.Kind.ToString()));
                if (added.Any(e => e.Method == endpoint.Method && e.Mode == endpoint.Mode &&
                        string.Join('/', RouteTemplate.Parse(e.Template).Select(s => s.Kind == RouteSegmentKind.Literal ? s.Text : s.Kind.ToString())) == shape))
                {
                    Assert.False(builder.TryAdd(endpoint.Method, endpoint.Template, endpoint.Mode, endpoint));
                    continue;
                }

                Assert.True(builder.TryAdd(endpoint.Method, endpoint.Template, endpoint.Mode, endpoint));
                added.Add(endpoint);
            }

            var trie = builder.Build();
            foreach (var (method, segments) in requests)
            {
                var path = "/" + string.Join('/', segments);
                var expected = ReferenceMatch(added, method, segments);
                var actual = Match(trie, method, path).Endpoint;
                Assert.True(ReferenceEquals(expected, actual), $"{method} {path}: expected {expected}, got {actual}; routes: {string.Join(", ", added)}");
            }
        }).QuickCheckThrowOnFailure();
    }
}
