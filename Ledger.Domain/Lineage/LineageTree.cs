using Ledger.Domain.Log;
using Ledger.Domain.Merkle;

// Lineage types live in Ledger.Domain.Executions: a namespace Ledger.Domain.Lineage would hide the
// Lineage rules class from every caller inside Ledger.Domain.*.
namespace Ledger.Domain.Executions;

/// <summary>
/// One whole lineage tree (docs/FORMAT.md §8.1) with its nodes, each node's events, and its
/// <see cref="LineageDigest"/>: what the ledger's proof job needs to persist the proofs of a tree.
/// </summary>
/// <param name="Root">The root execution.</param>
/// <param name="Nodes">The members, in the order of their first events; each with its parent in the tree and its events ascending.</param>
/// <param name="Digest">The lineage digest, <c>sha256:</c> and 64 lowercase hex digits (§8.2).</param>
/// <param name="IsEnded">Whether every member has recorded a terminal event (completed, denied, halted).</param>
/// <remarks>Immutable when the lists are; thread-safe.</remarks>
public sealed record LineageTree(ExecutionId Root, IReadOnlyList<LineageNode> Nodes, string Digest, bool IsEnded)
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

    /// <summary>
    /// Groups entries into lineage trees (§8.1) and computes each tree's digest. Give every entry of the streams of
    /// the trees wanted (for one tree: every stream of its members), in any order; entries of other streams are
    /// ignored. Leaf hashes are computed from the entries' canonical bytes.
    /// </summary>
    /// <param name="origin">The log's origin.</param>
    /// <param name="entries">The entries; no position twice.</param>
    /// <returns>The trees, ordered by their first event. An execution whose parent is not among the entries is a root.</returns>
    /// <exception cref="ArgumentException">A position occurs twice.</exception>
    public static IReadOnlyList<LineageTree> FromEntries(string origin, IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var forest = new LineageForest(origin);
        var events = new Dictionary<ExecutionId, List<LineageEvent>>();
        foreach (var entry in entries.OrderBy(e => e.Position))
        {
            var leafHash = MerkleHash.HashLeaf(entry.ToCanonicalBytes());
            var member = forest.Add(entry, leafHash);
            if (member is null || member.Positions.Count == 0 || member.Positions[^1] != entry.Position)
            {
                continue; // Not an execution's event: another stream, or a proof.
            }

            if (!events.TryGetValue(member.Execution, out var list))
            {
                events[member.Execution] = list = [];
            }

            list.Add(new LineageEvent(entry.Position, leafHash));
        }

        return [.. forest.Trees.Select(tree => From(tree, events))];
    }

    private static LineageTree From(LineageForestTree tree, Dictionary<ExecutionId, List<LineageEvent>> events)
    {
        var nodes = tree.Members.Select(m => new LineageNode(m.Execution, m.Parent, events[m.Execution])).ToList();
        // The digest is computed from the nodes by LineageDigest, the definition; the forest's running digest agrees
        // (tests/Ledger.Domain.Tests/Executions/LineageTreeTests.cs).
        return new LineageTree(tree.Root, nodes, LineageDigest.Compute(nodes), tree.OpenMembers == 0);
    }
}
