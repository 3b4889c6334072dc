using System.Globalization;
using Ledger.Store.Tests.Contract;
using Microsoft.Data.Sqlite;

namespace Ledger.Store.Tests;

/// <summary>The contract suite on the embedded SQLite engine (a temporary file per database).</summary>
public sealed class SqliteEventStoreTests : EventStoreContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ledger-sqlite-").FullName;
    private int _databases;

    protected override string Engine => StoreOptions.Sqlite;

    protected override Task<string> NewDatabaseAsync()
    {
        var path = Path.Combine(_directory, Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture) + ".db");
        return Task.FromResult(new SqliteConnectionStringBuilder { DataSource = path }.ConnectionString);
    }

    protected override async Task ExecuteSqlAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
        SqliteConnection.ClearPool(connection);
    }

    protected override string ZeroHashesSql(int count) => "zeroblob(" + (count * 32).ToString(CultureInfo.InvariantCulture) + ")";

    [Fact]
    public async Task The_origin_probe_creates_no_file_and_leaves_no_wal_files_behind()
    {
        var database = await NewDatabaseAsync();
        var path = new SqliteConnectionStringBuilder(database).DataSource;

        (await StoreProbe.StoredOriginAsync(Engine, database, TimeSpan.FromSeconds(10))).ShouldBeNull();
        File.Exists(path).ShouldBeFalse("the probe created the database file");

        await (await Ledger.Store.EventStoreFactory.OpenAsync(Options(database))).DisposeAsync();
        var before = Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*").Order().ToList();
        (await StoreProbe.StoredOriginAsync(Engine, database, TimeSpan.FromSeconds(10))).ShouldBe(TestOrigin);
        Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*").Order().ToList().ShouldBe(before);
    }

    [Fact]
    public async Task The_database_is_in_wal_mode_with_full_synchronous_writes()
    {
        var database = await NewDatabaseAsync();
        await OpenAsync(database);
        await using var connection = new SqliteConnection(database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        ((string?)await command.ExecuteScalarAsync()).ShouldBe("wal");
    }

    [Fact]
    public async Task An_in_memory_database_is_refused()
    {
        await Should.ThrowAsync<ArgumentException>(() => EventStoreFactory.OpenAsync(
            new StoreOptions { Engine = StoreOptions.Sqlite, ConnectionString = "Data Source=:memory:", Origin = "o" }));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
