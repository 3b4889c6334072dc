namespace Ledger.Domain.Notes;

/// <summary>A witness of a <see cref="TlogPolicy"/>: its policy name, cosignature/v1 key and optional URL.</summary>
/// <param name="Name">The name used in groups and the quorum (not the key name).</param>
/// <param name="Key">The witness's cosignature/v1 verifier key (type 0x04).</param>
/// <param name="Url">The URL on the witness line (its tlog-witness submission prefix), or null.</param>
public sealed record PolicyWitness(string Name, NoteVerifier Key, string? Url);
