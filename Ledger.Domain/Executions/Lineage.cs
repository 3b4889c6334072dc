namespace Ledger.Domain.Executions;

/// <summary>Lineage rules that span executions.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class Lineage
{
    /// <summary>
    /// What the ledger appends when an execution is denied or halted: for every non-terminal
    /// descendant, a denial (not yet started) or a halt (running) with reason <c>parent-halted</c>.
    /// </summary>
    /// <param name="descendants">
    /// Executions on this ledger that may descend from <paramref name="haltedAncestor"/>; the
    /// lineage is followed through their <see cref="ExecutionState.Parent"/> references (the caller
    /// passes only states whose parent references point at this ledger). States outside the
    /// ancestor's tree are ignored.
    /// </param>
    /// <param name="haltedAncestor">The execution that was just denied or halted.</param>
    /// <returns>
    /// The events in breadth-first order (parents before their children), so each halt is
    /// justified by its parent's end when replayed; the tree is walked through descendants that
    /// already ended (a completed child's running children are halted too).
    /// </returns>
    public static IReadOnlyList<LedgerAppend> Cascade(IEnumerable<ExecutionState> descendants, ExecutionId haltedAncestor)
    {
        ArgumentNullException.ThrowIfNull(descendants);
        var children = descendants
            .Where(d => d.Parent is not null)
            .GroupBy(d => d.Parent!.ExecutionId)
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.Id.Value, StringComparer.Ordinal).ToList());

        var appends = new List<LedgerAppend>();
        var visited = new HashSet<ExecutionId> { haltedAncestor };
        var queue = new Queue<ExecutionId>();
        queue.Enqueue(haltedAncestor);
        while (queue.TryDequeue(out var current))
        {
            if (!children.TryGetValue(current, out var kids))
            {
                continue;
            }

            foreach (var child in kids.Where(k => visited.Add(k.Id)))
            {
                queue.Enqueue(child.Id);
                if (child.IsTerminal || child.Status == ExecutionStatus.None)
                {
                    continue;
                }

                var detail = current == haltedAncestor
                    ? $"parent execution '{haltedAncestor}' was denied or halted"
                    : $"ancestor execution '{haltedAncestor}' was denied or halted (through parent '{current}')";
                IExecutionEvent terminal = child.Status == ExecutionStatus.Running
                    ? new ExecutionHalted(Reason.ParentHalted, detail)
                    : new ExecutionDenied(Reason.ParentHalted, detail);
                appends.Add(new LedgerAppend(child.Id, terminal));
            }
        }

        return appends;
    }

    /// <summary>
    /// The end the ledger appends to one open descendant of a denied or halted execution, once its own parent
    /// has ended (so that a replay finds it justified): a halt when it runs, a denial before start; null when
    /// it has ended already, has no events, or its parent is still open (its parent's end comes first).
    /// </summary>
    /// <param name="child">The descendant's state.</param>
    /// <param name="parent">Its parent's state.</param>
    /// <param name="endedAncestor">The denied or halted execution the cascade comes from.</param>
    public static IExecutionEvent? CascadeEnd(ExecutionState child, ExecutionState parent, ExecutionId endedAncestor)
    {
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(parent);
        if (child.IsTerminal || child.Status == ExecutionStatus.None || !parent.IsTerminal || child.Parent?.ExecutionId != parent.Id)
        {
            return null;
        }

        var detail = parent.Id == endedAncestor
            ? $"parent execution '{endedAncestor}' was denied or halted"
            : $"ancestor execution '{endedAncestor}' was denied or halted (through parent '{parent.Id}')";
        return child.Status == ExecutionStatus.Running
            ? new ExecutionHalted(Reason.ParentHalted, detail)
            : new ExecutionDenied(Reason.ParentHalted, detail);
    }
}
