namespace Ledger.Projections.Engine;

/// <summary>Where one projection stands.</summary>
/// <param name="Name">The projection.</param>
/// <param name="Position">Entries projected into the live read model (the next position to read).</param>
/// <param name="LogSize">Entries in the log now.</param>
/// <param name="Lag">LogSize − Position.</param>
/// <param name="Rebuild"><c>requested</c>, <c>building</c>, or null when no rebuild is under way.</param>
/// <param name="RebuildPosition">Entries projected into the shadow tables of the rebuild under way.</param>
/// <param name="RebuildRequestedAt">When the last rebuild was requested.</param>
/// <param name="RebuiltAt">When the last rebuild replaced the live tables.</param>
/// <param name="UpdatedAt">When the projection last committed a batch.</param>
/// <param name="LastError">The last failure seen by this node's runner, if its last step failed.</param>
public sealed record ProjectionStatus(
    string Name,
    long Position,
    long LogSize,
    long Lag,
    string? Rebuild,
    long? RebuildPosition,
    DateTimeOffset? RebuildRequestedAt,
    DateTimeOffset? RebuiltAt,
    DateTimeOffset? UpdatedAt,
    string? LastError);
