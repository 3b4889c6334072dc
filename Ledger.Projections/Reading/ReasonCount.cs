namespace Ledger.Projections.Reading;

/// <summary>How many executions ended for one reason.</summary>
public sealed record ReasonCount(string Reason, long Executions);
