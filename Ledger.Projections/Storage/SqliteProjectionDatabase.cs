using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ledger.Projections.Storage;

/// <summary>
/// Read models in a SQLite file of their own (WAL, so reads never wait for the runner; <c>synchronous=NORMAL</c>:
/// a power cut may lose the last batches, never split one, and they are projected again).
/// </summary>
/// <remarks>
/// Kept apart from the ledger's file so that projecting never holds the ledger's single SQLite write
/// lock. Single-node: the runner lock is process-wide; two processes on one file stay correct (each
/// batch moves the position with a compare-and-set in its own transaction) but duplicate work.
/// </remarks>
internal sealed class SqliteProjectionDatabase : ProjectionDatabase
{
    private const int BusyTimeoutMilliseconds = 30_000;
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);
    private readonly string _connectionString;
    private readonly string _path;

    public SqliteProjectionDatabase(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        };
        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:")
        {
            throw new ArgumentException("The SQLite read models need a database file (Data Source=/path/projections.db).", nameof(connectionString));
        }

        _path = Path.GetFullPath(builder.DataSource);
        _connectionString = builder.ConnectionString;
    }

    public override string Engine => "sqlite";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await Sql.ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL;", ct)
                .ConfigureAwait(false);
            if (!string.Equals((string?)await Sql.ScalarAsync(connection, null, "PRAGMA journal_mode = WAL", ct).ConfigureAwait(false), "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL journal mode for {_path}.");
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override Task<RunnerLease?> TryLockAsync(string key, CancellationToken ct)
    {
        var gate = Locks.GetOrAdd(_path + "\n" + key, _ => new SemaphoreSlim(1, 1));
        return Task.FromResult<RunnerLease?>(gate.Wait(0, CancellationToken.None) ? new Lease(gate) : null);
    }

    public override Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
        Task.CompletedTask; // BEGIN IMMEDIATE already holds the file's write lock.

    public override string LockRow => string.Empty;

    public override string TypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Long => "INTEGER",
        ColumnKind.Text => "TEXT",
        ColumnKind.Bytes => "BLOB",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public override string InSet(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override object SetValue(IReadOnlyCollection<string> values) => JsonSerializer.Serialize(values);

    /// <summary>
    /// Inserts through SQLite's C API on the connection's own handle (inside its open transaction): one prepared
    /// statement, bound by index, stepped and reset per row. Microsoft.Data.Sqlite's parameters cost several
    /// times as much per value, and rebuilds insert millions of values.
    /// </summary>
    public override Task InsertAsync<T>(
        DbConnection connection, DbTransaction transaction, TableSpec table, string name, IReadOnlyList<T> rows, Action<T, RowWriter> write, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }

        var handle = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var sql = $"INSERT INTO {name} ({table.ColumnList}) VALUES ({string.Join(", ", table.Columns.Select(_ => "?"))})";
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var statement));
        using (statement)
        {
            var writer = new Writer(table, name, handle, statement);
            foreach (var row in rows)
            {
                ct.ThrowIfCancellationRequested();
                write(row, writer);
                writer.EndRow();
                var done = raw.sqlite3_step(statement);
                if (done != raw.SQLITE_DONE)
                {
                    Check(handle, done);
                }

                Check(handle, raw.sqlite3_reset(statement));
            }
        }

        return Task.CompletedTask;
    }

    private static void Check(sqlite3 handle, int code)
    {
        if (code is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), code);
        }
    }

    public override IEnumerable<string> SwapStatements(TableSpec table) =>
    [
        $"DROP TABLE IF EXISTS {table.LiveName}",
        $"ALTER TABLE {table.ShadowName} RENAME TO {table.LiveName}",
        .. CreateIndexes(table),
    ];

    public override ValueTask DisposeAsync()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Binds by index. Text is bound from the string's UTF-16 (SQLite stores it as UTF-8 itself) or from UTF-8 bytes, with
    /// SQLITE_TRANSIENT: nothing is allocated per value. Empty text goes through the string overload, which binds a
    /// non-null pointer (an empty span's null pointer would bind NULL).
    /// </summary>
    private sealed class Writer(TableSpec table, string name, sqlite3 handle, sqlite3_stmt statement) : RowWriter(table, name)
    {
        protected override void WriteNull(int column) => Check(handle, raw.sqlite3_bind_null(statement, column + 1));

        protected override void WriteLong(int column, long value) => Check(handle, raw.sqlite3_bind_int64(statement, column + 1, value));

        protected override void WriteText(int column, string value) =>
            Check(handle, value.Length == 0 ? raw.sqlite3_bind_text(statement, column + 1, string.Empty) : raw.sqlite3_bind_text16(statement, column + 1, value.AsSpan()));

        protected override void WriteUtf8(int column, ReadOnlySpan<byte> value) =>
            Check(handle, value.IsEmpty ? raw.sqlite3_bind_text(statement, column + 1, string.Empty) : raw.sqlite3_bind_text(statement, column + 1, value));

        protected override void WriteBytes(int column, byte[] value) => Check(handle, raw.sqlite3_bind_blob(statement, column + 1, value));
    }

    private sealed class Lease(SemaphoreSlim gate) : RunnerLease
    {
        private int _released;

        public override bool IsHeld => Volatile.Read(ref _released) == 0;

        public override ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
