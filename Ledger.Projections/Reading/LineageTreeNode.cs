namespace Ledger.Projections.Reading;

/// <summary>One execution in a lineage tree, with its entries and its children (ordered by their first entry).</summary>
public sealed record LineageTreeNode(ExecutionSummary Execution, IReadOnlyList<ExecutionEventView> Events, IReadOnlyList<LineageTreeNode> Children)
{
    /// <summary>Its children on other ledgers, as their verified attestations prove them (ordered by ledger, then execution).</summary>
    public IReadOnlyList<LineageLink> Links { get; init; } = [];
}
