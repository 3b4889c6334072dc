namespace Ledger.Domain.Bundles;

/// <summary>A checkpoint: the complete signed note text (c2sp.org/tlog-checkpoint and signed-note), exactly as signed.</summary>
/// <param name="SignedNote">The note: checkpoint text, a blank line, signature lines, each line ending in a newline.</param>
/// <remarks>
/// The reader checks only that the text is non-empty; the verifier parses the note, checks its signatures against
/// the keys the auditor trusts (never against keys in the bundle) and that it re-encodes to the same text.
/// Immutable and thread-safe.
/// </remarks>
public sealed record BundleCheckpoint(string SignedNote) : BundleRecord
{
    /// <inheritdoc />
    public override string RecordName => "checkpoint";
}
