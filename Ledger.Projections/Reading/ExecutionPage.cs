namespace Ledger.Projections.Reading;

/// <summary>One page of executions.</summary>
/// <param name="Items">The executions, newest first.</param>
/// <param name="NextCursor">Pass as <see cref="ExecutionQuery.Before"/> for the next page; null on the last page.</param>
/// <param name="Position">The position of the read model that answered (entries projected).</param>
public sealed record ExecutionPage(IReadOnlyList<ExecutionSummary> Items, long? NextCursor, long Position);
