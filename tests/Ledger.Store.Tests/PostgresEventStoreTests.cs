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

    [Theory]
    [InlineData("force_custom_plan")]
    [InlineData("force_generic_plan")]
    public async Task Listing_a_peers_children_is_a_range_scan_of_the_partial_index_for_custom_and_generic_plans(string planCacheMode)
    {
        var database = await NewDatabaseAsync();
        await using (await OpenAsync(database))
        {
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SET enable_seqscan = off; SET plan_cache_mode = " + planCacheMode + "; PREPARE children(text, bigint, integer) AS "
            + Postgres.PostgresEngine.ChildrenOfSql + "; EXPLAIN EXECUTE children('peer.example', 1000, 100)",
            connection);
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        // The sequential scan is only discouraged (an empty table is cheapest to scan): the plan shows whether the index applies.
        var text = string.Join("\n", plan);
        text.ShouldContain("Index Scan using executions_remote_children", customMessage: text);
        text.ShouldNotContain("Sort", customMessage: text);
    }

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
