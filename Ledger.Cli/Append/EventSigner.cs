using System.Text.Json;
using Ledger.Domain.Canonical;
using Ledger.Domain.Crypto;
using Ledger.Domain.Log;

namespace Ledger.Cli.Append;

/// <summary>Builds the append body, signing each event's <see cref="EmitterStatement"/> when a key is given.</summary>
internal static class EventSigner
{
    public static byte[] BuildBody(string stream, long expectedVersion, IReadOnlyList<JsonElement> events, string? emitter, SigningKey? key)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("expectedVersion", expectedVersion);
            writer.WriteStartArray("events");
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                writer.WriteStartObject();
                foreach (var member in e.EnumerateObject())
                {
                    if (key is null || member.Name != "signature")
                    {
                        member.WriteTo(writer);
                    }
                }

                if (key is not null)
                {
                    var signature = EmitterSigner.Sign(Statement(stream, e, i, emitter!), key);
                    writer.WriteStartObject("signature");
                    writer.WriteString("alg", signature.Alg);
                    writer.WriteString("keyId", signature.KeyId);
                    writer.WriteString("value", signature.Value);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // The statement exactly as the ledger rebuilds it from the submitted event (docs/FORMAT.md §2): metadata counts
    // only when it is an object.
    private static EmitterStatement Statement(string stream, JsonElement e, int index, string emitter)
    {
        string Required(string name) =>
            e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
                ? text
                : throw CliException.Usage($"events[{index}] needs a \"{name}\" string to be signed.");

        var occurredAt = e.TryGetProperty("occurredAt", out var o) ? o.ValueKind switch
        {
            JsonValueKind.String => o.GetString(),
            JsonValueKind.Null => null,
            _ => throw CliException.Usage($"events[{index}].occurredAt must be a string or null."),
        } : null;
        if (!e.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw CliException.Usage($"events[{index}] needs a \"data\" object to be signed.");
        }

        JsonElement? metadata = e.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : null;
        try
        {
            var statement = new EmitterStatement(stream, Required("eventId"), Required("type"), Required("domain"), emitter, occurredAt, data, metadata);
            _ = statement.ToCanonicalBytes();
            return statement;
        }
        catch (Exception ex) when (ex is ArgumentException or CanonicalJsonException)
        {
            throw CliException.Usage($"events[{index}] cannot be signed: {ex.Message}");
        }
    }
}
