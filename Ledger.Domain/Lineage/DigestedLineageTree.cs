// Lineage types live in Ledger.Domain.Executions: a namespace Ledger.Domain.Lineage would hide the
// Lineage rules class from every caller inside Ledger.Domain.*.
namespace Ledger.Domain.Executions;

/// <summary>
/// One whole lineage tree (docs/FORMAT.md §8.1) with its nodes, each node's events, and its
/// <see cref="LineageDigest"/>, as <see cref="LineageTrees.FromEntries"/> computes it: what the ledger's proof job
/// needs to persist the proofs of a tree.
/// </summary>
/// <param name="Root">The root execution.</param>
/// <param name="Nodes">The members, in the order of their first events; each with its parent in the tree and its events ascending.</param>
/// <param name="Digest">The lineage digest, <c>sha256:</c> and 64 lowercase hex digits (§8.2).</param>
/// <param name="IsEnded">Whether every member has recorded a terminal event (completed, denied, halted).</param>
/// <remarks>Immutable when the lists are; thread-safe.</remarks>
public sealed record DigestedLineageTree(ExecutionId Root, IReadOnlyList<LineageNode> Nodes, string Digest, bool IsEnded)
{
    /// <summary>The positions of a member's events (proofs excluded), ascending: the <c>positions</c> of its proof.</summary>
    /// <exception cref="ArgumentException">The execution is not a member of this tree.</exception>
    public IReadOnlyList<long> PositionsOf(ExecutionId execution) =>
        Nodes.FirstOrDefault(n => n.ExecutionId == execution) is { } node
            ? [.. node.Events.Select(e => e.Position)]
            : throw new ArgumentException($"Execution '{execution}' is not in the lineage tree of '{Root}'.", nameof(execution));

    /// <summary>Whether the execution is a member of this tree.</summary>
    public bool Contains(ExecutionId execution) => Nodes.Any(n => n.ExecutionId == execution);

    /// <summary>The position of the tree's last event.</summary>
    public long LastPosition => Nodes.Max(n => n.Events[^1].Position);
}
