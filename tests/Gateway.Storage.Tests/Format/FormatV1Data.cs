using Gateway.Storage.Embedded;
using Gateway.Storage.TestSupport;
using Gateway.Store;
using static Gateway.Storage.TestSupport.StoreContents;

namespace Gateway.Storage.Format.Tests;

/// <summary>
/// Writes the small data folder checked in under <c>Data/format-v1/&lt;codec&gt;</c>: a snapshot at revision 6 and a
/// log segment with revisions 7 to 10 (update, delete, multi-operation commit, prefix delete, conditional update).
/// To regenerate after an intentional format change (which also needs a new format version), run the format tests with
/// <c>GATEWAY_WRITE_FORMAT_DATA</c> set to the <c>Data/format-v1</c> source folder.
/// </summary>
internal static class FormatV1Data
{
    public const long SnapshotRevision = 6;
    public const long FinalRevision = 10;

    /// <summary>The exact final contents: key, value, create revision, mod revision.</summary>
    public static readonly (string Key, string Value, long Create, long Mod)[] FinalEntries =
    [
        ("apis/0001", """{"name":"orders","path":"/v3/orders"}""", 1, 10),
        ("apis/0003", """{"name":"payments"}""", 8, 8),
        ("env/RELEASE", """{"name":"RELEASE"}""", 6, 6),
        ("groups/g1", """{"name":"default"}""", 3, 3),
        ("groups/g2", """{"name":"second"}""", 8, 8),
    ];

    public static readonly string[] Collections = ["apis/", "apis/0001/versions/", "env/", "groups/"];

    public static async Task WriteAsync(string folder, SnapshotCodecPreference codec)
    {
        await using var store = await StoreFactory.OpenAsync(folder, codec);
        await Commit(store, new StoreTransaction().Put("apis/0001", Utf8("""{"name":"orders","path":"/orders"}""")));
        await Commit(store, new StoreTransaction().Put("apis/0002", Utf8("""{"name":"users"}""")));
        await Commit(store, new StoreTransaction().Put("groups/g1", Utf8("""{"name":"default"}""")));
        await Commit(store, new StoreTransaction().Put("apis/0001/versions/v1", Utf8("""{"version":"v1"}""")));
        await Commit(store, new StoreTransaction().Put("apis/0001", Utf8("""{"name":"orders","path":"/v2/orders"}""")));
        await Commit(store, new StoreTransaction().RequireAbsent("env/RELEASE").Put("env/RELEASE", Utf8("""{"name":"RELEASE"}""")));
        await store.SnapshotAsync();
        await Commit(store, new StoreTransaction().Delete("apis/0002"));
        await Commit(store, new StoreTransaction().Put("apis/0003", Utf8("""{"name":"payments"}""")).Put("groups/g2", Utf8("""{"name":"second"}""")));
        await Commit(store, new StoreTransaction().DeletePrefix("apis/0001/versions/"));
        await Commit(store, new StoreTransaction().RequireModRevision("apis/0001", 5).Put("apis/0001", Utf8("""{"name":"orders","path":"/v3/orders"}""")));
    }

    private static async Task Commit(IResourceStore store, StoreTransaction transaction)
    {
        var result = await store.CommitAsync(transaction);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Format data commit failed on {result.FailedKey}.");
        }
    }
}
