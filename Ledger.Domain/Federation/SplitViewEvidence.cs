using System.Globalization;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Federation;

/// <summary>
/// Whether a recorded <see cref="SplitViewDetected"/> shows what it says (docs/FORMAT.md §6.6.3): two checkpoints of its
/// origin that cannot both be true. Checks the checkpoints' text and the Merkle math only; whether both notes carry the
/// peer's signature needs the peer's key, which only the one checking it can supply.
/// </summary>
/// <remarks>Pure and thread-safe.</remarks>
public static class SplitViewEvidence
{
    /// <summary>Null when the evidence shows two views of <see cref="SplitViewDetected.Origin"/>; otherwise why it does not.</summary>
    public static string? Problem(SplitViewDetected evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        if (CheckpointOf(evidence.HeldNote, evidence.Origin) is not { } held)
        {
            return Why(evidence.HeldNote, evidence.Origin, "held");
        }

        if (CheckpointOf(evidence.ConflictingNote, evidence.Origin) is not { } conflicting)
        {
            return Why(evidence.ConflictingNote, evidence.Origin, "conflicting");
        }

        switch (evidence.Kind)
        {
            case SplitViewKind.SameSizeDifferentRoot:
                if (held.Size != conflicting.Size)
                {
                    return Invariant($"the two checkpoints have sizes {held.Size} and {conflicting.Size}, not one size");
                }

                return held.RootHash.Span.SequenceEqual(conflicting.RootHash.Span) ? "the two checkpoints have the same root" : null;
            case SplitViewKind.ProvenInconsistent:
                if (conflicting.Size <= held.Size || held.Size == 0)
                {
                    return Invariant($"a consistency proof leads from a smaller non-empty tree, not from size {held.Size} to {conflicting.Size}");
                }

                var proof = new List<byte[]>(evidence.Proof.Count);
                foreach (var hash in evidence.Proof)
                {
                    var bytes = new byte[32];
                    if (!Convert.TryFromBase64String(hash, bytes, out var written) || written != 32)
                    {
                        return "the proof holds a value that is not a base64 32-byte hash";
                    }

                    proof.Add(bytes);
                }

                // As a witness judges it: the proof leads, from another root at the held size, exactly to the conflicting root.
                var check = MerkleVerifier.VerifyConsistency(held.Size, conflicting.Size, proof, held.RootHash.Span, conflicting.RootHash.Span);
                return check.Failure is { Code: MerkleFailureCode.FirstRootMismatch, CalculatedHash: { } derived }
                       && !derived.AsSpan().SequenceEqual(held.RootHash.Span)
                       && MerkleVerifier.VerifyConsistency(held.Size, conflicting.Size, proof, derived, conflicting.RootHash.Span).IsValid
                    ? null
                    : "the proof does not lead from another root at the held size to the conflicting checkpoint's root";
            default:
                return "unknown kind of split view";
        }
    }

    private static Checkpoint? CheckpointOf(string note, string origin) =>
        SignedNote.TryParse(note, out var signed, out _) && Checkpoint.TryParse(signed.Text, out var checkpoint, out _) && checkpoint.Origin == origin ? checkpoint : null;

    private static string Why(string note, string origin, string which) =>
        SignedNote.TryParse(note, out var signed, out var error) && Checkpoint.TryParse(signed.Text, out var checkpoint, out error)
            ? $"the {which} checkpoint is of '{checkpoint.Origin}', not of '{origin}'"
            : $"the {which} note is not a signed checkpoint: {error}";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
