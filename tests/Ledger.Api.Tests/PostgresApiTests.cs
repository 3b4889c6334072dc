using Ledger.Api.Tests.Infrastructure;
using Ledger.Testing;

namespace Ledger.Api.Tests;

/// <summary>The API suite on PostgreSQL: a private server (shared by the collection) and a new database for this class.</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class PostgresApiTests(PostgresFixture postgres, LedgerAppFixture fixture) : ApiSuite, IClassFixture<LedgerAppFixture>
{
    protected override string Engine => "postgres";

    protected override Task<LedgerApp> StartAsync() =>
        fixture.GetAsync(async () => new LedgerApp(Engine, await postgres.Server.CreateDatabaseAsync("api"), Settings));

    protected override Task<LedgerApp> StartAnotherNodeAsync(LedgerApp first) =>
        Task.FromResult(new LedgerApp(Engine, first.ConnectionString, Settings, dataDir: first.DataDir));
}
