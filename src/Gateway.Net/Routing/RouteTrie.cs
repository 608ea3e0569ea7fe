using System.Text;

namespace Gateway.Net.Routing;

/// <summary>How an API's path is compared with the request path.</summary>
internal enum RouteMatchMode
{
    /// <summary><c>NORMAL</c>: the whole path must match.</summary>
    Exact,

    /// <summary><c>SWA</c>: the API path is a prefix of the request path at a segment boundary; the longest prefix wins.</summary>
    Prefix,
}

/// <summary>Where a path parameter was found in the request path (byte offsets), in template order.</summary>
internal readonly record struct PathCapture(int Start, int Length);

/// <summary>The result of a route lookup.</summary>
internal readonly ref struct RouteMatch<TEndpoint>
    where TEndpoint : class
{
    public RouteMatch(TEndpoint endpoint, int captureCount, int matchedLength)
    {
        Endpoint = endpoint;
        CaptureCount = captureCount;
        MatchedLength = matchedLength;
    }

    /// <summary>How many bytes of the path the route matched: all of it for exact routes, the prefix for prefix routes.</summary>
    public int MatchedLength { get; }

    public TEndpoint? Endpoint { get; }

    public int CaptureCount { get; }

    public bool Success => Endpoint is not null;
}

/// <summary>
/// A path trie over raw request-path bytes: literal segments, <c>{param}</c> (one segment) and greedy <c>{param+}</c>
/// (the rest of the path), with exact and prefix endpoints per method. Lookup cost depends on the request path, not on
/// the number of routes, and allocates nothing. Built once per runtime snapshot; immutable afterwards.
/// </summary>
internal sealed class RouteTrie<TEndpoint>
    where TEndpoint : class
{
    /// <summary>Paths with more segments than this never match (bounds the backtracking).</summary>
    public const int MaxSegments = 64;

    /// <summary>The most parameters a route can capture.</summary>
    public const int MaxCaptures = 16;

    private readonly Node _root;

    private RouteTrie(Node root, int count)
    {
        _root = root;
        Count = count;
    }

    public int Count { get; }

    /// <summary>
    /// Finds the endpoint for <paramref name="method"/> and <paramref name="path"/> (no query). An exact route wins over
    /// any prefix route; among prefix routes the deepest wins; literal segments win over parameters, parameters over greedy ones.
    /// </summary>
    public RouteMatch<TEndpoint> Match(ReadOnlySpan<byte> method, ReadOnlySpan<byte> path, Span<PathCapture> captures)
    {
        if (path.IsEmpty || path[0] != (byte)'/')
        {
            return default;
        }

        var methodIndex = HttpMethods.IndexOf(method);
        Span<PathCapture> working = stackalloc PathCapture[MaxCaptures];
        var search = new Search(path, methodIndex, working, captures);
        var exact = search.Walk(_root, 1, 0, 0);
        if (exact is not null)
        {
            search.Working[..search.ExactCaptureCount].CopyTo(captures);
            return new RouteMatch<TEndpoint>(exact, search.ExactCaptureCount, path.Length);
        }

        return search.BestPrefix is { } prefix
            ? new RouteMatch<TEndpoint>(prefix, search.BestPrefixCaptureCount, Math.Min(search.BestPrefixEnd, path.Length))
            : default;
    }

    private ref struct Search(ReadOnlySpan<byte> path, int methodIndex, Span<PathCapture> working, Span<PathCapture> best)
    {
        private readonly ReadOnlySpan<byte> _path = path;
        private readonly int _methodIndex = methodIndex;
        private readonly Span<PathCapture> _best = best;
        private int _bestDepth = -1;

        public Span<PathCapture> Working = working;
        public int ExactCaptureCount;
        public TEndpoint? BestPrefix;
        public int BestPrefixCaptureCount;
        public int BestPrefixEnd;

        /// <summary>Returns an exact endpoint if one matches below <paramref name="node"/>, recording prefix candidates on the way.</summary>
        public TEndpoint? Walk(Node node, int position, int depth, int captureCount)
        {
            if (depth > MaxSegments)
            {
                return null;
            }

            var atEnd = IsAtEnd(position);
            if (node.Prefix?.Find(_methodIndex) is { } prefix && depth > _bestDepth)
            {
                // Deeper prefix routes are longer prefixes: remember this one with its captures.
                _bestDepth = depth;
                BestPrefix = prefix;
                BestPrefixCaptureCount = captureCount;
                BestPrefixEnd = Math.Max(position - 1, 0);
                Working[..captureCount].CopyTo(_best);
            }

            if (atEnd)
            {
                if (node.Exact?.Find(_methodIndex) is { } exact)
                {
                    ExactCaptureCount = captureCount;
                    return exact;
                }

                return null;
            }

            var rest = _path[position..];
            var slash = rest.IndexOf((byte)'/');
            var segmentLength = slash < 0 ? rest.Length : slash;
            var next = position + segmentLength + 1;

            if (node.Literals?.Find(rest[..segmentLength]) is { } literal && Walk(literal, next, depth + 1, captureCount) is { } viaLiteral)
            {
                return viaLiteral;
            }

            if (node.Parameter is { } parameter && segmentLength > 0 && captureCount < MaxCaptures)
            {
                Working[captureCount] = new PathCapture(position, segmentLength);
                if (Walk(parameter, next, depth + 1, captureCount + 1) is { } viaParameter)
                {
                    return viaParameter;
                }
            }

            if (node.Greedy is { } greedy && captureCount < MaxCaptures)
            {
                var end = _path.Length;
                if (end > position && _path[end - 1] == (byte)'/')
                {
                    end--;
                }

                Working[captureCount] = new PathCapture(position, end - position);
                if (greedy.Exact?.Find(_methodIndex) is { } viaGreedy)
                {
                    ExactCaptureCount = captureCount + 1;
                    return viaGreedy;
                }

                if (greedy.Prefix?.Find(_methodIndex) is { } greedyPrefix && depth + 1 > _bestDepth)
                {
                    _bestDepth = depth + 1;
                    BestPrefix = greedyPrefix;
                    BestPrefixCaptureCount = captureCount + 1;
                    BestPrefixEnd = _path.Length;
                    Working[..(captureCount + 1)].CopyTo(_best);
                }
            }

            return null;
        }

        /// <summary>The path is consumed, allowing one trailing '/' (so <c>/a/</c> matches <c>/a</c>).</summary>
        private readonly bool IsAtEnd(int position) => position >= _path.Length;
    }

    /// <summary>Endpoints of one node, indexed by method; ANY is the fallback.</summary>
    private sealed class MethodTable
    {
        public readonly TEndpoint?[] ByMethod = new TEndpoint?[HttpMethods.Count];
        public TEndpoint? Any;

        public TEndpoint? Find(int methodIndex) =>
            (uint)methodIndex < (uint)ByMethod.Length && ByMethod[methodIndex] is { } endpoint ? endpoint : Any;
    }

    private sealed class Node
    {
        public ByteKeyMap<Node>? Literals;
        public Node? Parameter;
        public Node? Greedy;
        public MethodTable? Exact;
        public MethodTable? Prefix;
    }

    /// <summary>Collects routes, then freezes them into a trie.</summary>
    public sealed class Builder
    {
        private readonly BuilderNode _root = new();
        private int _count;

        /// <summary>
        /// Adds a route. <paramref name="method"/> is an HTTP method or <c>ANY</c>; <paramref name="template"/> is a path
        /// such as <c>/users/{id}/files/{path+}</c>. Returns false when an equivalent route (same shape, method and mode) exists.
        /// </summary>
        public bool TryAdd(string method, string template, RouteMatchMode mode, TEndpoint endpoint)
        {
            ArgumentNullException.ThrowIfNull(endpoint);
            var node = _root;
            foreach (var segment in RouteTemplate.Parse(template))
            {
                node = segment.Kind switch
                {
                    RouteSegmentKind.Literal => node.Literal(segment.Text),
                    RouteSegmentKind.Parameter => node.Parameter ??= new BuilderNode(),
                    _ => node.Greedy ??= new BuilderNode(),
                };
            }

            var table = mode == RouteMatchMode.Exact ? node.Exact ??= new MethodTable() : node.Prefix ??= new MethodTable();
            if (string.Equals(method, "ANY", StringComparison.OrdinalIgnoreCase))
            {
                if (table.Any is not null)
                {
                    return false;
                }

                table.Any = endpoint;
            }
            else
            {
                var index = HttpMethods.IndexOf(Encoding.ASCII.GetBytes(method.ToUpperInvariant()));
                if (index < 0)
                {
                    throw new ArgumentException($"Unsupported method '{method}'.", nameof(method));
                }

                if (table.ByMethod[index] is not null)
                {
                    return false;
                }

                table.ByMethod[index] = endpoint;
            }

            _count++;
            return true;
        }

        public RouteTrie<TEndpoint> Build() => new(_root.Freeze(), _count);

        private sealed class BuilderNode
        {
            private readonly Dictionary<string, BuilderNode> _literals = new(StringComparer.Ordinal);
            public BuilderNode? Parameter;
            public BuilderNode? Greedy;
            public MethodTable? Exact;
            public MethodTable? Prefix;

            public BuilderNode Literal(string text)
            {
                if (!_literals.TryGetValue(text, out var child))
                {
                    child = new BuilderNode();
                    _literals.Add(text, child);
                }

                return child;
            }

            public Node Freeze()
            {
                var node = new Node { Exact = Exact, Prefix = Prefix, Parameter = Parameter?.Freeze(), Greedy = Greedy?.Freeze() };
                if (_literals.Count > 0)
                {
                    var entries = new List<KeyValuePair<byte[], Node>>(_literals.Count);
                    foreach (var (text, child) in _literals)
                    {
                        entries.Add(new(Encoding.UTF8.GetBytes(text), child.Freeze()));
                    }

                    node.Literals = new ByteKeyMap<Node>(entries);
                }

                return node;
            }
        }
    }
}
