namespace Ledger.Domain.Federation;

/// <summary>One stream entry of an <see cref="ExecutionAttestation"/>: its position, its canonical bytes and its inclusion
/// proof against the attestation's checkpoint.</summary>
/// <param name="Position">The entry's log position.</param>
/// <param name="Entry">The entry's canonical bytes (docs/FORMAT.md §2).</param>
/// <param name="Proof">The RFC 6962 audit path for the checkpoint's size, lowest level first.</param>
/// <remarks>Immutable; the arrays are not copied and must not be changed.</remarks>
public sealed record AttestedEntry(long Position, byte[] Entry, IReadOnlyList<byte[]> Proof);
