namespace Gateway.Hosting.Authentication;

/// <summary>
/// Source of request headers for signature verification, independent of any HTTP stack.
/// Names are matched case-insensitively.
/// </summary>
internal interface ISdkHeaderLookup
{
    /// <summary>Returns every value received for <paramref name="name"/>; an empty result when the header is absent.</summary>
    SdkHeaderValues GetValues(string name);
}

/// <summary>Zero, one or several values of one header, without allocating for the common single-value case.</summary>
internal readonly struct SdkHeaderValues
{
    private readonly string? _single;
    private readonly string[]? _multiple;

    public SdkHeaderValues(string value) => _single = value;

    public SdkHeaderValues(string[] values)
    {
        if (values.Length == 1)
        {
            _single = values[0];
        }
        else if (values.Length > 1)
        {
            _multiple = values;
        }
    }

    public int Count => _multiple?.Length ?? (_single is null ? 0 : 1);

    public string this[int index] => _multiple is not null
        ? _multiple[index]
        : index == 0 && _single is not null ? _single : throw new ArgumentOutOfRangeException(nameof(index));
}
