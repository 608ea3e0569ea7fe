using System.Text;
using Gateway.Store;

namespace Gateway.Storage.TestSupport;

/// <summary>Reads a store's full contents over a known set of collections, in a form that compares with Assert.Equal.</summary>
internal static class StoreContents
{
    public static async Task<List<string>> ReadAsync(IResourceStore store, IEnumerable<string> collections)
    {
        var lines = new List<string>();
        foreach (var collection in collections.Order(StringComparer.Ordinal))
        {
            foreach (var entry in await store.ListAsync(collection))
            {
                lines.Add(Describe(entry));
            }
        }

        return lines;
    }

    /// <summary>The same lines for a model state computed with the shared apply step.</summary>
    public static List<string> Of(InMemoryResourceStore.State state, IEnumerable<string> collections)
    {
        var lines = new List<string>();
        foreach (var collection in collections.Order(StringComparer.Ordinal))
        {
            if (state.Collections.TryGetValue(collection, out var entries))
            {
                foreach (var pair in entries)
                {
                    lines.Add(Describe(pair.Value));
                }
            }
        }

        return lines;
    }

    public static string Describe(StoreEntry entry) =>
        $"{entry.Key}={Convert.ToHexString(entry.Value.Span)}@{entry.CreateRevision}/{entry.ModRevision}";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlyMemory<byte> value) => Encoding.UTF8.GetString(value.Span);
}
