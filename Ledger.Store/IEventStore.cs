using Ledger.Domain.Log;

namespace Ledger.Store;

/// <summary>
/// The ledger's event store and Merkle log: one contract, two engines (embedded SQLite and
/// PostgreSQL), opened with <see cref="EventStoreFactory.OpenAsync"/>.
/// </summary>
/// <remarks>
/// Invariants: positions are 0-based, gap-free, never reused and committed in position order,
/// also across processes sharing one database; position = Merkle leaf index; every entry is
/// visible only together with its leaf and the tree nodes it completes (one transaction); an event
/// id is unique in the whole log. Thread-safety: every member may be called concurrently;
/// concurrent appends are batched into one transaction (group commit).
/// </remarks>
public interface IEventStore : Witnessing.IWitnessStore, Witnessing.ICosignatureStore, IAsyncDisposable
{
    /// <summary>The ledger origin written into every entry (the checkpoint origin line).</summary>
    public string Origin { get; }

    /// <summary>
    /// Appends a batch of events to one stream atomically. Expected outcomes are values
    /// (<see cref="AppendResult"/>); a malformed request throws <see cref="ArgumentException"/>.
    /// </summary>
    /// <remarks>
    /// Cancellation is honoured until the request is picked up by the writer; from then on the
    /// call waits for the outcome, so an acknowledged cancellation means nothing was appended.
    /// </remarks>
    public Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken ct = default);

    /// <summary>
    /// Reads a stream. Forward: versions ≥ <paramref name="fromVersion"/> ascending. Backward:
    /// versions ≤ <paramref name="fromVersion"/> descending, where −1 means from the last event.
    /// An unknown stream reads as empty.
    /// </summary>
    public Task<IReadOnlyList<LedgerEntry>> ReadStreamAsync(string stream, long fromVersion, ReadDirection direction, int maxCount, CancellationToken ct = default);

    /// <summary>The stream's current version (the version of its last event), 0 when it has none.</summary>
    public Task<long> GetStreamVersionAsync(string stream, CancellationToken ct = default);

    /// <summary>Up to <paramref name="limit"/> entries from <paramref name="fromPosition"/> in position order.</summary>
    public IAsyncEnumerable<StoredEntry> ReadLogAsync(long fromPosition, int limit, CancellationToken ct = default);

    /// <summary>The entry at a position, or null when the log is not that long yet.</summary>
    public Task<StoredEntry?> GetEntryAsync(long position, CancellationToken ct = default);

    /// <summary>The entry holding an event id, or null.</summary>
    public Task<LedgerEntry?> FindByEventIdAsync(string eventId, CancellationToken ct = default);

    /// <summary>The number of entries in the log (= the Merkle tree size).</summary>
    public Task<long> GetTreeSizeAsync(CancellationToken ct = default);

    /// <summary>The RFC 6962 root hash of the first <paramref name="size"/> entries (0 ≤ size ≤ tree size).</summary>
    public Task<byte[]> GetRootAsync(long size, CancellationToken ct = default);

    /// <summary>The inclusion proof of leaf <paramref name="index"/> in the tree of <paramref name="size"/> (index &lt; size ≤ tree size).</summary>
    public Task<IReadOnlyList<byte[]>> GetInclusionProofAsync(long index, long size, CancellationToken ct = default);

    /// <summary>
    /// The inclusion proofs of several leaves in the tree of <paramref name="size"/>, in the order of <paramref name="indexes"/>
    /// (each index &lt; size ≤ tree size): one proof plan for all of them, so each tile they need is read once.
    /// </summary>
    public Task<IReadOnlyList<IReadOnlyList<byte[]>>> GetInclusionProofsAsync(IReadOnlyList<long> indexes, long size, CancellationToken ct = default);

    /// <summary>The consistency proof between tree sizes 1 ≤ <paramref name="size1"/> ≤ <paramref name="size2"/> ≤ tree size.</summary>
    public Task<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long size1, long size2, CancellationToken ct = default);

    /// <summary>
    /// The hashes of Merkle tile <paramref name="tile"/> of tile level <paramref name="level"/> (c2sp.org/tlog-tiles),
    /// <c>tile.Width</c> × 32 bytes: the first <c>tile.Width</c> hashes of the stored tile, or null when the tree is not
    /// large enough to hold them all. A full tile holds exactly 256 hashes; a partial tile stays readable after the
    /// tile has grown (its hashes never change).
    /// </summary>
    public Task<byte[]?> ReadTileAsync(int level, Ledger.Domain.Tiles.TileAddress tile, CancellationToken ct = default);

    /// <summary>Completes when the log holds more than <paramref name="position"/> entries.</summary>
    public Task WaitForPositionAsync(long position, CancellationToken ct = default);

    /// <summary>
    /// Stores a signed checkpoint. Throws <see cref="InconsistentCheckpointException"/> unless
    /// <paramref name="root"/> is the tree's root at <paramref name="size"/> and no later checkpoint
    /// is stored; a checkpoint already stored at that size is returned unchanged (first one wins).
    /// </summary>
    public Task<StoredCheckpoint> StoreCheckpointAsync(long size, byte[] root, string signedNote, CancellationToken ct = default);

    /// <summary>The checkpoint with the largest size, or null.</summary>
    public Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken ct = default);

    /// <summary>The checkpoint stored at exactly <paramref name="size"/>, or null.</summary>
    public Task<StoredCheckpoint?> GetCheckpointAsync(long size, CancellationToken ct = default);

    /// <summary>Checkpoints with <paramref name="fromSize"/> ≤ size ≤ <paramref name="toSize"/>, ascending.</summary>
    public Task<IReadOnlyList<StoredCheckpoint>> ListCheckpointsAsync(long fromSize, long toSize, CancellationToken ct = default);

    /// <summary>An execution's record and its ancestors' records, as committed (one consistent read).</summary>
    public Task<ExecutionLineage> ReadExecutionAsync(Ledger.Domain.Executions.ExecutionId execution, CancellationToken ct = default);

    /// <summary>
    /// Up to <paramref name="limit"/> open executions past a deadline at <paramref name="now"/> (an index read:
    /// its cost grows with the due executions, not the open ones). The caller decides again under the write lock.
    /// </summary>
    public Task<IReadOnlyList<ExecutionDue>> ListDueAsync(DateTimeOffset now, TimeSpan intentTtl, TimeSpan maxVerificationInterval, int limit, CancellationToken ct = default);

    /// <summary>Committed denials and halts whose cascades are not finished, oldest first.</summary>
    public Task<IReadOnlyList<PendingCascade>> ListCascadesAsync(int limit, CancellationToken ct = default);

    /// <summary>Every descendant of <paramref name="execution"/> on this ledger, by depth.</summary>
    public Task<IReadOnlyList<ExecutionDescendant>> ListDescendantsAsync(Ledger.Domain.Executions.ExecutionId execution, CancellationToken ct = default);

    /// <summary>Marks a cascade finished (no descendant of it is open).</summary>
    public Task CompleteCascadeAsync(PendingCascade cascade, CancellationToken ct = default);

    /// <summary>Roots of lineage trees that have ended, with an unproven member, and whose entries are all below <paramref name="size"/>.</summary>
    public Task<IReadOnlyList<Ledger.Domain.Executions.ExecutionId>> ListProvableRootsAsync(long size, int limit, CancellationToken ct = default);

    /// <summary>The records of every execution of the lineage tree of <paramref name="root"/>, by depth.</summary>
    public Task<IReadOnlyList<ExecutionRecord>> ListTreeAsync(Ledger.Domain.Executions.ExecutionId root, CancellationToken ct = default);

    /// <summary>
    /// Tries to become the one node that runs <paramref name="job"/> (PostgreSQL: a session advisory lock; SQLite:
    /// this process). Null when another holder has it; otherwise leadership lasts until the handle is disposed.
    /// </summary>
    public Task<IAsyncDisposable?> TryLeadAsync(string job, CancellationToken ct = default);

    /// <summary>
    /// The distinct parents on other ledgers of this ledger's open executions (DESIGN §8.2, following peers), ordered by
    /// origin then execution id (ordinal), starting after <paramref name="after"/>; at most <paramref name="limit"/>.
    /// </summary>
    public Task<IReadOnlyList<Ledger.Domain.Executions.ParentRef>> ListRemoteParentsAsync(Ledger.Domain.Executions.ParentRef? after, int limit, CancellationToken ct = default);

    /// <summary>The open executions whose parent is <paramref name="parent"/> on another ledger.</summary>
    public Task<IReadOnlyList<Ledger.Domain.Executions.ExecutionId>> ListRemoteChildrenAsync(Ledger.Domain.Executions.ParentRef parent, CancellationToken ct = default);

    /// <summary>
    /// The executions of this ledger, open or ended, whose parent is on the ledger <paramref name="origin"/> (what that
    /// ledger asks for, to show its executions' children here as links), read from the execution record, ordered by first
    /// position after <paramref name="afterPosition"/> (-1: from the start); at most <paramref name="limit"/>. Positions are
    /// committed in order, so a cursor that moves past a child never misses one that comes to be later.
    /// </summary>
    public Task<IReadOnlyList<RemoteChild>> ListChildrenOfAsync(string origin, long afterPosition, int limit, CancellationToken ct = default);

    /// <summary>What the follow job last proved of <paramref name="parent"/>, or null.</summary>
    public Task<RemoteParentFollow?> ReadRemoteFollowAsync(Ledger.Domain.Executions.ParentRef parent, CancellationToken ct = default);

    /// <summary>Keeps <paramref name="follow"/> unless a more recent verification is kept already (the time only grows).</summary>
    public Task RecordRemoteFollowAsync(RemoteParentFollow follow, CancellationToken ct = default);

    /// <summary>The peer's held checkpoint and split-view mark, or null when none is held.</summary>
    public Task<FollowedPeer?> ReadFollowedPeerAsync(string origin, CancellationToken ct = default);

    /// <summary>Holds the peer's checkpoint <paramref name="note"/> when it is larger than the one held.</summary>
    public Task KeepFollowedPeerAsync(string origin, long size, string note, CancellationToken ct = default);

    /// <summary>
    /// Keeps the text of an execution attestation a <c>federation.parent-attested.v1</c> names (<paramref name="digest"/> is
    /// <c>sha256:</c> and the hex SHA-256 of <paramref name="text"/>'s UTF-8 bytes), so that lineage exports carry it.
    /// </summary>
    /// <exception cref="ArgumentException">The digest is not the text's.</exception>
    public Task KeepAttestationAsync(string digest, string text, CancellationToken ct = default);

    /// <summary>The attestation text kept under <paramref name="digest"/>, or null.</summary>
    public Task<string?> ReadAttestationAsync(string digest, CancellationToken ct = default);

    /// <summary>Marks the peer as having shown a split view at <paramref name="at"/> (the first time only).</summary>
    public Task MarkFollowedPeerSplitAsync(string origin, DateTimeOffset at, CancellationToken ct = default);
}
