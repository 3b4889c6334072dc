using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ledger.Domain.Events;

/// <summary>Builds a detached <see cref="JsonElement"/> from a writer callback.</summary>
/// <remarks>
/// Text is escaped only where JSON requires it (quote, backslash, control characters), so the raw
/// text reads as its canonical form does (§1) instead of carrying <c>\u002B</c> for <c>+</c>.
/// </remarks>
internal static class JsonData
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonElement Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    public static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
