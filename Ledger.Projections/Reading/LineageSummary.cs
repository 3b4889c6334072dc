namespace Ledger.Projections.Reading;

/// <summary>One lineage tree as lists show it.</summary>
/// <param name="RootId">Its root execution.</param>
/// <param name="Nodes">Executions in the tree.</param>
/// <param name="OpenNodes">Executions not ended yet.</param>
/// <param name="MaxDepth">The deepest node's depth (0 for a lone root).</param>
/// <param name="FirstPosition">The position of the tree's first entry.</param>
/// <param name="LastPosition">The position of the tree's last entry.</param>
public sealed record LineageSummary(string RootId, long Nodes, long OpenNodes, long MaxDepth, long FirstPosition, long LastPosition);
