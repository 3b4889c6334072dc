using Ledger.Domain.Executions;

namespace Ledger.Store;

/// <summary>An execution's record with its ancestors on this ledger, read together (one consistent read).</summary>
/// <param name="Record">The execution's record, or null when it has no events.</param>
/// <param name="Ancestors">Parent first, then grandparent, up to the root.</param>
/// <remarks>Immutable.</remarks>
public sealed record ExecutionLineage(ExecutionRecord? Record, IReadOnlyList<ExecutionRecord> Ancestors)
{
    /// <summary>
    /// What the follow job last proved of the execution's remote parent, read in the same transaction as the record;
    /// null when it has no remote parent or none was followed yet.
    /// </summary>
    public RemoteParentFollow? RemoteFollow { get; init; }

    /// <summary>The nearest denied or halted ancestor, or null.</summary>
    public ExecutionId? EndedAncestor => Ancestors.FirstOrDefault(a => a.EndsDescendants)?.Id;

    /// <summary>The parent's record, when the parent is on this ledger and has events.</summary>
    public ExecutionRecord? Parent => Ancestors.Count > 0 ? Ancestors[0] : null;
}
