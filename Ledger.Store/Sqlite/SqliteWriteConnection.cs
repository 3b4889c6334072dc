using Ledger.Store.Engine;
using Ledger.Store.Tiles;
using Microsoft.Data.Sqlite;

namespace Ledger.Store.Sqlite;

/// <summary>
/// The single write connection with its prepared statements, reused by every write session.
/// Only the store's writer uses it, one session at a time.
/// </summary>
internal sealed class SqliteWriteConnection : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _head;
    private readonly SqliteCommand _findEvent;
    private readonly SqliteCommand _streamHead;
    private readonly SqliteCommand _tile;
    private readonly SqliteCommand _insertEntry;
    private readonly SqliteCommand _upsertTile;
    private readonly SqliteCommand _updateHead;
    private readonly SqliteCommand _records;
    private readonly SqliteCommand _upsertRecord;
    private readonly SqliteCommand _insertCascade;
    private readonly SqliteCommand[] _all;

    public SqliteWriteConnection(SqliteConnection connection)
    {
        _connection = connection;
        _head = Prepare("SELECT size, root, last_recorded_at FROM log_head WHERE id = 1");
        _findEvent = Prepare("SELECT position, statement_digest, entry FROM entries WHERE event_id = $id", "$id");
        _streamHead = Prepare("SELECT stream_version, leaf_hash FROM entries WHERE stream = $s ORDER BY stream_version DESC LIMIT 1", "$s");
        _tile = TileSelect(connection);
        _insertEntry = Prepare(
            "INSERT INTO entries (position, stream, stream_version, event_id, statement_digest, leaf_hash, entry) VALUES ($p, $s, $v, $id, $d, $h, $e)",
            "$p", "$s", "$v", "$id", "$d", "$h", "$e");
        _upsertTile = Prepare(
            "INSERT INTO merkle_tiles (tile_level, tile_index, width, hashes) VALUES ($l, $i, $w, $h) "
            + "ON CONFLICT (tile_level, tile_index) DO UPDATE SET width = excluded.width, hashes = excluded.hashes",
            "$l", "$i", "$w", "$h");
        _updateHead = Prepare(
            "UPDATE log_head SET size = $size, root = $root, updated_at = $now, last_recorded_at = $last WHERE id = 1", "$size", "$root", "$now", "$last");
        _records = Prepare(SqliteEngine.LineageSql, "$ids");
        _upsertRecord = Prepare(
            "INSERT INTO executions (execution_id, stream_version, last_position, last_leaf_hash, status, parent_id, root_id, depth, declared_at, verify_from, expires_at, proven, state, "
            + "remote_origin, remote_parent_id, first_position) VALUES ($id, $v, $p, $h, $st, $pa, $ro, $de, $da, $vf, $ex, $pr, $s, $rl, $rp, $fp) "
            + "ON CONFLICT (execution_id) DO UPDATE SET stream_version = excluded.stream_version, last_position = excluded.last_position, "
            + "last_leaf_hash = excluded.last_leaf_hash, status = excluded.status, parent_id = excluded.parent_id, root_id = excluded.root_id, "
            + "depth = excluded.depth, declared_at = excluded.declared_at, verify_from = excluded.verify_from, expires_at = excluded.expires_at, "
            + "proven = excluded.proven, state = excluded.state, remote_origin = excluded.remote_origin, remote_parent_id = excluded.remote_parent_id",
            "$id", "$v", "$p", "$h", "$st", "$pa", "$ro", "$de", "$da", "$vf", "$ex", "$pr", "$s", "$rl", "$rp", "$fp");
        _insertCascade = Prepare("INSERT INTO cascades (execution_id, position) VALUES ($id, $p) ON CONFLICT (execution_id) DO NOTHING", "$id", "$p");
        _all = [_head, _findEvent, _streamHead, _tile, _insertEntry, _upsertTile, _updateHead, _records, _upsertRecord, _insertCascade];
    }

    public static SqliteCommand TileSelect(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = "SELECT hashes FROM merkle_tiles WHERE tile_level = $l AND tile_index = $i";
        command.Parameters.Add("$l", SqliteType.Integer);
        command.Parameters.Add("$i", SqliteType.Integer);
        return command;
    }

    public static async Task<IReadOnlyDictionary<TileKey, byte[]>> ReadTilesAsync(SqliteCommand select, IReadOnlyCollection<TileKey> keys, CancellationToken ct)
    {
        var tiles = new Dictionary<TileKey, byte[]>(keys.Count);
        foreach (var key in keys)
        {
            select.Parameters["$l"].Value = key.Level;
            select.Parameters["$i"].Value = key.Index;
            if (await select.ExecuteScalarAsync(ct).ConfigureAwait(false) is byte[] hashes)
            {
                tiles[key] = hashes;
            }
        }

        return tiles;
    }

    public static async Task<StoredCheckpoint?> LatestCheckpointAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken ct)
    {
        await using var command = SqliteEngine.Command(
            connection, transaction, "SELECT size, root, signed_note, stored_at FROM checkpoints ORDER BY size DESC LIMIT 1");
        var found = await ReadCheckpointsAsync(command, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public static async Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(SqliteCommand command, CancellationToken ct)
    {
        var checkpoints = new List<StoredCheckpoint>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            checkpoints.Add(new StoredCheckpoint(reader.GetInt64(0), (byte[])reader[1], reader.GetString(2), SqliteText.ToTime(reader.GetString(3))));
        }

        return checkpoints;
    }

    public async Task<IWriteSession> BeginAsync(
        IReadOnlyCollection<string> eventIds, IReadOnlyCollection<string> streams, IReadOnlyCollection<string> executions, CancellationToken ct)
    {
        // BEGIN IMMEDIATE: takes the database's write lock now, so the head read below is final.
        var transaction = _connection.BeginTransaction(deferred: false);
        try
        {
            foreach (var command in _all)
            {
                command.Transaction = transaction;
            }

            LogHead head;
            await using (var reader = await _head.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    throw new StoreCorruptedException("The log_head row is missing.");
                }

                head = new LogHead(reader.GetInt64(0), (byte[])reader[1], reader.GetInt64(2));
            }

            return new SqliteWriteSession(this, transaction, head, await LookupAsync(eventIds, streams, executions, ct).ConfigureAwait(false));
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal SqliteConnection Connection => _connection;

    private async Task<AppendLookup> LookupAsync(
        IReadOnlyCollection<string> eventIds, IReadOnlyCollection<string> streams, IReadOnlyCollection<string> executions, CancellationToken ct)
    {
        var events = new Dictionary<string, ExistingEvent>(StringComparer.Ordinal);
        foreach (var eventId in eventIds)
        {
            _findEvent.Parameters["$id"].Value = eventId;
            await using var reader = await _findEvent.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                events[eventId] = new ExistingEvent(eventId, reader.GetInt64(0), reader.GetString(1), (byte[])reader[2]);
            }
        }

        var heads = new Dictionary<string, StreamHead>(StringComparer.Ordinal);
        foreach (var stream in streams)
        {
            _streamHead.Parameters["$s"].Value = stream;
            await using var reader = await _streamHead.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                heads[stream] = new StreamHead(reader.GetInt64(0), (byte[])reader[1]);
            }
        }

        var records = executions.Count == 0
            ? new Dictionary<string, ExecutionRecord>(StringComparer.Ordinal)
            : await SqliteEngine.ReadRecordsAsync(_records, executions, ct).ConfigureAwait(false);
        return new AppendLookup(events, heads, records);
    }

    internal Task<IReadOnlyDictionary<TileKey, byte[]>> ReadTilesAsync(IReadOnlyCollection<TileKey> keys, CancellationToken ct) =>
        ReadTilesAsync(_tile, keys, ct);

    internal async Task WriteAsync(
        IReadOnlyList<EntryRow> entries, IReadOnlyList<Tile> tiles, IReadOnlyList<ExecutionRecord> records, IReadOnlyList<PendingCascade> cascades,
        LogHead head, DateTimeOffset now, CancellationToken ct)
    {
        var p = _insertEntry.Parameters;
        foreach (var row in entries)
        {
            p["$p"].Value = row.Position;
            p["$s"].Value = row.Stream;
            p["$v"].Value = row.StreamVersion;
            p["$id"].Value = row.EventId;
            p["$d"].Value = row.StatementDigest;
            p["$h"].Value = row.LeafHash;
            p["$e"].Value = row.Entry;
            await _insertEntry.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        foreach (var tile in tiles)
        {
            _upsertTile.Parameters["$l"].Value = tile.Key.Level;
            _upsertTile.Parameters["$i"].Value = tile.Key.Index;
            _upsertTile.Parameters["$w"].Value = tile.Width;
            _upsertTile.Parameters["$h"].Value = tile.Hashes;
            await _upsertTile.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        _updateHead.Parameters["$size"].Value = head.Size;
        _updateHead.Parameters["$root"].Value = head.Root;
        _updateHead.Parameters["$now"].Value = SqliteText.FromTime(now);
        _updateHead.Parameters["$last"].Value = head.LastRecordedAt;
        foreach (var record in records)
        {
            var r = _upsertRecord.Parameters;
            r["$id"].Value = record.Id.Value;
            r["$v"].Value = record.StreamVersion;
            r["$p"].Value = record.LastPosition;
            r["$h"].Value = record.LastLeafHash;
            r["$st"].Value = RecordColumns.Status(record);
            r["$pa"].Value = (object?)record.Parent?.Value ?? DBNull.Value;
            r["$ro"].Value = record.Root.Value;
            r["$de"].Value = record.Depth;
            r["$da"].Value = (object?)RecordColumns.DeclaredAt(record) ?? DBNull.Value;
            r["$vf"].Value = (object?)RecordColumns.VerifyFrom(record) ?? DBNull.Value;
            r["$ex"].Value = (object?)RecordColumns.ExpiresAt(record) ?? DBNull.Value;
            r["$pr"].Value = RecordColumns.Proven(record) ? 1 : 0;
            r["$s"].Value = RecordColumns.State(record);
            r["$rl"].Value = (object?)RecordColumns.RemoteOrigin(record) ?? DBNull.Value;
            r["$rp"].Value = (object?)RecordColumns.RemoteParentId(record) ?? DBNull.Value;
            r["$fp"].Value = record.FirstPosition;
            await _upsertRecord.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        foreach (var cascade in cascades)
        {
            _insertCascade.Parameters["$id"].Value = cascade.Execution.Value;
            _insertCascade.Parameters["$p"].Value = cascade.Position;
            await _insertCascade.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await _updateHead.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _all)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }
}
