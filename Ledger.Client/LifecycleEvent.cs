using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;

namespace Ledger.Client;

/// <summary>
/// One lifecycle event to append: a typed event of Ledger.Domain (<see cref="IntentDeclared"/>,
/// <see cref="GovernanceSynchronized"/>, <see cref="AuthorizationIssued"/>, <see cref="RuntimeTrustEstablished"/>,
/// <see cref="ExecutionStarted"/>, <see cref="RuntimeVerified"/>, <see cref="ExecutionCompleted"/>,
/// <see cref="ExecutionDenied"/>, <see cref="ExecutionHalted"/>) and what the emitter asserts around it.
/// </summary>
/// <param name="EventId">The event's id: the key of safe retries (the same id with the same content is appended once).</param>
/// <param name="Domain">The domain the event is submitted for (one the emitter may speak for).</param>
/// <param name="Event">The typed event; its wire name (e.g. <c>execution.started.v1</c>) is its <see cref="Type"/>.</param>
public sealed record LifecycleEvent(string EventId, string Domain, IExecutionEvent Event)
{
    /// <summary>When the emitter observed the event; sent as RFC 3339 UTC (<c>Z</c>) to the microsecond.</summary>
    public DateTimeOffset? OccurredAt { get; init; }

    /// <summary>A JSON object of the emitter's own metadata, or null.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>The event's wire name.</summary>
    public string Type => ExecutionEventCodec.TypeOf(Event);

    /// <summary>The event as submitted: its <c>data</c> written by the ledger's own codec (docs/FORMAT.md §6).</summary>
    /// <exception cref="ArgumentException">The event holds values its wire format does not allow.</exception>
    public EventSubmission ToSubmission() => new(EventId, Type, Domain, ExecutionEventCodec.ToData(Event))
    {
        OccurredAt = OccurredAt?.UtcDateTime.ToString(LedgerEntry.RecordedAtFormat, CultureInfo.InvariantCulture),
        Metadata = Metadata,
    };
}
