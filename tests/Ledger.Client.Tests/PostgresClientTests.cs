using Ledger.Api.Tests.Infrastructure;
using Ledger.Testing;

namespace Ledger.Client.Tests;

/// <summary>The client suite against the API on PostgreSQL (a private server, a new database for this class).</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class PostgresClientTests(PostgresFixture postgres, LedgerAppFixture fixture) : ClientSuite, IClassFixture<LedgerAppFixture>
{
    protected override Task<LedgerApp> StartAsync() =>
        fixture.GetAsync(async () => new LedgerApp("postgres", await postgres.Server.CreateDatabaseAsync("client")));
}
