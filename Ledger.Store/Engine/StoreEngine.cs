using Ledger.Store.Tiles;

namespace Ledger.Store.Engine;

/// <summary>
/// The storage primitives one database engine provides. All ledger logic (positions, versions,
/// idempotency, Merkle tree, checkpoint rules, group commit) lives in <see cref="EventStore"/>,
/// once, on top of these.
/// </summary>
/// <remarks>
/// <see cref="BeginWriteAsync"/> is only ever called by the store's single writer, one session at a
/// time; every read member may be called concurrently and uses its own connection.
/// </remarks>
internal abstract class StoreEngine : IAsyncDisposable
{
    /// <summary>Applies pending migrations and creates or checks the log head (origin).</summary>
    public abstract Task MigrateAsync(string origin, byte[] emptyRoot, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Starts a write transaction holding the log's write lock, and looks up (in the same round trip
    /// where the engine can) the given event ids and the heads of the given streams.
    /// </summary>
    /// <param name="eventIds">Event ids to look up.</param>
    /// <param name="streams">Streams whose heads to read.</param>
    /// <param name="executions">Executions whose records to read, each with all its ancestors.</param>
    /// <param name="ct">Cancellation.</param>
    public abstract Task<IWriteSession> BeginWriteAsync(
        IReadOnlyCollection<string> eventIds, IReadOnlyCollection<string> streams, IReadOnlyCollection<string> executions, CancellationToken ct);

    /// <summary>The records of the given executions and of all their ancestors, in one consistent read.</summary>
    public abstract Task<IReadOnlyDictionary<string, ExecutionRecord>> ReadRecordsAsync(IReadOnlyCollection<string> executions, CancellationToken ct);

    /// <summary>
    /// Open executions past a deadline at <paramref name="nowTicks"/>: declared but not started with
    /// declared_at &lt; now − intentTtl, running with verify_from &lt; now − maxVerificationInterval or expires_at &lt; now.
    /// </summary>
    public abstract Task<IReadOnlyList<ExecutionDue>> ListDueAsync(long nowTicks, long intentTtlTicks, long verificationTicks, int limit, CancellationToken ct);

    public abstract Task<IReadOnlyList<PendingCascade>> ListCascadesAsync(int limit, CancellationToken ct);

    /// <summary>Every descendant of the execution on this ledger, ordered by depth then id.</summary>
    public abstract Task<IReadOnlyList<ExecutionDescendant>> ListDescendantsAsync(string execution, CancellationToken ct);

    public abstract Task DeleteCascadeAsync(string execution, long position, CancellationToken ct);

    /// <summary>Roots of lineage trees whose members have all ended, at least one unproven, every entry below <paramref name="size"/>.</summary>
    public abstract Task<IReadOnlyList<string>> ListProvableRootsAsync(long size, int limit, CancellationToken ct);

    /// <summary>The records of every execution of a lineage tree.</summary>
    public abstract Task<IReadOnlyList<ExecutionRecord>> ListTreeAsync(string root, CancellationToken ct);

    /// <summary>
    /// Tries to become the one node running <paramref name="job"/>'s ticks; null when another node is. The
    /// returned handle keeps leadership until disposed (or until this process dies).
    /// </summary>
    public abstract Task<IAsyncDisposable?> TryLeadAsync(string job, CancellationToken ct);

    public abstract Task<long> GetTreeSizeAsync(CancellationToken ct);

    public abstract Task<IReadOnlyDictionary<TileKey, byte[]>> ReadTilesAsync(IReadOnlyCollection<TileKey> keys, CancellationToken ct);

    public abstract Task<IReadOnlyList<byte[]>> ReadStreamAsync(string stream, long fromVersion, ReadDirection direction, int maxCount, CancellationToken ct);

    public abstract Task<long> GetStreamVersionAsync(string stream, CancellationToken ct);

    public abstract IAsyncEnumerable<StoredEntry> ReadLogAsync(long fromPosition, int limit, CancellationToken ct);

    public abstract Task<byte[]?> FindByEventIdAsync(string eventId, CancellationToken ct);

    public abstract Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken ct);

    public abstract Task<StoredCheckpoint?> GetCheckpointAsync(long size, CancellationToken ct);

    public abstract Task<IReadOnlyList<StoredCheckpoint>> ListCheckpointsAsync(long fromSize, long toSize, CancellationToken ct);

    /// <summary>Witness state rows: the one of <paramref name="origin"/>, or all of them when it is null.</summary>
    public abstract Task<IReadOnlyList<Witnessing.WitnessedLog>> ReadWitnessedAsync(string? origin, CancellationToken ct);

    /// <summary>One statement: update the row if it holds (expectedSize, expectedRoot), or insert it if expectedRoot is null and there is none.</summary>
    public abstract Task<bool> AdvanceWitnessedAsync(
        string origin, long expectedSize, byte[]? expectedRoot, long size, byte[] root, string note, DateTimeOffset cosignedAt, CancellationToken ct);

    public abstract Task MarkWitnessedLoggedAsync(string origin, long size, CancellationToken ct);

    public abstract Task MarkSplitViewAsync(string origin, DateTimeOffset at, CancellationToken ct);

    /// <summary>Inserts a cosignature unless one of that witness is kept for that size; whether it inserted.</summary>
    public abstract Task<bool> InsertCosignatureAsync(long size, string witness, string signatureLine, DateTimeOffset storedAt, CancellationToken ct);

    /// <summary>Cosignatures of checkpoints with <paramref name="fromSize"/> ≤ size ≤ <paramref name="toSize"/>, by size then witness (ordinal).</summary>
    public abstract Task<IReadOnlyList<Witnessing.StoredCosignature>> ReadCosignaturesAsync(long fromSize, long toSize, CancellationToken ct);

    /// <summary>Per witness, the largest checkpoint size it cosigned.</summary>
    public abstract Task<IReadOnlyDictionary<string, long>> ReadCosignedSizesAsync(CancellationToken ct);

    /// <summary>The records of <paramref name="execution"/> and its ancestors and the follow row of its remote parent, in one read transaction.</summary>
    public abstract Task<(IReadOnlyDictionary<string, ExecutionRecord> Records, RemoteParentFollow? Follow)> ReadLineageAsync(string execution, CancellationToken ct);

    /// <summary>Distinct remote parents of open executions, ordered by origin then id, after (<paramref name="afterOrigin"/>, <paramref name="afterId"/>).</summary>
    public abstract Task<IReadOnlyList<(string Origin, string Id)>> ListRemoteParentsAsync(string afterOrigin, string afterId, int limit, CancellationToken ct);

    /// <summary>The open executions whose remote parent is (<paramref name="origin"/>, <paramref name="id"/>).</summary>
    public abstract Task<IReadOnlyList<string>> ListRemoteChildrenAsync(string origin, string id, CancellationToken ct);

    /// <summary>
    /// The executions (open or ended) whose remote parent is on <paramref name="origin"/>, with that parent's id and their
    /// first position, ordered by first position after <paramref name="afterPosition"/>; at most <paramref name="limit"/>.
    /// </summary>
    public abstract Task<IReadOnlyList<(string Id, string ParentId, long Position)>> ListChildrenOfAsync(string origin, long afterPosition, int limit, CancellationToken ct);

    public abstract Task<RemoteParentFollow?> ReadRemoteFollowAsync(string origin, string id, CancellationToken ct);

    /// <summary>Inserts the row, or replaces it when <paramref name="follow"/> is more recent (verified_at only grows).</summary>
    public abstract Task UpsertRemoteFollowAsync(RemoteParentFollow follow, CancellationToken ct);

    public abstract Task<FollowedPeer?> ReadFollowedPeerAsync(string origin, CancellationToken ct);

    /// <summary>Keeps the peer's checkpoint when it is larger than the one held (or none is).</summary>
    public abstract Task KeepFollowedPeerAsync(string origin, long size, string note, CancellationToken ct);

    /// <summary>Keeps an attestation's text under its digest (once; a digest names one text).</summary>
    public abstract Task KeepAttestationAsync(string digest, string text, CancellationToken ct);

    public abstract Task<string?> ReadAttestationAsync(string digest, CancellationToken ct);

    /// <summary>Sets the peer's split-view time unless one is set.</summary>
    public abstract Task MarkFollowedPeerSplitAsync(string origin, long atTicks, CancellationToken ct);

    /// <summary>How often waiters re-read the tree size when nothing woke them.</summary>
    public abstract TimeSpan PollInterval { get; }

    /// <summary>
    /// Makes sure appends by other processes pulse the store's <see cref="SizeSignal"/> from now on
    /// (PostgreSQL: a LISTEN connection; SQLite: nothing, waiters poll).
    /// </summary>
    public abstract Task EnsureWatchingAsync(CancellationToken ct);

    public abstract ValueTask DisposeAsync();
}
