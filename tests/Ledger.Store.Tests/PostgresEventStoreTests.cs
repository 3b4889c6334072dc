using System.Globalization;
using Ledger.Store.Tests.Contract;
using Ledger.Testing;
using Npgsql;

namespace Ledger.Store.Tests;

/// <summary>The contract suite on a real, private PostgreSQL server (a new database per test).</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class PostgresEventStoreTests : EventStoreContract
{
    private readonly PostgresServer _server;

    public PostgresEventStoreTests(PostgresFixture fixture)
    {
        _server = fixture.Server;
    }

    protected override string Engine => StoreOptions.Postgres;

    protected override Task<string> NewDatabaseAsync() => _server.CreateDatabaseAsync("store");

    protected override async Task ExecuteSqlAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override string ZeroHashesSql(int count) =>
        "decode(repeat('00', " + (count * 32).ToString(CultureInfo.InvariantCulture) + "), 'hex')";

    [Fact]
    public async Task An_unreachable_server_fails_to_open()
    {
        var options = new StoreOptions
        {
            Engine = StoreOptions.Postgres,
            ConnectionString = "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2",
            Origin = "o",
        };

        await Should.ThrowAsync<NpgsqlException>(() => EventStoreFactory.OpenAsync(options));
    }
}
