using Ledger.Projections.Engine;
using Ledger.Store;
using Ledger.Testing;
using Npgsql;

namespace Ledger.Projections.Tests;

/// <summary>The projection suite on a private PostgreSQL server (read models in the store's database, as the API places them).</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class PostgresProjectionTests(PostgresFixture fixture) : ProjectionSuite
{
    private readonly PostgresServer _server = fixture.Server;

    protected override string Engine => StoreOptions.Postgres;

    protected override Task<string> NewStoreDatabaseAsync() => _server.CreateDatabaseAsync("projections");

    protected override string ProjectionsDatabaseFor(string storeDatabase) => storeDatabase;

    protected override Task<string> NewProjectionsDatabaseAsync() => _server.CreateDatabaseAsync("reference");

    [Fact]
    public async Task Only_one_node_runs_a_projection_while_it_holds_the_lock()
    {
        var ledger = await NewLedgerAsync();
        var second = await OpenEngineAsync(ledger.Store, ledger.ProjectionsDatabase);
        await using var lease = await ledger.Engine.Database.TryLockAsync("projection:executions", CancellationToken.None);

        lease.ShouldNotBeNull();
        (await second.Database.TryLockAsync("projection:executions", CancellationToken.None)).ShouldBeNull();
        await lease.DisposeAsync();
        await using var taken = await second.Database.TryLockAsync("projection:executions", CancellationToken.None);
        taken.ShouldNotBeNull();
    }

    [Fact]
    public async Task An_unreachable_server_fails_to_open()
    {
        var ledger = await NewLedgerAsync();

        await Should.ThrowAsync<NpgsqlException>(() => ProjectionEngine.OpenAsync(
            new ProjectionOptions { Engine = Engine, ConnectionString = "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2" }, ledger.Store));
    }
}
