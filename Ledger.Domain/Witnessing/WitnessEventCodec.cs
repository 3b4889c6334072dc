using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Ledger.Domain.Events;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Witnessing;

/// <summary>Reads and writes the data of <c>witness.checkpoint-cosigned.v1</c>.</summary>
/// <remarks>
/// Strict as the other codecs: required members, kinds, formats, no unknown members. The note must be a signed
/// checkpoint stating exactly the event's origin, size and root. Stateless and thread-safe.
/// </remarks>
public static class WitnessEventCodec
{
    private static readonly Dictionary<string, Func<DataReader, IWitnessEvent?>> Readers = new(StringComparer.Ordinal)
    {
        [WireNames.Of<CheckpointCosigned>()] = ReadCosigned,
    };

    /// <summary>The wire names of the witness events.</summary>
    public static IReadOnlyCollection<string> Types => Readers.Keys;

    /// <summary>Parses the data of a witness event of wire type <paramref name="type"/>.</summary>
    public static bool TryParse(string type, JsonElement data, [NotNullWhen(true)] out IWitnessEvent? @event, out IReadOnlyList<string> errors) =>
        DataCodec.TryParse(Readers, "a witness event type", type, data, out @event, out errors);

    /// <summary>Writes the data object.</summary>
    /// <exception cref="ArgumentException">The event holds values its wire format does not allow.</exception>
    public static JsonElement ToData(IWitnessEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var data = JsonData.Build(w =>
        {
            w.WriteStartObject();
            switch (@event)
            {
                case CheckpointCosigned e:
                    w.WriteString("origin", e.Origin);
                    w.WriteNumber("size", e.Size);
                    w.WriteString("root", e.Root);
                    w.WriteNumber("cosignedAt", e.CosignedAt);
                    w.WriteString("note", e.Note);
                    break;
                default:
                    throw new UnreachableException($"No writer for {@event.GetType().FullName}.");
            }

            w.WriteEndObject();
        });
        var type = WireNames.Of(@event.GetType());
        if (!TryParse(type, data, out _, out var errors))
        {
            throw new ArgumentException($"The {type} event is not valid: {string.Join("; ", errors)}", nameof(@event));
        }

        return data;
    }

    /// <summary>Null when <paramref name="value"/> is canonical base64 of a 32-byte hash, else the problem.</summary>
    internal static string? HashRule(string value) =>
        StrictBase64.TryDecode(value, out var bytes) && bytes.Length == Checkpoint.HashSize ? null : "must be canonical base64 of 32 bytes";

    /// <summary>Null when <paramref name="value"/> is a signed note whose text is a checkpoint, else the problem.</summary>
    internal static string? NoteRule(string value) =>
        !SignedNote.TryParse(value, out var note, out var error) ? "must be a signed note: " + error
        : !Checkpoint.TryParse(note.Text, out _, out error) ? "must be a signed checkpoint: " + error
        : null;

    private static CheckpointCosigned? ReadCosigned(DataReader r)
    {
        var origin = r.String("origin");
        var size = r.Int64("size");
        var root = r.String("root", HashRule);
        var at = r.Int64("cosignedAt", minimum: 1);
        var note = r.String("note", NoteRule);
        if (origin is null || size is null || root is null || at is null || note is null)
        {
            return null;
        }

        var checkpoint = Checkpoint.Parse(SignedNote.Parse(note).Text);
        if (checkpoint.Origin != origin || checkpoint.Size != size || Convert.ToBase64String(checkpoint.RootHash.Span) != root)
        {
            r.Error("note", "must state the event's origin, size and root");
            return null;
        }

        return new CheckpointCosigned(origin, size.Value, root, at.Value, note);
    }
}
