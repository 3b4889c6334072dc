using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ledger.Cli.Append;

/// <summary>
/// The events of an append, read from a file: an append body <c>{"expectedVersion"?, "events": [...]}</c>, a JSON
/// array of events, one event object, or NDJSON (one event object per line; blank lines are skipped).
/// </summary>
internal sealed class EventFile : IDisposable
{
    private readonly List<JsonDocument> _documents;

    private EventFile(long? expectedVersion, IReadOnlyList<JsonElement> events, List<JsonDocument> documents)
    {
        ExpectedVersion = expectedVersion;
        Events = events;
        _documents = documents;
    }

    public long? ExpectedVersion { get; }

    public IReadOnlyList<JsonElement> Events { get; }

    public static EventFile Read(string path)
    {
        var bytes = InputFiles.ReadAllBytes(path, "events file");
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw CliException.Usage($"The events file '{path}' is not valid UTF-8.");
        }

        JsonDocument? whole = null;
        try
        {
            whole = JsonDocument.Parse(bytes, JsonDefaults.Strict);
        }
        catch (JsonException)
        {
            // Not one JSON document: read it as NDJSON below.
        }

        var file = whole is null ? ReadLines(path, bytes) : FromDocument(path, whole);
        if (file.Events.Count == 0)
        {
            file.Dispose();
            throw CliException.Usage($"The events file '{path}' holds no events.");
        }

        return file;
    }

    public void Dispose()
    {
        foreach (var document in _documents)
        {
            document.Dispose();
        }
    }

    private static EventFile FromDocument(string path, JsonDocument document)
    {
        var root = document.RootElement;
        try
        {
            switch (root.ValueKind)
            {
                case JsonValueKind.Array:
                    return new EventFile(null, [.. root.EnumerateArray().Select((e, i) => RequireObject(path, e, $"element {i}"))], [document]);
                case JsonValueKind.Object when root.TryGetProperty("events", out var events):
                    if (events.ValueKind != JsonValueKind.Array)
                    {
                        throw CliException.Usage($"In '{path}', \"events\" must be an array.");
                    }

                    long? expected = null;
                    if (root.TryGetProperty("expectedVersion", out var version))
                    {
                        expected = version.ValueKind == JsonValueKind.Number && version.TryGetInt64(out var v)
                            ? v
                            : throw CliException.Usage($"In '{path}', \"expectedVersion\" must be an integer.");
                    }

                    return new EventFile(expected, [.. events.EnumerateArray().Select((e, i) => RequireObject(path, e, $"events[{i}]"))], [document]);
                case JsonValueKind.Object:
                    return new EventFile(null, [root], [document]);
                default:
                    throw CliException.Usage($"The events file '{path}' must hold an append body, an array of events, or event objects (NDJSON).");
            }
        }
        catch (CliException)
        {
            document.Dispose();
            throw;
        }
    }

    private static EventFile ReadLines(string path, byte[] bytes)
    {
        var documents = new List<JsonDocument>();
        var events = new List<JsonElement>();
        var lineNumber = 0;
        ReadOnlyMemory<byte> rest = bytes;
        try
        {
            while (!rest.IsEmpty)
            {
                lineNumber++;
                var end = rest.Span.IndexOf((byte)'\n');
                var line = end < 0 ? rest : rest[..end];
                rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
                if (line.Span.Trim(" \t\r"u8).IsEmpty)
                {
                    continue;
                }

                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(line, JsonDefaults.Strict);
                }
                catch (JsonException e)
                {
                    throw CliException.Usage(string.Create(CultureInfo.InvariantCulture,
                        $"The events file '{path}' is neither one JSON document nor NDJSON: line {lineNumber}: {e.Message}"));
                }

                documents.Add(document);
                events.Add(RequireObject(path, document.RootElement, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}")));
            }

            return new EventFile(null, events, documents);
        }
        catch (CliException)
        {
            documents.ForEach(d => d.Dispose());
            throw;
        }
    }

    private static JsonElement RequireObject(string path, JsonElement element, string where) =>
        element.ValueKind == JsonValueKind.Object ? element : throw CliException.Usage($"In '{path}', {where} is not an event object.");
}
