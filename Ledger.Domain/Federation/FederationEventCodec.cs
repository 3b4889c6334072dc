using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Ledger.Domain.Events;
using Ledger.Domain.Notes;
using Ledger.Domain.Witnessing;

namespace Ledger.Domain.Federation;

/// <summary>Reads and writes the data of <c>federation.split-view-detected.v1</c>.</summary>
/// <remarks>
/// Strict as the other codecs. Both notes must be signed checkpoints of the event's origin. Stateless and thread-safe.
/// </remarks>
public static class FederationEventCodec
{
    private static readonly Dictionary<string, Func<DataReader, IFederationEvent?>> Readers = new(StringComparer.Ordinal)
    {
        [WireNames.Of<SplitViewDetected>()] = ReadSplitView,
    };

    private static readonly Dictionary<string, SplitViewKind> Kinds = new(StringComparer.Ordinal)
    {
        ["same-size-different-root"] = SplitViewKind.SameSizeDifferentRoot,
        ["proven-inconsistent"] = SplitViewKind.ProvenInconsistent,
    };

    /// <summary>The wire names of the federation events.</summary>
    public static IReadOnlyCollection<string> Types => Readers.Keys;

    /// <summary>The wire form of a <see cref="SplitViewKind"/>.</summary>
    public static string NameOf(SplitViewKind kind) => kind switch
    {
        SplitViewKind.SameSizeDifferentRoot => "same-size-different-root",
        SplitViewKind.ProvenInconsistent => "proven-inconsistent",
        _ => throw new UnreachableException($"Unknown split view kind {kind}."),
    };

    /// <summary>Parses the data of a federation event of wire type <paramref name="type"/>.</summary>
    public static bool TryParse(string type, JsonElement data, [NotNullWhen(true)] out IFederationEvent? @event, out IReadOnlyList<string> errors) =>
        DataCodec.TryParse(Readers, "a federation event type", type, data, out @event, out errors);

    /// <summary>Writes the data object.</summary>
    /// <exception cref="ArgumentException">The event holds values its wire format does not allow.</exception>
    public static JsonElement ToData(IFederationEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var data = JsonData.Build(w =>
        {
            w.WriteStartObject();
            switch (@event)
            {
                case SplitViewDetected e:
                    w.WriteString("origin", e.Origin);
                    w.WriteString("kind", NameOf(e.Kind));
                    w.WriteString("heldNote", e.HeldNote);
                    w.WriteString("conflictingNote", e.ConflictingNote);
                    JsonData.WriteStrings(w, "proof", e.Proof);
                    w.WriteString("source", e.Source);
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

    private static SplitViewDetected? ReadSplitView(DataReader r)
    {
        var origin = r.String("origin");
        var kind = r.Enum("kind", Kinds);
        var held = r.String("heldNote", WitnessEventCodec.NoteRule);
        var conflicting = r.String("conflictingNote", WitnessEventCodec.NoteRule);
        var proof = r.StringArray("proof", nonEmpty: false, unique: false, WitnessEventCodec.HashRule);
        var source = r.String("source");
        if (origin is null || kind is null || held is null || conflicting is null || proof is null || source is null)
        {
            return null;
        }

        if (Checkpoint.Parse(SignedNote.Parse(held).Text).Origin != origin || Checkpoint.Parse(SignedNote.Parse(conflicting).Text).Origin != origin)
        {
            r.Error("origin", "both notes must be checkpoints of this origin");
            return null;
        }

        return new SplitViewDetected(origin, kind.Value, held, conflicting, proof, source);
    }
}
