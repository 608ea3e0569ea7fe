namespace Gateway.Net.DataPlane.Authorizers;

/// <summary>
/// What a custom authorizer answered: allow (with the context it returned) or deny. Immutable, so a cached decision is
/// shared by every connection that hits it.
/// </summary>
internal sealed class AuthorizerDecision
{
    /// <summary>The shared "deny" answer (a deny carries no context).</summary>
    public static AuthorizerDecision Deny { get; } = new(false, [], []);

    public AuthorizerDecision(bool allowed, byte[][] names, byte[][] values)
    {
        if (names.Length != values.Length)
        {
            throw new ArgumentException("Every context name needs a value.", nameof(values));
        }

        Allowed = allowed;
        Names = names;
        Values = values;
    }

    public bool Allowed { get; }

    /// <summary>Context keys (UTF-8), in the order the authorizer returned them.</summary>
    public byte[][] Names { get; }

    /// <summary>Context values (UTF-8): strings unescaped, numbers and booleans as their JSON text.</summary>
    public byte[][] Values { get; }

    /// <summary>The value of context key <paramref name="name"/> (exact match), for <c>$context.authorizer.frontend.&lt;name&gt;</c>.</summary>
    public bool TryGet(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var names = Names;
        for (var i = 0; i < names.Length; i++)
        {
            if (name.SequenceEqual(names[i]))
            {
                value = Values[i];
                return true;
            }
        }

        value = default;
        return false;
    }
}
