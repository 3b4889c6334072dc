using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests;

/// <summary>The API suite on the embedded SQLite engine, in a temporary data directory.</summary>
public sealed class SqliteApiTests(LedgerAppFixture fixture) : ApiSuite, IClassFixture<LedgerAppFixture>
{
    protected override string Engine => "sqlite";

    protected override Task<LedgerApp> StartAsync() => fixture.GetAsync(() => Task.FromResult(new LedgerApp(Engine, null, Settings)));

    protected override Task<LedgerApp> StartAnotherNodeAsync(LedgerApp first) =>
        Task.FromResult(new LedgerApp(Engine, null, Settings, dataDir: first.DataDir));
}
