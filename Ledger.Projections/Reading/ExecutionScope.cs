namespace Ledger.Projections.Reading;

/// <summary>Which executions a dashboard counts: those concerning <see cref="Domain"/> and of <see cref="Cloud"/>; null means any.</summary>
/// <param name="Domain">An execution concerns a domain when it is its first entry's domain, its origin or a target domain.</param>
/// <param name="Cloud">The execution's cloud or provider (<see cref="ExecutionSummary.Cloud"/>).</param>
public sealed record ExecutionScope(string? Domain, string? Cloud);
