using Ledger.Api.Tests.Infrastructure;
using Ledger.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Api.Tests.Log;

/// <summary>The long-poll on PostgreSQL, where a wait is woken by the database's notifications.</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class PostgresLogWaitTests(PostgresFixture postgres) : LogWaitSuite
{
    protected override async Task<LedgerApp> StartAsync(Action<IServiceCollection> services) =>
        new LedgerApp("postgres", await postgres.Server.CreateDatabaseAsync("logwait"), services: services);
}
