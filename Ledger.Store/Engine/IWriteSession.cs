using Ledger.Store.Tiles;

namespace Ledger.Store.Engine;

/// <summary>
/// One write transaction that holds the log's write lock (PostgreSQL: the log_head row locked
/// FOR UPDATE; SQLite: BEGIN IMMEDIATE) from its start to commit or dispose (rollback).
/// </summary>
internal interface IWriteSession : IAsyncDisposable
{
    /// <summary>The log head as committed, read under the lock.</summary>
    public LogHead Head { get; }

    /// <summary>The event ids and stream heads asked for at the start, read under the lock.</summary>
    public AppendLookup Lookup { get; }

    public Task<IReadOnlyDictionary<TileKey, byte[]>> ReadTilesAsync(IReadOnlyCollection<TileKey> keys, CancellationToken ct);

    public Task WriteAsync(
        IReadOnlyList<EntryRow> entries, IReadOnlyList<Tile> tiles, IReadOnlyList<ExecutionRecord> records, IReadOnlyList<PendingCascade> cascades,
        LogHead head, DateTimeOffset now, CancellationToken ct);

    public Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken ct);

    public Task<StoredCheckpoint?> GetCheckpointAsync(long size, CancellationToken ct);

    public Task InsertCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken ct);

    public Task CommitAsync(CancellationToken ct);
}
