namespace Gateway.Net.Routing;

/// <summary>What one segment of a route template is.</summary>
internal enum RouteSegmentKind
{
    Literal,
    Parameter,
    Greedy,
}

/// <summary>One segment of a route template; <see cref="Text"/> is the literal or the parameter name.</summary>
internal readonly record struct RouteSegment(RouteSegmentKind Kind, string Text);

/// <summary>Parses APIG path templates such as <c>/users/{id}/files/{path+}</c>.</summary>
internal static class RouteTemplate
{
    public static List<RouteSegment> Parse(string template)
    {
        if (string.IsNullOrEmpty(template) || template[0] != '/')
        {
            throw new ArgumentException("A route template starts with '/'.", nameof(template));
        }

        var segments = new List<RouteSegment>();
        var parts = template[1..].Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length == 0)
            {
                // "/a/" is "/a"; "//" inside a template has no meaning.
                if (i == parts.Length - 1)
                {
                    break;
                }

                throw new ArgumentException("A route template has an empty segment.", nameof(template));
            }

            if (part[0] == '{' && part[^1] == '}')
            {
                var name = part[1..^1];
                var greedy = name.EndsWith('+');
                if (greedy)
                {
                    name = name[..^1];
                    if (i != parts.Length - 1 && !(i == parts.Length - 2 && parts[^1].Length == 0))
                    {
                        throw new ArgumentException("A greedy parameter must be the last segment.", nameof(template));
                    }
                }

                if (name.Length == 0)
                {
                    throw new ArgumentException("A parameter needs a name.", nameof(template));
                }

                segments.Add(new RouteSegment(greedy ? RouteSegmentKind.Greedy : RouteSegmentKind.Parameter, name));
            }
            else
            {
                segments.Add(new RouteSegment(RouteSegmentKind.Literal, part));
            }
        }

        return segments;
    }

    /// <summary>The parameter names of a template, in order.</summary>
    public static List<string> ParameterNames(string template)
    {
        var names = new List<string>();
        foreach (var segment in Parse(template))
        {
            if (segment.Kind != RouteSegmentKind.Literal)
            {
                names.Add(segment.Text);
            }
        }

        return names;
    }
}
