using Ledger.Api.Tests.Infrastructure;
using Ledger.Testing;

namespace Ledger.Api.Tests.Tlog;

/// <summary><see cref="LargeEntrySuite"/> on PostgreSQL (a new database on the collection's private server).</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class PostgresLargeEntryTests(PostgresFixture postgres) : LargeEntrySuite
{
    protected override async Task<LedgerApp> StartAsync() => new LedgerApp("postgres", await postgres.Server.CreateDatabaseAsync("tlog"));
}
