using Ledger.Domain.Executions;

namespace Ledger.Domain.Federation;

/// <summary>What a verified <see cref="ExecutionAttestation"/> proves.</summary>
/// <param name="Statement">The statement, checked against the entries and the checkpoint.</param>
/// <param name="CheckpointNote">The signed checkpoint (with cosignatures), as received.</param>
/// <param name="State">The execution's state, folded from the entries with <see cref="Execution.Evolve"/>.</param>
/// <param name="Digest">The attestation's digest (<see cref="ExecutionAttestation.Digest"/>).</param>
/// <remarks>Immutable.</remarks>
public sealed record AttestedExecution(AttestationStatement Statement, string CheckpointNote, ExecutionState State, string Digest);
