using Ledger.Domain.Executions;

namespace Ledger.Verifier;

/// <summary>
/// A ledger's record that it decided a governance claim against a peer's governance attestation: a ledger-authored
/// <c>federation.governance-attested.v1</c> (docs/FORMAT.md §10.9), with where it was found.
/// </summary>
/// <param name="Ledger">The origin of the ledger whose bundle holds the record (the claiming ledger).</param>
/// <param name="Position">The record's log position.</param>
/// <param name="Line">Its 1-based bundle line.</param>
/// <param name="Execution">The execution whose stream holds it.</param>
/// <param name="RecordedAt">Its <c>recordedAt</c>: the time the claiming ledger verified the attestation.</param>
/// <param name="Attested">The record: the home ledger, the checkpoint and what the attestation proved.</param>
/// <remarks>Immutable.</remarks>
public sealed record AttestedGovernanceClaim(string Ledger, long Position, long Line, ExecutionId Execution, DateTimeOffset RecordedAt, GovernanceAttested Attested)
{
    /// <summary>The attestation's text when the bundle carries it (a lineage bundle's attestation record, FORMAT §7.3), else null.</summary>
    public string? AttestationText { get; init; }

    /// <summary>The <c>maxPeerSilence</c> in force at the record: how old the attestation's statement could be when it was used.</summary>
    public TimeSpan MaxPeerSilence { get; init; }
}
