namespace Ledger.Domain.Executions;

/// <summary>
/// The answer to a <see cref="Submission"/>: a closed set of outcomes.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="Accepted"/>: append the submitted event (201).</item>
/// <item><see cref="Refused"/>: the submission breaks a lifecycle rule; append <see cref="Refused.LedgerEvents"/>
/// (the denial or halt, carrying the submission's digest) instead and answer 422: fail closed.</item>
/// <item><see cref="Conflict"/>: the execution cannot take this event at all (already terminal, already
/// declared, already proven); nothing is appended (409).</item>
/// <item><see cref="Invalid"/>: the submission is not acceptable as a request (wrong domain, id mismatch, an
/// event only the ledger may append, an unjustified ledger event); nothing is appended (400/403).</item>
/// </list>
/// After an accepted or refused terminal event, the caller ends the descendants with <see cref="Lineage.Cascade"/>.
/// Immutable.
/// </remarks>
public abstract record Decision
{
    private Decision()
    {
    }

    /// <summary>Append the submitted event.</summary>
    public sealed record Accepted : Decision;

    /// <summary>Fail closed: append the ledger's own events instead of the submission.</summary>
    /// <param name="Reason">The rule broken.</param>
    /// <param name="Detail">What exactly broke, with the offending values.</param>
    /// <param name="LedgerEvents">What the ledger appends to the execution's stream: one <see cref="ExecutionDenied"/> (before start) or <see cref="ExecutionHalted"/> (after).</param>
    public sealed record Refused(Reason Reason, string Detail, IReadOnlyList<IExecutionEvent> LedgerEvents) : Decision;

    /// <summary>Nothing is appended: the execution's history does not admit this event.</summary>
    /// <param name="Code">Stable code: <c>execution-terminal</c>, <c>execution-exists</c>, <c>execution-not-terminal</c>, <c>proof-already-persisted</c>.</param>
    /// <param name="Detail">Explanation.</param>
    public sealed record Conflict(string Code, string Detail) : Decision;

    /// <summary>Nothing is appended: the submission is not a valid request for this execution.</summary>
    /// <param name="Code">
    /// Stable code: <c>execution-id-mismatch</c>, <c>origin-not-targeted</c>, <c>domain-not-targeted</c>,
    /// <c>ledger-only-event</c>, <c>rejected-reserved</c>, <c>ledger-event-unjustified</c>.
    /// </param>
    /// <param name="Detail">Explanation.</param>
    public sealed record Invalid(string Code, string Detail) : Decision;
}
