using System.Data.Common;

namespace Ledger.Projections.Storage;

/// <summary>
/// The read-model database of one engine: connections, write transactions, runner locks, DDL and bulk
/// inserts. Everything else (what the tables hold, how events change them) is engine-neutral SQL
/// written once by the projections.
/// </summary>
/// <remarks>Thread-safe: every caller opens its own connection.</remarks>
internal abstract class ProjectionDatabase : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public abstract string Engine { get; }

    /// <summary>Opens a connection for reads or for one runner's writes.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>Starts a write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: asynchronous commit, the data is rebuildable).</summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Starts a read-only snapshot: several queries see one state of the read models.</summary>
    public abstract Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken ct);

    /// <summary>
    /// Tries to become the one runner of <paramref name="key"/> among every process sharing the database
    /// (PostgreSQL: a session advisory lock on a connection held by the lease; SQLite, single-node: a
    /// process-wide lock). Null when another runner holds it.
    /// </summary>
    public abstract Task<RunnerLease?> TryLockAsync(string key, CancellationToken ct);

    /// <summary>Takes the lock that serializes schema changes, for the life of <paramref name="transaction"/>.</summary>
    public abstract Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct);

    /// <summary>Suffix of a SELECT that locks the rows it reads until the transaction ends (empty where the write transaction already excludes other writers).</summary>
    public abstract string LockRow { get; }

    /// <summary>SQL type of a column kind.</summary>
    public abstract string TypeOf(ColumnKind kind);

    /// <summary>SQL testing that <paramref name="column"/> is one of the strings of set parameter <paramref name="parameter"/>.</summary>
    public abstract string InSet(string column, string parameter);

    /// <summary>The value of a set parameter for <see cref="InSet"/>.</summary>
    public abstract object SetValue(IReadOnlyCollection<string> values);

    /// <summary>Inserts rows (values in <paramref name="table"/>'s column order) into the physical table <paramref name="name"/>.</summary>
    public Task InsertAsync(
        DbConnection connection, DbTransaction transaction, TableSpec table, string name, IReadOnlyList<object?[]> rows, CancellationToken ct) =>
        InsertAsync(connection, transaction, table, name, rows, static (row, writer) => writer.Values(row), ct);

    /// <summary>
    /// Inserts rows into the physical table <paramref name="name"/>, each written by <paramref name="write"/> as typed values in
    /// <paramref name="table"/>'s column order (nothing boxed).
    /// </summary>
    public abstract Task InsertAsync<T>(
        DbConnection connection, DbTransaction transaction, TableSpec table, string name, IReadOnlyList<T> rows, Action<T, RowWriter> write, CancellationToken ct);

    /// <summary>Statements renaming the rebuilt shadow table over the live one.</summary>
    public abstract IEnumerable<string> SwapStatements(TableSpec table);

    /// <summary>CREATE TABLE for the physical table <paramref name="name"/> (primary key only).</summary>
    public string CreateTable(TableSpec table, string name)
    {
        var columns = table.Columns.Select(c => $"{c.Name} {TypeOf(c.Kind)}{(c.Nullable ? "" : " NOT NULL")}");
        return $"CREATE TABLE {name} ({string.Join(", ", columns)}, CONSTRAINT {name}_pkey PRIMARY KEY ({string.Join(", ", table.PrimaryKey)}))";
    }

    /// <summary>CREATE INDEX statements of the live table.</summary>
    public static IEnumerable<string> CreateIndexes(TableSpec table) =>
        table.Indexes.Select(i =>
            $"CREATE INDEX {table.LiveName}_{i.Suffix} ON {table.LiveName} ({i.Columns}){(i.Where is null ? "" : " WHERE " + i.Where)}");

    public abstract ValueTask DisposeAsync();
}
