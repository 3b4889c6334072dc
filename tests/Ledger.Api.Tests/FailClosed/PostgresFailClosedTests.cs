using Ledger.Testing;
using Xunit.Abstractions;

namespace Ledger.Api.Tests.FailClosed;

/// <summary>The fail-closed suite on PostgreSQL (a new database per test), and what only PostgreSQL has: several nodes on one database.</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class PostgresFailClosedTests(PostgresFixture postgres, ITestOutputHelper output) : FailClosedSuite(output)
{
    protected override async Task<string?> CreateDatabaseAsync() => await postgres.Server.CreateDatabaseAsync("failclosed");

    [Fact]
    public async Task Children_racing_their_parents_halt_through_two_nodes_on_one_database_never_get_in_after_it()
    {
        await using var first = await StartNodeAsync();
        await using var second = await StartNodeAsync(); // Same database, same data directory (the ledger's key).
        await RaceAsync([first.Client, second.Client], second.Client);
    }
}
