namespace Gateway.Apig.Domains;

/// <summary>Custom domain names: what may be bound, and which certificate names cover them.</summary>
internal static class DomainNames
{
    public const int MaxLength = 255;
    private const int MaxLabelLength = 63;

    /// <summary>
    /// A host name of at least two labels made of letters, digits and inner hyphens (1–63 each), whose last label starts
    /// with a letter (so IP addresses are not names), optionally with a leading <c>*</c> label for a wildcard domain.
    /// Callers pass the lower-cased form.
    /// </summary>
    public static bool IsValid(string domain)
    {
        if (domain.Length is 0 or > MaxLength)
        {
            return false;
        }

        var labels = domain.Split('.');
        if (labels.Length < 2)
        {
            return false;
        }

        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (i == 0 && label == "*")
            {
                // A wildcard needs at least two labels after it (no "*.com").
                if (labels.Length < 3)
                {
                    return false;
                }

                continue;
            }

            if (!IsLabel(label))
            {
                return false;
            }
        }

        return labels[^1][0] is >= 'a' and <= 'z' or >= 'A' and <= 'Z';
    }

    /// <summary>
    /// Whether a certificate name (a SAN DNS entry) covers <paramref name="domain"/>, ignoring case: equal names match;
    /// a <c>*</c> as the whole leftmost label of a name with at least three labels matches exactly one non-empty
    /// label. A wildcard domain is covered only by the same wildcard name. Partial-label wildcards (<c>a*.x.com</c>)
    /// are literal text, as browsers treat them.
    /// </summary>
    public static bool Covers(string certificateName, string domain)
    {
        var name = certificateName.TrimEnd('.');
        var host = domain.TrimEnd('.');
        if (name.Length == 0 || host.Length == 0)
        {
            return false;
        }

        if (string.Equals(name, host, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // Beyond equal text, only a well-formed wildcard name matches (no empty labels on either side).
        if (!name.StartsWith("*.", StringComparison.Ordinal) ||
            name.Contains("..", StringComparison.Ordinal) || host.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        var suffix = name.AsSpan(1); // ".example.com"
        if (suffix[1..].IndexOf('.') < 0 || !host.AsSpan().EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var label = host.AsSpan(0, host.Length - suffix.Length);
        return label.Length > 0 && label.IndexOf('.') < 0 && label.IndexOf('*') < 0;
    }

    private static bool IsLabel(string label)
    {
        if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-')
        {
            return false;
        }

        foreach (var c in label)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
