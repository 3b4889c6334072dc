using Ledger.Domain.Executions;

namespace Ledger.Store;

/// <summary>An open execution whose deadline passed, as the record's deadline columns say (DESIGN §3, silence).</summary>
/// <param name="Execution">The execution.</param>
/// <param name="Status">Its status when read.</param>
public sealed record ExecutionDue(ExecutionId Execution, ExecutionStatus Status);

/// <summary>A committed denial or halt whose open descendants the cascade has not ended yet.</summary>
/// <param name="Execution">The denied or halted execution.</param>
/// <param name="Position">The position of its end.</param>
public sealed record PendingCascade(ExecutionId Execution, long Position);

/// <summary>A descendant of an execution on this ledger, as the record's lineage edges say.</summary>
/// <param name="Execution">The descendant.</param>
/// <param name="Parent">Its parent.</param>
/// <param name="Depth">Its depth in the lineage tree (the root is 0).</param>
/// <param name="Status">Its status when read.</param>
public sealed record ExecutionDescendant(ExecutionId Execution, ExecutionId Parent, int Depth, ExecutionStatus Status);
