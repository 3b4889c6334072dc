using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Canonical;
using Ledger.Domain.Crypto;
using Ledger.Domain.Log;

namespace Ledger.Client;

/// <summary>
/// Writes the body of <c>POST /v1/streams/{stream}/events</c> once, signing each event's canonical
/// <see cref="EmitterStatement"/> (docs/FORMAT.md §2) with Ledger.Domain's <see cref="EmitterSigner"/>. Every retry
/// sends these same bytes, so the ledger sees the same content under the same event ids.
/// </summary>
internal static class AppendBody
{
    public static byte[] Write(string stream, long expectedVersion, IReadOnlyList<EventSubmission> events, string? emitter, SigningKey? key)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("expectedVersion", expectedVersion);
            writer.WriteStartArray("events");
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i] ?? throw new ArgumentException(Index(i, "is null"));
                writer.WriteStartObject();
                writer.WriteString("eventId", e.EventId);
                writer.WriteString("type", e.Type);
                writer.WriteString("domain", e.Domain);
                if (e.OccurredAt is not null)
                {
                    writer.WriteString("occurredAt", e.OccurredAt);
                }

                writer.WritePropertyName("data");
                e.Data.WriteTo(writer);
                if (e.Metadata is { } metadata)
                {
                    writer.WritePropertyName("metadata");
                    metadata.WriteTo(writer);
                }

                var signature = key is null ? e.Signature : Sign(stream, e, i, emitter!, key);
                if (signature is not null)
                {
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

    /// <summary>The body for events given as JSON objects: each is sent as given (the ledger validates it), with its
    /// <c>signature</c> replaced when <paramref name="key"/> is given.</summary>
    public static byte[] WriteJson(string stream, long expectedVersion, IReadOnlyList<JsonElement> events, string? emitter, SigningKey? key)
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
                if (e.ValueKind != JsonValueKind.Object)
                {
                    throw new ArgumentException(Index(i, "is not an event object."));
                }

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
                    var signature = Sign(stream, ToSubmission(e, i), i, emitter!, key);
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

    private static EventSubmission ToSubmission(JsonElement e, int index)
    {
        string Required(string name) =>
            e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
                ? text
                : throw new ArgumentException(Index(index, $"needs a \"{name}\" string to be signed."));

        var occurredAt = e.TryGetProperty("occurredAt", out var o) ? o.ValueKind switch
        {
            JsonValueKind.String => o.GetString(),
            JsonValueKind.Null => null,
            _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"events[{index}].occurredAt must be a string or null.")),
        } : null;
        if (!e.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException(Index(index, "needs a \"data\" object to be signed."));
        }

        return new EventSubmission(Required("eventId"), Required("type"), Required("domain"), data)
        {
            OccurredAt = occurredAt,
            Metadata = e.TryGetProperty("metadata", out var m) ? m : null,
        };
    }

    // The statement exactly as the ledger rebuilds it from the submitted event: metadata counts only when it is an object.
    private static EmitterSignature Sign(string stream, EventSubmission e, int index, string emitter, SigningKey key)
    {
        if (e.Data.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException(Index(index, "needs a \"data\" object to be signed."));
        }

        JsonElement? metadata = e.Metadata is { ValueKind: JsonValueKind.Object } m ? m : null;
        try
        {
            var statement = new EmitterStatement(stream, e.EventId, e.Type, e.Domain, emitter, e.OccurredAt, e.Data, metadata);
            return EmitterSigner.Sign(statement, key);
        }
        catch (Exception ex) when (ex is ArgumentException or CanonicalJsonException)
        {
            throw new ArgumentException(Index(index, "cannot be signed: " + ex.Message), ex);
        }
    }

    private static string Index(int index, string message) => string.Create(CultureInfo.InvariantCulture, $"events[{index}] {message}");
}
