using System.Text.Json;
using Ledger.Domain.Log;

namespace Ledger.Application.Executions;

/// <summary>One event of an append request body, as the emitter sent it.</summary>
public sealed record SubmittedEvent(string EventId, string Type, string Domain, string? OccurredAt, JsonElement Data, JsonElement? Metadata, EmitterSignature? Signature);

/// <summary>An append request body after its shape and limits were checked.</summary>
public sealed record SubmittedAppend(long ExpectedVersion, IReadOnlyList<SubmittedEvent> Events);
