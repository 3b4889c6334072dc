namespace Ledger.Domain.Executions;

/// <summary>An event the ledger appends on its own initiative (cascade, silence sweep), with the execution it belongs to.</summary>
/// <param name="ExecutionId">The execution whose stream receives the event.</param>
/// <param name="Event">The event, an <see cref="ExecutionDenied"/> or <see cref="ExecutionHalted"/>.</param>
/// <remarks>Immutable.</remarks>
public sealed record LedgerAppend(ExecutionId ExecutionId, IExecutionEvent Event)
{
    /// <summary>The stream to append to, <c>execution-{id}</c>.</summary>
    public string Stream => ExecutionId.StreamName;
}
