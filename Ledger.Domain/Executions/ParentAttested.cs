using Ledger.Domain.Events;

namespace Ledger.Domain.Executions;

/// <summary>
/// Ledger-authored (DESIGN §8.2, docs/FORMAT.md §10.4): the state of a parent on a peer ledger, as a verified execution
/// attestation proves it, appended to the child's stream just before the decision that depends on it (the intent, the
/// start) or the end it justifies, so that a replay decides as the ledger did and an auditor can re-check the
/// attestation.
/// </summary>
/// <param name="Ledger">The parent's ledger (the peer's origin).</param>
/// <param name="ExecutionId">The parent execution.</param>
/// <param name="AttestationDigest">The attestation's digest, <c>sha256:&lt;hex&gt;</c>.</param>
/// <param name="Checkpoint">The attestation's signed checkpoint note, with its cosignatures.</param>
/// <param name="CheckpointSize">That checkpoint's size.</param>
/// <param name="StreamVersion">The parent's stream version the attestation states.</param>
/// <param name="Status">The parent's status the attestation proves.</param>
/// <param name="GrantedScope">The parent's granted scope (empty before its authorization).</param>
/// <param name="ExpiresAt">The parent's authorization expiry, or null before its authorization.</param>
/// <param name="AttestedAt">The attestation statement's time.</param>
[WireName("federation.parent-attested.v1")]
public sealed record ParentAttested(
    string Ledger,
    ExecutionId ExecutionId,
    string AttestationDigest,
    string Checkpoint,
    long CheckpointSize,
    long StreamVersion,
    ExecutionStatus Status,
    IReadOnlyList<string> GrantedScope,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset AttestedAt) : IExecutionEvent
{
    /// <summary>The reference to the parent this proves.</summary>
    public ParentRef Parent => new(Ledger, ExecutionId);
}

/// <summary>The latest proven state of an execution's remote parent (from its last <see cref="ParentAttested"/>).</summary>
/// <param name="Parent">The parent.</param>
/// <param name="Status">Its proven status.</param>
/// <param name="GrantedScope">Its granted scope.</param>
/// <param name="ExpiresAt">Its authorization expiry.</param>
/// <param name="AttestedAt">When the peer stated it.</param>
/// <param name="AttestationDigest">The attestation's digest.</param>
/// <remarks>Immutable.</remarks>
public sealed record AttestedParent(ParentRef Parent, ExecutionStatus Status, IReadOnlyList<string> GrantedScope, DateTimeOffset? ExpiresAt, DateTimeOffset AttestedAt, string AttestationDigest)
{
    /// <summary>The parent as a state the lineage rules read (status, scope, expiry).</summary>
    public ExecutionState ToState() => new() { Id = Parent.ExecutionId, Status = Status, GrantedScope = GrantedScope, ExpiresAt = ExpiresAt };
}
