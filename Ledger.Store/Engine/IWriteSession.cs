using Ledger.Store.Tiles;

namespace Ledger.Store.Engine;

/// <summary>
/// One write transaction that holds the log's write lock (PostgreSQL: the log_head row locked
/// FOR UPDATE; SQLite: BEGIN IMMEDIATE) from its start to commit or dispose (rollback).
/// </summary>
internal interface IWriteSession : IAsyncDisposable
{
    /// <summary>The log head as committed, read under the lock.</summary>
    LogHead Head { get; }

    Task<AppendLookup> LookupAsync(IReadOnlyCollection<string> eventIds, IReadOnlyCollection<string> streams, CancellationToken ct);

    Task<IReadOnlyDictionary<TileKey, byte[]>> ReadTilesAsync(IReadOnlyCollection<TileKey> keys, CancellationToken ct);

    Task WriteAsync(IReadOnlyList<EntryRow> entries, IReadOnlyList<Tile> tiles, LogHead head, DateTimeOffset now, CancellationToken ct);

    Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken ct);

    Task<StoredCheckpoint?> GetCheckpointAsync(long size, CancellationToken ct);

    Task InsertCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken ct);

    Task CommitAsync(CancellationToken ct);
}
