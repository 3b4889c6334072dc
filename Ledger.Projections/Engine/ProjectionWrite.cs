using System.Data.Common;
using Ledger.Projections.Storage;
using Ledger.Store;

namespace Ledger.Projections.Engine;

/// <summary>One batch's write transaction, on the live or the shadow tables.</summary>
internal sealed class ProjectionWrite(ProjectionDatabase database, DbConnection connection, DbTransaction transaction, TableSet tables, IEventStore store)
{
    public ProjectionDatabase Database { get; } = database;

    public DbConnection Connection { get; } = connection;

    public DbTransaction Transaction { get; } = transaction;

    public IEventStore Store { get; } = store;

    /// <summary>Whether this write builds the shadow tables of a rebuild.</summary>
    public bool IsShadow => tables.IsShadow;

    /// <summary>The physical name of a table in this write (live or shadow).</summary>
    public string this[TableSpec table] => tables[table];

    public DbCommand Command(string sql, params (string Name, object? Value)[] parameters) =>
        Sql.Command(Connection, Transaction, sql, parameters);

    public Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters) =>
        Sql.ExecuteAsync(Connection, Transaction, sql, ct, parameters);

    public Task InsertAsync(TableSpec table, IReadOnlyList<object?[]> rows, CancellationToken ct) =>
        Database.InsertAsync(Connection, Transaction, table, this[table], rows, ct);

    /// <summary>Inserts rows written as typed values by <paramref name="write"/>, in <paramref name="table"/>'s column order.</summary>
    public Task InsertAsync<T>(TableSpec table, IReadOnlyList<T> rows, Action<T, RowWriter> write, CancellationToken ct) =>
        Database.InsertAsync(Connection, Transaction, table, this[table], rows, write, ct);

    /// <summary>Deletes the rows whose <paramref name="column"/> is one of <paramref name="keys"/>.</summary>
    public Task<int> DeleteAsync(TableSpec table, string column, IReadOnlyCollection<string> keys, CancellationToken ct) =>
        keys.Count == 0
            ? Task.FromResult(0)
            : ExecuteAsync($"DELETE FROM {this[table]} WHERE {Database.InSet(column, "@keys")}", ct, ("@keys", Database.SetValue(keys)));
}
