namespace Ledger.Projections.Reading;

/// <summary>A list of a compliance view: how many match, and the first of them.</summary>
/// <param name="Total">How many executions match.</param>
/// <param name="Items">Up to the limit asked for.</param>
public sealed record ComplianceList(long Total, IReadOnlyList<ComplianceItem> Items);
