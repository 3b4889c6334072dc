namespace Ledger.Store;

/// <summary>
/// A batch of events for one stream, appended atomically.
/// </summary>
/// <param name="Stream">The stream (see <see cref="StreamName"/> for the rules).</param>
/// <param name="ExpectedVersion">−1 any, 0 the stream must not exist yet, n the stream's current version must be n.</param>
/// <param name="RecordedAt">The ledger's time for these events (written into every entry as recordedAt).</param>
/// <param name="Events">One or more events with distinct event ids, each stating <paramref name="Stream"/>.</param>
public sealed record AppendRequest(string Stream, long ExpectedVersion, DateTimeOffset RecordedAt, IReadOnlyList<ProposedEvent> Events)
{
    /// <summary><see cref="ExpectedVersion"/> value: append whatever the stream's version.</summary>
    public const long AnyVersion = -1;

    /// <summary><see cref="ExpectedVersion"/> value: the stream must not exist yet.</summary>
    public const long NoStream = 0;
}
