using System.Text.Json;
using Ledger.Domain.Log;

namespace Ledger.Client;

/// <summary>One event of an append body as JSON (docs/API.md): for events read from files, or any type the typed
/// records do not cover.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="Type">Its wire type.</param>
/// <param name="Domain">The domain it is submitted for.</param>
/// <param name="Data">Its <c>data</c> object.</param>
public sealed record EventSubmission(string EventId, string Type, string Domain, JsonElement Data)
{
    /// <summary>When the emitter observed it (RFC 3339), or null.</summary>
    public string? OccurredAt { get; init; }

    /// <summary>A JSON object of metadata, or null (a value that is not an object is not signed over).</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>A signature made elsewhere; replaced when the client has a <see cref="LedgerClientOptions.SigningKey"/>.</summary>
    public EmitterSignature? Signature { get; init; }
}
