using Ledger.Store.Postgres;
using Ledger.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Ledger.Api.Tests.FailClosed;

/// <summary>The fail-closed suite on PostgreSQL (a new database per test), and what only PostgreSQL has: several nodes on one database.</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class PostgresFailClosedTests(PostgresFixture postgres, ITestOutputHelper output) : FailClosedSuite(output)
{
    private string? _database;

    protected override async Task<string?> CreateDatabaseAsync() => _database = await postgres.Server.CreateDatabaseAsync("failclosed");

    /// <summary>Holds the cascade job's leadership lock on a connection of its own (unpooled: closing it releases the lock).</summary>
    protected override async Task<IAsyncDisposable?> StallCascadesAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = PostgresEngine.LeadershipKey("cascade") });
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    [Fact]
    public async Task Children_racing_their_parents_halt_through_two_nodes_on_one_database_never_get_in_after_it()
    {
        await using var first = await StartNodeAsync();
        await using var second = await StartNodeAsync(); // Same database, same data directory (the ledger's key).
        await RaceAsync([first.Client, second.Client], second.Client);
    }
}
