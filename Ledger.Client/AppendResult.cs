namespace Ledger.Client;

/// <summary>Where an append's events landed.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="StreamVersion">The stream's version after the last of them.</param>
/// <param name="Replayed">True when every event was already in the log with the same content (a retry): nothing new was appended.</param>
/// <param name="Entries">Each event's position (its Merkle leaf index), stream version and leaf hash.</param>
public sealed record AppendResult(string Stream, long StreamVersion, bool Replayed, IReadOnlyList<AppendedEntry> Entries)
{
    /// <summary>The positions of the events, in order.</summary>
    public IReadOnlyList<long> Positions => [.. Entries.Select(e => e.Position)];
}

/// <summary>One appended event.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="Position">Its position in the log (= Merkle leaf index).</param>
/// <param name="StreamVersion">Its version in the stream.</param>
/// <param name="LeafHash">Base64 of its RFC 6962 leaf hash.</param>
public sealed record AppendedEntry(string EventId, long Position, long StreamVersion, string LeafHash);
