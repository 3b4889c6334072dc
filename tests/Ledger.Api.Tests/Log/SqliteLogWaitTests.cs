using Ledger.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Api.Tests.Log;

/// <summary>The long-poll on the embedded SQLite engine.</summary>
public sealed class SqliteLogWaitTests : LogWaitSuite
{
    protected override Task<LedgerApp> StartAsync(Action<IServiceCollection> services) =>
        Task.FromResult(new LedgerApp("sqlite", null, services: services));
}
