namespace Ledger.Projections.Reading;

/// <summary>A refused submission, as the ledger's denial or halt records it.</summary>
/// <param name="EventId">The refused event's id.</param>
/// <param name="Type">Its type.</param>
/// <param name="Digest">The digest of its emitter statement.</param>
public sealed record RejectedView(string EventId, string Type, string Digest);
