using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.Projections.Storage;

/// <summary>
/// Read models in the ledger's PostgreSQL database (tables prefixed <c>proj_</c>). Several API nodes may
/// share it: a session advisory lock per projection elects one runner; commits are asynchronous
/// (<c>synchronous_commit = off</c>): a server crash may lose the last batches, never split one.
/// </summary>
internal sealed class PostgresProjectionDatabase(string connectionString) : ProjectionDatabase
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public override string Engine => "postgres";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct) =>
        await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct)
    {
        var transaction = await ((NpgsqlConnection)connection).BeginTransactionAsync(ct).ConfigureAwait(false);
        try
        {
            await Sql.ExecuteAsync(connection, transaction, "SET LOCAL synchronous_commit = off", ct).ConfigureAwait(false);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken ct) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);

    public override async Task<RunnerLease?> TryLockAsync(string key, CancellationToken ct)
    {
        var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            var id = LockId(key);
            var taken = (bool)(await Sql.ScalarAsync(connection, null, "SELECT pg_try_advisory_lock(@k)", ct, ("@k", id)).ConfigureAwait(false))!;
            if (taken)
            {
                return new Lease(connection, id);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    public override Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
        Sql.ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@k)", ct, ("@k", LockId("schema")));

    public override string LockRow => " FOR UPDATE";

    public override string TypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Long => "bigint",
        ColumnKind.Text => "text",
        ColumnKind.Bytes => "bytea",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public override string InSet(string column, string parameter) => $"{column} = ANY({parameter})";

    public override object SetValue(IReadOnlyCollection<string> values) => values.ToArray();

    public override async Task InsertAsync<T>(
        DbConnection connection, DbTransaction transaction, TableSpec table, string name, IReadOnlyList<T> rows, Action<T, RowWriter> write, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var import = await ((NpgsqlConnection)connection)
            .BeginBinaryImportAsync($"COPY {name} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
        var writer = new Writer(table, name, import);
        foreach (var row in rows)
        {
            await import.StartRowAsync(ct).ConfigureAwait(false);
            write(row, writer);
            writer.EndRow();
        }

        await import.CompleteAsync(ct).ConfigureAwait(false);
    }

    public override IEnumerable<string> SwapStatements(TableSpec table) =>
    [
        $"DROP TABLE IF EXISTS {table.LiveName}",
        $"ALTER TABLE {table.ShadowName} RENAME TO {table.LiveName}",
        $"ALTER INDEX {table.ShadowName}_pkey RENAME TO {table.LiveName}_pkey",
        .. CreateIndexes(table),
    ];

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>A stable 64-bit advisory lock id per key (first 8 bytes of SHA-256).</summary>
    private static long LockId(string key) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("ledger-projections:" + key)));

    /// <summary>
    /// Writes each value to the COPY as it comes (synchronously: the importer only blocks when its buffer is full and
    /// sent to the server). UTF-8 text is decoded into a reused buffer, not into a string.
    /// </summary>
    private sealed class Writer(TableSpec table, string name, NpgsqlBinaryImporter import) : RowWriter(table, name)
    {
        private char[] _chars = [];

        protected override void WriteNull(int column) => import.WriteNull();

        protected override void WriteLong(int column, long value) => import.Write(value, NpgsqlDbType.Bigint);

        protected override void WriteText(int column, string value) => import.Write(value, NpgsqlDbType.Text);

        protected override void WriteUtf8(int column, ReadOnlySpan<byte> value)
        {
            var needed = Encoding.UTF8.GetMaxCharCount(value.Length);
            if (_chars.Length < needed)
            {
                _chars = new char[Math.Max(needed, _chars.Length * 2)];
            }

            var length = Encoding.UTF8.GetChars(value, _chars);
            import.Write(new ReadOnlyMemory<char>(_chars, 0, length), NpgsqlDbType.Text);
        }

        protected override void WriteBytes(int column, byte[] value) => import.Write(value, NpgsqlDbType.Bytea);
    }

    private sealed class Lease(NpgsqlConnection connection, long id) : RunnerLease
    {
        private int _released;

        public override bool IsHeld => Volatile.Read(ref _released) == 0 && connection.FullState == System.Data.ConnectionState.Open;

        public override async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                if (connection.FullState == System.Data.ConnectionState.Open)
                {
                    await Sql.ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(@k)", CancellationToken.None, ("@k", id)).ConfigureAwait(false);
                }
            }
            catch (NpgsqlException)
            {
                // The connection is gone, and the session lock with it.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
