namespace Ledger.Projections.Reading;

/// <summary>A lineage tree: a root execution and its descendants on this ledger, nested, with links to executions on other ledgers.</summary>
/// <param name="RootId">The root execution.</param>
/// <param name="Nodes">How many executions the tree holds.</param>
/// <param name="Digest">The lineage digest of the tree as it stands (docs/FORMAT.md §8).</param>
/// <param name="Anchored">Whether the ledger appended the tree's proofs; <paramref name="AnchoredDigest"/> is then what they carry.</param>
/// <param name="AnchoredDigest">The digest the root's <c>execution.proof-persisted.v1</c> carries, or null.</param>
/// <param name="AnchoredCheckpointSize">The checkpoint size the root's proof names, or null.</param>
/// <param name="Checkpoint">The checkpoint the events' inclusion proofs are against, when proofs were asked for.</param>
/// <param name="Root">The root node.</param>
/// <param name="Position">The position of the read model that answered.</param>
public sealed record LineageTree(
    string RootId,
    int Nodes,
    string? Digest,
    bool Anchored,
    string? AnchoredDigest,
    long? AnchoredCheckpointSize,
    CheckpointView? Checkpoint,
    LineageTreeNode Root,
    long Position)
{
    /// <summary>The root's parent when it is on another ledger (with its latest state this ledger verified), or null.</summary>
    public LineageLink? RemoteParent { get; init; }
}
