namespace Ledger.Store;

/// <summary>
/// A batch of events for one stream, appended atomically.
/// </summary>
/// <param name="Stream">The stream (see <see cref="StreamName"/> for the rules).</param>
/// <param name="ExpectedVersion">−1 any, 0 the stream must not exist yet, n the stream's current version must be n.</param>
/// <param name="RecordedAt">
/// The ledger's time for these events (written into every entry as recordedAt); the store never writes a time
/// earlier than the last entry's, so recordedAt never decreases in position order. With <see cref="Decide"/>
/// and no time (default), the store's clock is used.
/// </param>
/// <param name="Events">
/// One or more events with distinct event ids, each stating <paramref name="Stream"/>. With <see cref="Decide"/>:
/// the submitted events (possibly none), checked for idempotent retries before the decider runs.
/// </param>
public sealed record AppendRequest(string Stream, long ExpectedVersion, DateTimeOffset RecordedAt, IReadOnlyList<ProposedEvent> Events)
{
    /// <summary><see cref="ExpectedVersion"/> value: append whatever the stream's version.</summary>
    public const long AnyVersion = -1;

    /// <summary><see cref="ExpectedVersion"/> value: the stream must not exist yet.</summary>
    public const long NoStream = 0;

    /// <summary>
    /// For an execution stream: decides under the write lock what is appended (the submitted events, a refusal,
    /// a ledger event) from the execution record and its ancestors.
    /// </summary>
    public ExecutionDecider? Decide { get; init; }

    /// <summary>With <see cref="Decide"/>: the parent an intent names, so its record and ancestors are read too.</summary>
    public Ledger.Domain.Executions.ExecutionId? ParentHint { get; init; }

    /// <summary>
    /// Streams whose versions must still be these for the append to happen (e.g. the registry the decision
    /// used); otherwise the result is <see cref="AppendResult.GuardConflict"/> and nothing is appended.
    /// </summary>
    public IReadOnlyDictionary<string, long>? Guards { get; init; }
}
