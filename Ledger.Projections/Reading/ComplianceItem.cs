namespace Ledger.Projections.Reading;

/// <summary>An execution in a compliance list, with the instant that put it there (a deadline or an expiry), if any.</summary>
public sealed record ComplianceItem(ExecutionSummary Execution, DateTimeOffset? At);
