using System.Text.Json;

namespace Ledger.Domain.Tests.Notes;

/// <summary>Reads tests/vectors/signed-notes.json.</summary>
internal static class NoteVectors
{
    private static readonly Lazy<JsonElement> Document = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Vectors.PathOf("signed-notes.json"))).RootElement.Clone());

    public static JsonElement Root => Document.Value;

    /// <summary>(id, vkey, note) of one array of notes.</summary>
    public static TheoryData<string> Ids(string array)
    {
        var data = new TheoryData<string>();
        foreach (var item in Root.GetProperty(array).EnumerateArray())
        {
            data.Add(item.GetProperty("id").GetString()!);
        }

        return data;
    }

    public static JsonElement Item(string array, string id) =>
        Root.GetProperty(array).EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);

    public static string Get(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
