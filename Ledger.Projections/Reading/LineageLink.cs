namespace Ledger.Projections.Reading;

/// <summary>
/// An execution on another ledger linked to a lineage tree here: a child on a peer of one of the tree's executions, or
/// the remote parent of the tree's root; with what this ledger verified of it (an execution attestation, docs/FORMAT.md §10).
/// </summary>
/// <param name="Ledger">The other ledger's origin.</param>
/// <param name="ExecutionId">The execution there.</param>
/// <param name="Status">Its status as the latest verified attestation proves it (a status wire name); null when none was verified.</param>
/// <param name="AttestedAt">That attestation's statement time; null when none was verified.</param>
/// <param name="CheckpointSize">The size of the other ledger's checkpoint it was proven under; null when none was verified.</param>
/// <param name="AttestationDigest">That attestation's digest; null when none was verified.</param>
public sealed record LineageLink(string Ledger, string ExecutionId, string? Status, DateTimeOffset? AttestedAt, long? CheckpointSize, string? AttestationDigest);
