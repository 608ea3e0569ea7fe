namespace Gateway.Apig.Common;

/// <summary>
/// Offset/limit paging with the documented coercions (apig.md 1.6): a negative offset becomes 0; a limit ≤ 0 becomes 20;
/// a limit above 500 becomes 500.
/// </summary>
internal readonly record struct ListQuery(long Offset, int Limit)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 500;

    public static ListQuery Create(long? offset, long? limit)
    {
        var coercedOffset = offset is null or < 0 ? 0 : offset.Value;
        var coercedLimit = limit switch
        {
            null or <= 0 => DefaultLimit,
            > MaxLimit => MaxLimit,
            _ => (int)limit.Value,
        };
        return new ListQuery(coercedOffset, coercedLimit);
    }

    public Page<T> Apply<T>(IReadOnlyList<T> matching)
    {
        var items = new List<T>();
        for (var i = Offset; i < matching.Count && items.Count < Limit; i++)
        {
            items.Add(matching[(int)i]);
        }

        return new Page<T>(matching.Count, items);
    }
}

/// <summary>One page of a list: the number of matching records and the items of this page.</summary>
internal sealed record Page<T>(long Total, IReadOnlyList<T> Items)
{
    public int Size => Items.Count;
}

/// <summary>Name filters: fuzzy (substring) unless the field is named in <c>precise_search</c>.</summary>
internal static class NameFilter
{
    public static bool IsPrecise(string? preciseSearch, string field)
    {
        if (string.IsNullOrEmpty(preciseSearch))
        {
            return false;
        }

        foreach (var part in preciseSearch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(part, field, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static bool Matches(string? actual, string? filter, bool precise)
    {
        if (string.IsNullOrEmpty(filter))
        {
            return true;
        }

        if (actual is null)
        {
            return false;
        }

        return precise
            ? string.Equals(actual, filter, StringComparison.Ordinal)
            : actual.Contains(filter, StringComparison.OrdinalIgnoreCase);
    }
}
