using Ledger.Domain.Executions;

namespace Ledger.Store.Engine;

/// <summary>
/// How an execution record follows its stream, in one place for the append transaction (<c>BatchBuilder</c>) and
/// the one-time upgrade of an older log: the lineage edge a new execution gets, and whether an end leaves a
/// pending cascade.
/// </summary>
internal static class RecordFold
{
    /// <summary>The record after folding, keeping the lineage edge of an existing record.</summary>
    /// <param name="origin">This log's origin (a parent elsewhere is not a lineage edge here).</param>
    /// <param name="before">The record before, or null for a new execution.</param>
    /// <param name="state">The folded state.</param>
    /// <param name="version">The stream version of the last entry folded.</param>
    /// <param name="firstPosition">The position of the first entry folded (a new execution's first position).</param>
    /// <param name="position">The position of the last.</param>
    /// <param name="leafHash">Its leaf hash (empty while a batch is still being built).</param>
    /// <param name="find">The current record of an execution, or null.</param>
    public static ExecutionRecord Next(
        string origin, ExecutionRecord? before, ExecutionState state, long version, long firstPosition, long position, byte[] leafHash, Func<string, ExecutionRecord?> find)
    {
        var (parent, root, depth) = before is not null ? (before.Parent, before.Root, before.Depth) : Edge(origin, state, find);
        var remote = state.Parent is { } p && !string.Equals(p.Ledger, origin, StringComparison.Ordinal) ? p : null;
        return new ExecutionRecord(state, version, position, leafHash, parent, root, depth) { RemoteParent = remote, FirstPosition = before?.FirstPosition ?? firstPosition };
    }

    /// <summary>
    /// Whether the change from <paramref name="before"/> to <paramref name="after"/> leaves a pending cascade: it
    /// denies or halts the execution, and no ended parent's cascade covers it already (an ancestor's cascade ends every
    /// open descendant, not only children, and stays pending until none is open; without this a 10^4-descendant
    /// cascade would leave 10^4 cascades to finish).
    /// </summary>
    public static bool LeavesCascade(ExecutionRecord? before, ExecutionRecord after, Func<string, ExecutionRecord?> find) =>
        before?.EndsDescendants != true
        && after.EndsDescendants
        && !(after.Parent is { } parent && find(parent.Value)?.EndsDescendants == true);

    /// <summary>The lineage edge of a new execution: its parent on this ledger, when that parent has a record.</summary>
    private static (ExecutionId? Parent, ExecutionId Root, int Depth) Edge(string origin, ExecutionState state, Func<string, ExecutionRecord?> find) =>
        state.Parent is { } parentRef
        && string.Equals(parentRef.Ledger, origin, StringComparison.Ordinal)
        && parentRef.ExecutionId != state.Id
        && find(parentRef.ExecutionId.Value) is { } parent
            ? (parent.Id, parent.Root, checked(parent.Depth + 1))
            : (null, state.Id, 0);
}
