using System.Globalization;
using System.Runtime.CompilerServices;
using Ledger.Store.Engine;
using Ledger.Store.Tiles;
using Microsoft.Data.Sqlite;

namespace Ledger.Store.Sqlite;

/// <summary>
/// The embedded engine: one SQLite file in WAL mode with <c>synchronous=FULL</c> (an acknowledged
/// append has reached the disk), one write connection (the writer's), pooled read connections.
/// Several processes may open the same file: BEGIN IMMEDIATE serializes their writers.
/// </summary>
internal sealed partial class SqliteEngine : StoreEngine
{
    private const int BusyTimeoutMilliseconds = 30_000;
    private readonly string _connectionString;
    private SqliteWriteConnection? _writer;

    public SqliteEngine(string connectionString, TimeSpan pollInterval)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        };
        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:")
        {
            throw new ArgumentException("The SQLite engine needs a database file (Data Source=/path/ledger.db).", nameof(connectionString));
        }

        _connectionString = builder.ConnectionString;
        PollInterval = pollInterval;
    }

    public override TimeSpan PollInterval { get; }

    public override Task EnsureWatchingAsync(CancellationToken ct) => Task.CompletedTask;

    public override async Task MigrateAsync(string origin, byte[] emptyRoot, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = (string?)await wal.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL journal mode (it is '{mode}').");
            }
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, SqliteSchema.MigrationsTable, ct).ConfigureAwait(false);
        var applied = new HashSet<long>();
        await using (var select = Command(connection, transaction, "SELECT version FROM schema_migrations"))
        await using (var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt64(0));
            }
        }

        var known = SqliteSchema.Migrations.Max(m => m.Version);
        if (applied.Count > 0 && applied.Max() > known)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The database schema is at version {applied.Max()}, newer than this build knows ({known}); upgrade the ledger."));
        }

        foreach (var migration in SqliteSchema.Migrations.Where(m => !applied.Contains(m.Version)))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, ct).ConfigureAwait(false);
            await using var record = Command(connection, transaction, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)");
            record.Parameters.AddWithValue("$v", migration.Version);
            record.Parameters.AddWithValue("$n", migration.Name);
            record.Parameters.AddWithValue("$t", SqliteText.FromTime(now));
            await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using (var head = Command(
            connection,
            transaction,
            "INSERT INTO log_head (id, origin, size, root, updated_at) VALUES (1, $origin, 0, $root, $now) ON CONFLICT (id) DO NOTHING"))
        {
            head.Parameters.AddWithValue("$origin", origin);
            head.Parameters.AddWithValue("$root", emptyRoot);
            head.Parameters.AddWithValue("$now", SqliteText.FromTime(now));
            await head.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using (var check = Command(connection, transaction, "SELECT origin FROM log_head WHERE id = 1"))
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
        _writer ??= new SqliteWriteConnection(await OpenAsync(ct).ConfigureAwait(false));
        try
        {
            return await _writer.BeginAsync(eventIds, streams, executions, ct).ConfigureAwait(false);
        }
        catch
        {
            await ResetWriterAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Drops the write connection after a failure; the next session opens a fresh one.</summary>
    internal async Task ResetWriterAsync()
    {
        if (_writer is { } writer)
        {
            _writer = null;
            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    public override async Task<long> GetTreeSizeAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT size FROM log_head WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    public override async Task<IReadOnlyDictionary<TileKey, byte[]>> ReadTilesAsync(IReadOnlyCollection<TileKey> keys, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = SqliteWriteConnection.TileSelect(connection);
        command.Transaction = transaction;
        return await SqliteWriteConnection.ReadTilesAsync(command, keys, ct).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<byte[]>> ReadStreamAsync(string stream, long fromVersion, ReadDirection direction, int maxCount, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(
            connection,
            null,
            direction == ReadDirection.Forward
                ? "SELECT entry FROM entries WHERE stream = $s AND stream_version >= $v ORDER BY stream_version LIMIT $n"
                : "SELECT entry FROM entries WHERE stream = $s AND stream_version <= $v ORDER BY stream_version DESC LIMIT $n");
        command.Parameters.AddWithValue("$s", stream);
        command.Parameters.AddWithValue("$v", fromVersion < 0 ? long.MaxValue : fromVersion);
        command.Parameters.AddWithValue("$n", maxCount);
        var entries = new List<byte[]>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            entries.Add((byte[])reader[0]);
        }

        return entries;
    }

    public override async Task<long> GetStreamVersionAsync(string stream, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT COALESCE(MAX(stream_version), 0) FROM entries WHERE stream = $s");
        command.Parameters.AddWithValue("$s", stream);
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    public override async IAsyncEnumerable<StoredEntry> ReadLogAsync(long fromPosition, int limit, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT position, entry, leaf_hash FROM entries WHERE position >= $p ORDER BY position LIMIT $n");
        command.Parameters.AddWithValue("$p", fromPosition);
        command.Parameters.AddWithValue("$n", limit);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return new StoredEntry(reader.GetInt64(0), (byte[])reader[1], (byte[])reader[2]);
        }
    }

    public override async Task<byte[]?> FindByEventIdAsync(string eventId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT entry FROM entries WHERE event_id = $id");
        command.Parameters.AddWithValue("$id", eventId);
        return (byte[]?)await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    public override async Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return await SqliteWriteConnection.LatestCheckpointAsync(connection, null, ct).ConfigureAwait(false);
    }

    public override async Task<StoredCheckpoint?> GetCheckpointAsync(long size, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var found = await ListAsync(connection, size, size, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public override async Task<IReadOnlyList<StoredCheckpoint>> ListCheckpointsAsync(long fromSize, long toSize, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return await ListAsync(connection, fromSize, toSize, ct).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await ResetWriterAsync().ConfigureAwait(false);
        await using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static async Task<IReadOnlyList<StoredCheckpoint>> ListAsync(SqliteConnection connection, long fromSize, long toSize, CancellationToken ct)
    {
        await using var command = Command(
            connection, null, "SELECT size, root, signed_note, stored_at FROM checkpoints WHERE size >= $a AND size <= $b ORDER BY size");
        command.Parameters.AddWithValue("$a", fromSize);
        command.Parameters.AddWithValue("$b", toSize);
        return await SqliteWriteConnection.ReadCheckpointsAsync(command, ct).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await ExecuteAsync(
                connection,
                null,
                string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = FULL;"),
                ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
