using Ledger.Store.Engine;
using Ledger.Store.Tiles;
using Microsoft.Data.Sqlite;

namespace Ledger.Store.Sqlite;

/// <summary>One BEGIN IMMEDIATE transaction on the write connection.</summary>
internal sealed class SqliteWriteSession : IWriteSession
{
    private readonly SqliteWriteConnection _writer;
    private readonly SqliteTransaction _transaction;
    private bool _committed;

    public SqliteWriteSession(SqliteWriteConnection writer, SqliteTransaction transaction, LogHead head, AppendLookup lookup)
    {
        _writer = writer;
        _transaction = transaction;
        Head = head;
        Lookup = lookup;
    }

    public LogHead Head { get; }

    public AppendLookup Lookup { get; }

    public Task<IReadOnlyDictionary<TileKey, byte[]>> ReadTilesAsync(IReadOnlyCollection<TileKey> keys, CancellationToken ct) =>
        _writer.ReadTilesAsync(keys, ct);

    public Task WriteAsync(
        IReadOnlyList<EntryRow> entries, IReadOnlyList<Tile> tiles, IReadOnlyList<ExecutionRecord> records, IReadOnlyList<PendingCascade> cascades,
        LogHead head, DateTimeOffset now, CancellationToken ct) =>
        _writer.WriteAsync(entries, tiles, records, cascades, head, now, ct);

    public Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken ct) =>
        SqliteWriteConnection.LatestCheckpointAsync(_writer.Connection, _transaction, ct);

    public async Task<StoredCheckpoint?> GetCheckpointAsync(long size, CancellationToken ct)
    {
        await using var command = SqliteEngine.Command(
            _writer.Connection, _transaction, "SELECT size, root, signed_note, stored_at FROM checkpoints WHERE size = $s");
        command.Parameters.AddWithValue("$s", size);
        var found = await SqliteWriteConnection.ReadCheckpointsAsync(command, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task InsertCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken ct)
    {
        await using var command = SqliteEngine.Command(
            _writer.Connection,
            _transaction,
            "INSERT INTO checkpoints (size, root, signed_note, stored_at) VALUES ($s, $r, $n, $t)");
        command.Parameters.AddWithValue("$s", checkpoint.Size);
        command.Parameters.AddWithValue("$r", checkpoint.Root);
        command.Parameters.AddWithValue("$n", checkpoint.SignedNote);
        command.Parameters.AddWithValue("$t", SqliteText.FromTime(checkpoint.StoredAt));
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        await _transaction.CommitAsync(ct).ConfigureAwait(false);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            try
            {
                await _transaction.RollbackAsync().ConfigureAwait(false);
            }
            catch (SqliteException)
            {
                // Rolled back already by SQLite itself (e.g. after an I/O error).
            }
        }

        await _transaction.DisposeAsync().ConfigureAwait(false);
    }
}
