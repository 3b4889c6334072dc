// Lineage types live in Ledger.Domain.Executions: a namespace Ledger.Domain.Lineage would hide the
// Lineage rules class from every caller inside Ledger.Domain.*.
namespace Ledger.Domain.Executions;

/// <summary>One execution of a lineage tree, with the events of its stream that the lineage digest covers.</summary>
/// <param name="ExecutionId">The execution.</param>
/// <param name="Parent">Its parent within the tree; null for the tree's root (whose parent, if any, is on another ledger or absent).</param>
/// <param name="Events">The entries of its stream <c>execution-{id}</c>, every type except <c>execution.proof-persisted.v1</c>, in any order.</param>
/// <remarks>Immutable when the list is; <see cref="LineageDigest"/> checks the tree's shape.</remarks>
public sealed record LineageNode(ExecutionId ExecutionId, ExecutionId? Parent, IReadOnlyList<LineageEvent> Events);
