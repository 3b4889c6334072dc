using System.Data;
using Ledger.Store.Engine;
using Ledger.Store.Tiles;
using Npgsql;

namespace Ledger.Store.Postgres;

/// <summary>
/// One READ COMMITTED transaction on the writer's connection that starts by locking the log_head
/// row FOR UPDATE: every later statement runs after the previous writer (of any process) committed,
/// and sees what it wrote.
/// </summary>
internal sealed class PostgresWriteSession : IWriteSession
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private bool _committed;

    private PostgresWriteSession(NpgsqlConnection connection, NpgsqlTransaction transaction, LogHead head, AppendLookup lookup)
    {
        _connection = connection;
        _transaction = transaction;
        Head = head;
        Lookup = lookup;
    }

    public LogHead Head { get; }

    public AppendLookup Lookup { get; }

    /// <summary>
    /// BEGIN, lock the head row, and look up the event ids and stream heads: one round trip. The
    /// lookups run after the lock is granted and, in READ COMMITTED, see every earlier writer's commit.
    /// </summary>
    public static async Task<PostgresWriteSession> BeginAsync(
        NpgsqlConnection connection, IReadOnlyCollection<string> eventIds, IReadOnlyCollection<string> streams, IReadOnlyCollection<string> executions,
        CancellationToken ct)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
        try
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT size, root, last_recorded_at FROM log_head WHERE id = 1 FOR UPDATE"));
            if (eventIds.Count > 0)
            {
                var events = new NpgsqlBatchCommand("SELECT event_id, position, statement_digest, entry FROM entries WHERE event_id = ANY($1)");
                events.Parameters.Add(new NpgsqlParameter { Value = eventIds.ToArray() });
                batch.BatchCommands.Add(events);
            }

            if (streams.Count > 0)
            {
                var heads = new NpgsqlBatchCommand("""
                    SELECT s.stream, e.stream_version, e.leaf_hash
                    FROM unnest($1::text[]) AS s(stream)
                    CROSS JOIN LATERAL (
                        SELECT stream_version, leaf_hash FROM entries
                        WHERE entries.stream = s.stream ORDER BY stream_version DESC LIMIT 1) AS e
                    """);
                heads.Parameters.Add(new NpgsqlParameter { Value = streams.ToArray() });
                batch.BatchCommands.Add(heads);
            }

            if (executions.Count > 0)
            {
                var records = new NpgsqlBatchCommand(PostgresEngine.LineageSql);
                records.Parameters.Add(new NpgsqlParameter { Value = executions.ToArray() });
                batch.BatchCommands.Add(records);
            }

            await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                throw new StoreCorruptedException("The log_head row is missing.");
            }

            var head = new LogHead(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetInt64(2));
            var found = new Dictionary<string, ExistingEvent>(StringComparer.Ordinal);
            var streamHeads = new Dictionary<string, StreamHead>(StringComparer.Ordinal);
            if (eventIds.Count > 0)
            {
                await reader.NextResultAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var eventId = reader.GetString(0);
                    found[eventId] = new ExistingEvent(eventId, reader.GetInt64(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3));
                }
            }

            if (streams.Count > 0)
            {
                await reader.NextResultAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    streamHeads[reader.GetString(0)] = new StreamHead(reader.GetInt64(1), reader.GetFieldValue<byte[]>(2));
                }
            }

            var recordsFound = new Dictionary<string, ExecutionRecord>(StringComparer.Ordinal);
            if (executions.Count > 0)
            {
                await reader.NextResultAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    recordsFound[reader.GetString(0)] = PostgresEngine.ReadRecord(reader);
                }
            }

            return new PostgresWriteSession(connection, transaction, head, new AppendLookup(found, streamHeads, recordsFound));
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<IReadOnlyDictionary<TileKey, byte[]>> ReadTilesAsync(IReadOnlyCollection<TileKey> keys, CancellationToken ct) =>
        ReadTilesAsync(_connection, keys, ct);

    public static async Task<IReadOnlyDictionary<TileKey, byte[]>> ReadTilesAsync(NpgsqlConnection connection, IReadOnlyCollection<TileKey> keys, CancellationToken ct)
    {
        var tiles = new Dictionary<TileKey, byte[]>(keys.Count);
        if (keys.Count == 0)
        {
            return tiles;
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT t.tile_level, t.tile_index, t.hashes
            FROM unnest($1::integer[], $2::bigint[]) AS k(tile_level, tile_index)
            JOIN merkle_tiles AS t USING (tile_level, tile_index)
            """,
            connection);
        PostgresEngine.Add(command, keys.Select(k => k.Level).ToArray(), keys.Select(k => k.Index).ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            tiles[new TileKey(reader.GetInt32(0), reader.GetInt64(1))] = reader.GetFieldValue<byte[]>(2);
        }

        return tiles;
    }

    public async Task WriteAsync(
        IReadOnlyList<EntryRow> entries, IReadOnlyList<Tile> tiles, IReadOnlyList<ExecutionRecord> records, IReadOnlyList<PendingCascade> cascades,
        LogHead head, DateTimeOffset now, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(_connection, _transaction);
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO entries (position, stream, stream_version, event_id, statement_digest, leaf_hash, entry)
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::bytea[], $7::bytea[])
            """);
        AddAll(
            insert.Parameters,
            entries.Select(e => e.Position).ToArray(),
            entries.Select(e => e.Stream).ToArray(),
            entries.Select(e => e.StreamVersion).ToArray(),
            entries.Select(e => e.EventId).ToArray(),
            entries.Select(e => e.StatementDigest).ToArray(),
            entries.Select(e => e.LeafHash).ToArray(),
            entries.Select(e => e.Entry).ToArray());
        batch.BatchCommands.Add(insert);

        if (tiles.Count > 0)
        {
            var upsert = new NpgsqlBatchCommand("""
                INSERT INTO merkle_tiles (tile_level, tile_index, width, hashes)
                SELECT * FROM unnest($1::integer[], $2::bigint[], $3::integer[], $4::bytea[])
                ON CONFLICT (tile_level, tile_index) DO UPDATE SET width = excluded.width, hashes = excluded.hashes
                """);
            AddAll(
                upsert.Parameters,
                tiles.Select(t => t.Key.Level).ToArray(),
                tiles.Select(t => t.Key.Index).ToArray(),
                tiles.Select(t => t.Width).ToArray(),
                tiles.Select(t => t.Hashes).ToArray());
            batch.BatchCommands.Add(upsert);
        }

        if (records.Count > 0)
        {
            var upsert = new NpgsqlBatchCommand("""
                INSERT INTO executions (execution_id, stream_version, last_position, last_leaf_hash, status, parent_id, root_id, depth,
                                        declared_at, verify_from, expires_at, proven, state, remote_origin, remote_parent_id, first_position)
                SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bytea[], $5::integer[], $6::text[], $7::text[], $8::integer[],
                                     $9::bigint[], $10::bigint[], $11::bigint[], $12::boolean[], $13::bytea[], $14::text[], $15::text[], $16::bigint[])
                ON CONFLICT (execution_id) DO UPDATE SET
                    stream_version = excluded.stream_version, last_position = excluded.last_position, last_leaf_hash = excluded.last_leaf_hash,
                    status = excluded.status, parent_id = excluded.parent_id, root_id = excluded.root_id, depth = excluded.depth,
                    declared_at = excluded.declared_at, verify_from = excluded.verify_from, expires_at = excluded.expires_at,
                    proven = excluded.proven, state = excluded.state,
                    remote_origin = excluded.remote_origin, remote_parent_id = excluded.remote_parent_id
                """);
            AddAll(
                upsert.Parameters,
                records.Select(r => r.Id.Value).ToArray(),
                records.Select(r => r.StreamVersion).ToArray(),
                records.Select(r => r.LastPosition).ToArray(),
                records.Select(r => r.LastLeafHash).ToArray(),
                records.Select(RecordColumns.Status).ToArray(),
                records.Select(r => r.Parent?.Value).ToArray(),
                records.Select(r => r.Root.Value).ToArray(),
                records.Select(r => r.Depth).ToArray(),
                records.Select(RecordColumns.DeclaredAt).ToArray(),
                records.Select(RecordColumns.VerifyFrom).ToArray(),
                records.Select(RecordColumns.ExpiresAt).ToArray(),
                records.Select(RecordColumns.Proven).ToArray(),
                records.Select(RecordColumns.State).ToArray(),
                records.Select(RecordColumns.RemoteOrigin).ToArray(),
                records.Select(RecordColumns.RemoteParentId).ToArray(),
                records.Select(r => r.FirstPosition).ToArray());
            batch.BatchCommands.Add(upsert);
        }

        if (cascades.Count > 0)
        {
            var insertCascades = new NpgsqlBatchCommand("""
                INSERT INTO cascades (execution_id, position) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (execution_id) DO NOTHING
                """);
            AddAll(insertCascades.Parameters, cascades.Select(c => c.Execution.Value).ToArray(), cascades.Select(c => c.Position).ToArray());
            batch.BatchCommands.Add(insertCascades);
        }

        var update = new NpgsqlBatchCommand("UPDATE log_head SET size = $1, root = $2, updated_at = $3, last_recorded_at = $4 WHERE id = 1");
        AddAll(update.Parameters, head.Size, head.Root, now, head.LastRecordedAt);
        batch.BatchCommands.Add(update);

        // Delivered at commit, to every process LISTENing on this database.
        var notify = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
        AddAll(notify.Parameters, PostgresSchema.Channel, head.Size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        batch.BatchCommands.Add(notify);
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken ct) => LatestCheckpointAsync(_connection, ct);

    public async Task<StoredCheckpoint?> GetCheckpointAsync(long size, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT size, root, signed_note, stored_at FROM checkpoints WHERE size = $1", _connection, _transaction);
        PostgresEngine.Add(command, size);
        var found = await ReadCheckpointsAsync(command, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task InsertCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO checkpoints (size, root, signed_note, stored_at) VALUES ($1, $2, $3, $4)", _connection, _transaction);
        PostgresEngine.Add(command, checkpoint.Size, checkpoint.Root, checkpoint.SignedNote, checkpoint.StoredAt);
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
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The connection is gone (the server rolled back) or the transaction already ended.
                // The engine reconnects next time.
            }
        }

        await _transaction.DisposeAsync().ConfigureAwait(false);
    }

    public static async Task<StoredCheckpoint?> LatestCheckpointAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT size, root, signed_note, stored_at FROM checkpoints ORDER BY size DESC LIMIT 1", connection);
        var found = await ReadCheckpointsAsync(command, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public static async Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var checkpoints = new List<StoredCheckpoint>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            checkpoints.Add(new StoredCheckpoint(
                reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return checkpoints;
    }

    private static void AddAll(NpgsqlParameterCollection parameters, params object[] values)
    {
        foreach (var value in values)
        {
            parameters.Add(new NpgsqlParameter { Value = value });
        }
    }
}
