using Ledger.Domain.Executions;

namespace Ledger.Verifier;

/// <summary>
/// A ledger's record that it decided a child against a parent on another ledger: a ledger-authored
/// <c>federation.parent-attested.v1</c> (docs/FORMAT.md §10.4), with where it was found.
/// </summary>
/// <param name="Ledger">The origin of the ledger whose bundle holds the record (the child's ledger).</param>
/// <param name="Position">The record's log position.</param>
/// <param name="Line">Its 1-based bundle line.</param>
/// <param name="Child">The child execution whose stream holds it.</param>
/// <param name="RecordedAt">Its <c>recordedAt</c>: the time the child's ledger verified the attestation.</param>
/// <param name="Attested">The record: the parent's ledger, the checkpoint and the state the attestation proved.</param>
/// <remarks>Immutable.</remarks>
public sealed record AttestedParentClaim(string Ledger, long Position, long Line, ExecutionId Child, DateTimeOffset RecordedAt, ParentAttested Attested)
{
    /// <summary>The attestation's text when the bundle carries it (a lineage bundle's attestation record, FORMAT §7.3), else null.</summary>
    public string? AttestationText { get; init; }

    /// <summary>The <c>maxPeerSilence</c> in force at the record: how old the attestation's statement could be when it was used.</summary>
    public TimeSpan MaxPeerSilence { get; init; }
}
