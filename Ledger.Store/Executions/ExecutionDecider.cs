using Ledger.Domain.Executions;

namespace Ledger.Store;

/// <summary>
/// Decides an append to an execution's stream under the store's write lock, from the execution record and its
/// ancestors as committed (plus what earlier appends of the same transaction changed). Called on the store's
/// writer: it must be pure, quick and must not call the store.
/// </summary>
/// <param name="view">The records and the ledger time the entries will carry.</param>
/// <returns>What to append, or why nothing is appended.</returns>
public delegate ExecutionVerdict ExecutionDecider(ExecutionView view);

/// <summary>What an <see cref="ExecutionDecider"/> sees.</summary>
/// <param name="Execution">The execution appended to.</param>
/// <param name="Lineage">
/// Its record and its ancestors: for an execution with no events yet, the ancestors start at the parent the
/// request named (<see cref="AppendRequest.ParentHint"/>).
/// </param>
/// <param name="StreamVersion">The stream's current version (0: no stream yet).</param>
/// <param name="RecordedAt">The <c>recordedAt</c> the appended entries will carry: never earlier than any entry before them.</param>
/// <remarks>Immutable.</remarks>
public sealed record ExecutionView(ExecutionId Execution, ExecutionLineage Lineage, long StreamVersion, DateTimeOffset RecordedAt)
{
    /// <summary>The execution's state (initial when it has no events).</summary>
    public ExecutionState State => Lineage.Record?.State ?? ExecutionState.Initial(Execution);
}

/// <summary>An <see cref="ExecutionDecider"/>'s answer: a closed set.</summary>
public abstract record ExecutionVerdict
{
    private ExecutionVerdict()
    {
    }

    /// <summary>Append these events (each with its parsed form, which the record is folded with).</summary>
    /// <param name="Events">One or more events for the execution's stream.</param>
    /// <param name="Tag">Anything the caller wants back with the result (e.g. whether this is a refusal).</param>
    public sealed record Append(IReadOnlyList<DecidedEvent> Events, object? Tag = null) : ExecutionVerdict;

    /// <summary>Append nothing; <paramref name="Tag"/> comes back in <see cref="AppendResult.Declined"/>.</summary>
    public sealed record Decline(object Tag) : ExecutionVerdict;
}

/// <summary>An event to append, with its parsed execution event.</summary>
public sealed record DecidedEvent(ProposedEvent Proposed, IExecutionEvent Event);
