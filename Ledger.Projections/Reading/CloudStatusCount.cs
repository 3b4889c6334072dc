namespace Ledger.Projections.Reading;

/// <summary>How many executions of one cloud (null: none known) have one status.</summary>
public sealed record CloudStatusCount(string? Cloud, string Status, long Executions);
