using System.Globalization;
using System.Runtime.CompilerServices;
using Ledger.Store.Engine;
using Ledger.Store.Tiles;
using Npgsql;

namespace Ledger.Store.Postgres;

/// <summary>
/// The PostgreSQL engine: several processes may share one database. Position assignment is
/// serialized in the database by locking the single log_head row FOR UPDATE in every write
/// transaction (no sequences); commits NOTIFY <see cref="PostgresSchema.Channel"/> so waiters in
/// every process wake up.
/// </summary>
internal sealed partial class PostgresEngine : StoreEngine
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SizeSignal _signal;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _listenerGate = new();
    private NpgsqlConnection? _writer;
    private Task? _listener;
    private TaskCompletionSource? _listening;

    public PostgresEngine(string connectionString, SizeSignal signal)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _signal = signal;
    }

    public override TimeSpan PollInterval => TimeSpan.FromSeconds(1);

    public override async Task MigrateAsync(string origin, byte[] emptyRoot, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock($1)", ct, PostgresSchema.MigrationLock).ConfigureAwait(false);
        await ExecuteAsync(connection, PostgresSchema.MigrationsTable, ct).ConfigureAwait(false);
        var applied = new HashSet<int>();
        await using (var select = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
        await using (var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var known = PostgresSchema.Migrations.Max(m => m.Version);
        if (applied.Count > 0 && applied.Max() > known)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The database schema is at version {applied.Max()}, newer than this build knows ({known}); upgrade the ledger."));
        }

        foreach (var migration in PostgresSchema.Migrations.Where(m => !applied.Contains(m.Version)))
        {
            await ExecuteAsync(connection, migration.Sql, ct).ConfigureAwait(false);
            await ExecuteAsync(
                connection, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", ct, migration.Version, migration.Name, now)
                .ConfigureAwait(false);
        }

        await ExecuteAsync(
            connection,
            "INSERT INTO log_head (id, origin, size, root, updated_at) VALUES (1, $1, 0, $2, $3) ON CONFLICT (id) DO NOTHING",
            ct,
            origin,
            emptyRoot,
            now).ConfigureAwait(false);
        await using (var check = new NpgsqlCommand("SELECT origin FROM log_head WHERE id = 1", connection))
        {
            var stored = (string?)await check.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (!string.Equals(stored, origin, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"This database holds the log of origin '{stored}', not '{origin}'.");
            }
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    public override async Task<IWriteSession> BeginWriteAsync(
        IReadOnlyCollection<string> eventIds, IReadOnlyCollection<string> streams, IReadOnlyCollection<string> executions, CancellationToken ct)
    {
        if (_writer is { FullState: not System.Data.ConnectionState.Open })
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }

        _writer ??= await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await PostgresWriteSession.BeginAsync(_writer, eventIds, streams, executions, ct).ConfigureAwait(false);
    }

    public override async Task<long> GetTreeSizeAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT size FROM log_head WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    public override async Task<IReadOnlyDictionary<TileKey, byte[]>> ReadTilesAsync(IReadOnlyCollection<TileKey> keys, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await PostgresWriteSession.ReadTilesAsync(connection, keys, ct).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<byte[]>> ReadStreamAsync(string stream, long fromVersion, ReadDirection direction, int maxCount, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            direction == ReadDirection.Forward
                ? "SELECT entry FROM entries WHERE stream = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3"
                : "SELECT entry FROM entries WHERE stream = $1 AND stream_version <= $2 ORDER BY stream_version DESC LIMIT $3");
        Add(command, stream, fromVersion < 0 ? long.MaxValue : fromVersion, maxCount);
        var entries = new List<byte[]>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            entries.Add(reader.GetFieldValue<byte[]>(0));
        }

        return entries;
    }

    public override async Task<long> GetStreamVersionAsync(string stream, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT COALESCE(MAX(stream_version), 0) FROM entries WHERE stream = $1");
        Add(command, stream);
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    public override async IAsyncEnumerable<StoredEntry> ReadLogAsync(long fromPosition, int limit, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT position, entry, leaf_hash FROM entries WHERE position >= $1 ORDER BY position LIMIT $2");
        Add(command, fromPosition, limit);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return new StoredEntry(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2));
        }
    }

    public override async Task<byte[]?> FindByEventIdAsync(string eventId, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT entry FROM entries WHERE event_id = $1");
        Add(command, eventId);
        return (byte[]?)await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    public override async Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await PostgresWriteSession.LatestCheckpointAsync(connection, ct).ConfigureAwait(false);
    }

    public override async Task<StoredCheckpoint?> GetCheckpointAsync(long size, CancellationToken ct)
    {
        var found = await ListCheckpointsAsync(size, size, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public override async Task<IReadOnlyList<StoredCheckpoint>> ListCheckpointsAsync(long fromSize, long toSize, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT size, root, signed_note, stored_at FROM checkpoints WHERE size >= $1 AND size <= $2 ORDER BY size");
        Add(command, fromSize, toSize);
        return await PostgresWriteSession.ReadCheckpointsAsync(command, ct).ConfigureAwait(false);
    }

    public override Task EnsureWatchingAsync(CancellationToken ct)
    {
        lock (_listenerGate)
        {
            if (_listening is null)
            {
                _listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _listener = Task.Run(ListenAsync, CancellationToken.None);
            }

            return _listening.Task.WaitAsync(ct);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            await _listener.ConfigureAwait(false);
        }

        // A waiter still waiting for the LISTEN connection must not wait forever.
        lock (_listenerGate)
        {
            _listening?.TrySetException(new ObjectDisposedException(nameof(IEventStore)));
        }

        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Holds a LISTEN connection open, reconnecting after failures, and pulses the signal on every NOTIFY.</summary>
    private async Task ListenAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(_stop.Token).ConfigureAwait(false);
                connection.Notification += (_, _) => _signal.Pulse();
                await ExecuteAsync(connection, "LISTEN " + PostgresSchema.Channel, _stop.Token).ConfigureAwait(false);
                _listening!.TrySetResult();

                // Appends made while (re)connecting were not notified to us: let waiters look again.
                _signal.Pulse();
                while (true)
                {
                    await connection.WaitAsync(_stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException)
            {
                // Waiters fall back to polling until the connection is back.
                _listening!.TrySetResult();
                try
                {
                    await Task.Delay(PollInterval, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    internal static void Add(NpgsqlCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        Add(command, values);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
