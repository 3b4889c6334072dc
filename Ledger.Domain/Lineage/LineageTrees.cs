using Ledger.Domain.Log;
using Ledger.Domain.Merkle;

// Lineage types live in Ledger.Domain.Executions: a namespace Ledger.Domain.Lineage would hide the
// Lineage rules class from every caller inside Ledger.Domain.*.
namespace Ledger.Domain.Executions;

/// <summary>The lineage trees of a set of log entries (docs/FORMAT.md §8), for a caller that holds whole trees.</summary>
/// <remarks>Pure and thread-safe.</remarks>
public static class LineageTrees
{
    /// <summary>
    /// Groups entries into lineage trees (§8.1) and computes each tree's digest. Give every entry of the streams of
    /// the trees wanted (for one tree: every stream of its members), in any order; entries of other streams are
    /// ignored. Leaf hashes are computed from the entries' canonical bytes.
    /// </summary>
    /// <param name="origin">The log's origin.</param>
    /// <param name="entries">The entries; no position twice.</param>
    /// <returns>The trees, ordered by their first event. An execution whose parent is not among the entries is a root.</returns>
    /// <exception cref="ArgumentException">A position occurs twice.</exception>
    public static IReadOnlyList<DigestedLineageTree> FromEntries(string origin, IEnumerable<LedgerEntry> entries)
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

    private static DigestedLineageTree From(LineageForestTree tree, Dictionary<ExecutionId, List<LineageEvent>> events)
    {
        var nodes = tree.Members.Select(m => new LineageNode(m.Execution, m.Parent, events[m.Execution])).ToList();
        // The digest is computed from the nodes by LineageDigest, the definition; the forest's running digest agrees
        // (tests/Ledger.Domain.Tests/Executions/LineageTreeTests.cs).
        return new DigestedLineageTree(tree.Root, nodes, LineageDigest.Compute(nodes), tree.OpenMembers == 0);
    }
}
