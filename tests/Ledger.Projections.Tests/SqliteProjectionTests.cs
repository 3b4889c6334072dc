using System.Globalization;
using Ledger.Projections.Engine;
using Ledger.Store;
using Microsoft.Data.Sqlite;

namespace Ledger.Projections.Tests;

/// <summary>The projection suite on SQLite (temporary files; the read models in a file of their own, as the API places them).</summary>
public sealed class SqliteProjectionTests : ProjectionSuite, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ledger-projections-").FullName;
    private int _files;

    protected override string Engine => StoreOptions.Sqlite;

    protected override Task<string> NewStoreDatabaseAsync() => Task.FromResult(NewFile("ledger"));

    protected override string ProjectionsDatabaseFor(string storeDatabase) =>
        new SqliteConnectionStringBuilder { DataSource = new SqliteConnectionStringBuilder(storeDatabase).DataSource + ".projections" }.ConnectionString;

    protected override Task<string> NewProjectionsDatabaseAsync() => Task.FromResult(NewFile("reference"));

    [Fact]
    public async Task An_in_memory_read_model_database_is_refused()
    {
        var ledger = await NewLedgerAsync();

        await Should.ThrowAsync<ArgumentException>(() => ProjectionEngine.OpenAsync(
            new ProjectionOptions { Engine = Engine, ConnectionString = "Data Source=:memory:" }, ledger.Store));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string NewFile(string name) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory, name + "-" + Interlocked.Increment(ref _files).ToString(CultureInfo.InvariantCulture) + ".db"),
        }.ConnectionString;
}
