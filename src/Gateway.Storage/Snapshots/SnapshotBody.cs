using System.Collections.Immutable;
using Gateway.Storage.Binary;
using Gateway.Store;

namespace Gateway.Storage.Snapshots;

/// <summary>
/// The uncompressed snapshot body: every entry ordered by (collection, key), each as
/// <c>varint length + UTF-8 key</c>, <c>varint create revision</c>, <c>varint mod revision</c>, <c>varint length + value</c>.
/// The order is fixed so the same state always produces the same bytes.
/// </summary>
internal static class SnapshotBody
{
    public static long Write(GrowableBuffer buffer, InMemoryResourceStore.State state)
    {
        var collections = new string[state.Collections.Count];
        var i = 0;
        foreach (var pair in state.Collections)
        {
            collections[i++] = pair.Key;
        }

        Array.Sort(collections, StringComparer.Ordinal);
        long count = 0;
        foreach (var name in collections)
        {
            foreach (var entry in state.Collections[name].Values)
            {
                PayloadWriter.WriteString(buffer, entry.Key);
                PayloadWriter.WriteVarInt(buffer, (ulong)entry.CreateRevision);
                PayloadWriter.WriteVarInt(buffer, (ulong)entry.ModRevision);
                PayloadWriter.WriteBytes(buffer, entry.Value.Span);
                count++;
            }
        }

        return count;
    }

    /// <summary>Rebuilds the state; returns a reason (and the body offset) when the body does not parse or is out of order.</summary>
    public static string? TryRead(ReadOnlySpan<byte> body, long revision, long entryCount, out InMemoryResourceStore.State state, out int errorOffset)
    {
        state = null!;
        var collections = ImmutableDictionary.CreateBuilder<string, ImmutableSortedDictionary<string, StoreEntry>>(StringComparer.Ordinal);
        ImmutableSortedDictionary<string, StoreEntry>.Builder? current = null;
        string? currentName = null;
        string? previousKey = null;
        var reader = new PayloadReader(body);
        for (long n = 0; n < entryCount; n++)
        {
            errorOffset = reader.Offset;
            if (!reader.TryReadString(out var key) || !reader.TryReadInt64(out var create) || !reader.TryReadInt64(out var mod) ||
                !reader.TryReadBytes(out var value))
            {
                return "truncated entry";
            }

            if (key.Length == 0 || key[^1] == '/' || create < 1 || mod < create || mod > revision)
            {
                return $"invalid entry '{key}' (create {create}, mod {mod})";
            }

            var slash = key.LastIndexOf('/');
            var collectionSpan = key.AsSpan(0, slash + 1);
            if (currentName is null || !collectionSpan.SequenceEqual(currentName))
            {
                var name = collectionSpan.ToString();
                if (currentName is not null && string.CompareOrdinal(name, currentName) <= 0)
                {
                    return $"collection '{name}' is out of order";
                }

                if (current is not null)
                {
                    collections[currentName!] = current.ToImmutable();
                }

                current = ImmutableSortedDictionary.CreateBuilder<string, StoreEntry>(StringComparer.Ordinal);
                currentName = name;
                previousKey = null;
            }
            else if (previousKey is not null && string.CompareOrdinal(key, previousKey) <= 0)
            {
                return $"key '{key}' is out of order";
            }

            current!.Add(key, new StoreEntry(key, value.ToArray(), create, mod));
            previousKey = key;
        }

        errorOffset = reader.Offset;
        if (!reader.End)
        {
            return "trailing bytes after the last entry";
        }

        if (current is not null)
        {
            collections[currentName!] = current.ToImmutable();
        }

        state = new InMemoryResourceStore.State(collections.ToImmutable(), revision);
        return null;
    }
}
