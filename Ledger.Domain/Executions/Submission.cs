using Ledger.Domain.Events;

namespace Ledger.Domain.Executions;

/// <summary>One event offered for an execution's stream, with the envelope facts the rules need.</summary>
/// <param name="Event">The parsed event.</param>
/// <param name="EventId">The envelope's <c>eventId</c>.</param>
/// <param name="Type">The envelope's <c>type</c>; must be the event's wire name.</param>
/// <param name="Digest">
/// <c>sha256:&lt;hex&gt;</c> of the submission's canonical emitter statement
/// (<c>EmitterStatement.Digest()</c>); recorded in the terminal event if the ledger refuses it.
/// </param>
/// <param name="Emitter">The submitting emitter's name.</param>
/// <param name="Domain">The envelope's <c>domain</c>, the domain the emitter speaks for.</param>
/// <remarks>
/// <see cref="ByLedger"/> marks events the ledger appends itself (proofs, refusals, cascades,
/// sweeps): a replay passes them to <see cref="Execution.Decide"/> to check they were justified.
/// Immutable.
/// </remarks>
public sealed record Submission(IExecutionEvent Event, string EventId, string Type, string Digest, string Emitter, string Domain)
{
    /// <summary>Whether the ledger itself appends this event (never true for an emitter's submission).</summary>
    public bool ByLedger { get; init; }

    /// <summary>A submission whose <see cref="Type"/> is taken from the event's wire name.</summary>
    public static Submission For(IExecutionEvent @event, string eventId, string digest, string emitter, string domain) =>
        new(@event, eventId, WireNames.Of(@event.GetType()), digest, emitter, domain);
}
