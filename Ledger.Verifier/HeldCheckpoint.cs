using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;

namespace Ledger.Verifier;

/// <summary>
/// The last checkpoint an audit verified, with the compact range of the log at its size: what <c>--save-checkpoint</c>
/// writes after a valid verification and <c>--from-checkpoint</c> reads, so that the next audit verifies only the log's
/// suffix (a full bundle exported with <c>from</c> = this size) and links it to this one.
/// </summary>
/// <remarks>
/// <para>The file is one JSON object: <c>{"checkpoint": "&lt;signed note&gt;", "range": ["&lt;base64 hash&gt;", …]}</c>,
/// the range largest subtree first (docs/FORMAT.md §3, as a bundle's frontier). Nothing in it is trusted: the note's
/// signature is checked against the keys given on the command line, and the range must fold to the note's root.</para>
/// <para>Immutable.</para>
/// </remarks>
/// <param name="Note">The signed checkpoint note, as the bundle held it.</param>
/// <param name="Size">The checkpoint's size.</param>
/// <param name="Root">Its root.</param>
/// <param name="Range">The compact range of the first <paramref name="Size"/> leaves.</param>
public sealed record HeldCheckpoint(string Note, long Size, byte[] Root, IReadOnlyList<byte[]> Range)
{
    /// <summary>Writes the state file's JSON.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("checkpoint", Note);
            json.WriteStartArray("range");
            foreach (var hash in Range)
            {
                json.WriteStringValue(Convert.ToBase64String(hash));
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads a state file and checks it against <paramref name="policy"/>: the note must meet it, and the range
    /// must fold to the note's root. False and a reason otherwise.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, TlogPolicy policy, [NotNullWhen(true)] out HeldCheckpoint? held, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(policy);
        held = null;
        string note;
        var range = new List<byte[]>();
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("checkpoint", out var noteElement) || noteElement.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("range", out var rangeElement) || rangeElement.ValueKind != JsonValueKind.Array)
            {
                error = "it is not a saved checkpoint: an object with \"checkpoint\" (a string) and \"range\" (an array) is expected";
                return false;
            }

            note = noteElement.GetString()!;
            foreach (var hash in rangeElement.EnumerateArray())
            {
                var bytes = hash.ValueKind == JsonValueKind.String ? Convert.FromBase64String(hash.GetString()!) : [];
                if (bytes.Length != 32)
                {
                    error = "its range holds something that is not a base64 32-byte hash";
                    return false;
                }

                range.Add(bytes);
            }
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            error = "it is not a saved checkpoint: " + e.Message;
            return false;
        }

        if (!SignedNote.TryParse(note, out var signed, out error))
        {
            error = "its checkpoint is not a signed note: " + error;
            return false;
        }

        var check = policy.Verify(signed);
        if (check is not TlogPolicyCheck.Verified { Checkpoint: var checkpoint })
        {
            error = "its checkpoint does not meet the trusted keys and policy: " + check.Describe();
            return false;
        }

        if (checkpoint.Size == 0 || range.Count != System.Numerics.BitOperations.PopCount((ulong)checkpoint.Size))
        {
            error = FormattableString.Invariant($"its range has {range.Count} hashes; a tree of {checkpoint.Size} leaves has {System.Numerics.BitOperations.PopCount((ulong)Math.Max(checkpoint.Size, 0))}");
            return false;
        }

        var folded = CompactRange.FromHashes(checkpoint.Size, range).Root();
        if (!folded.AsSpan().SequenceEqual(checkpoint.RootHash.Span))
        {
            error = "its range does not fold to its checkpoint's root";
            return false;
        }

        held = new HeldCheckpoint(note, checkpoint.Size, folded, range);
        return true;
    }
}
