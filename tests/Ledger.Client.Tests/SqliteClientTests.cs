using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Client.Tests;

/// <summary>The client suite against the API on the embedded SQLite engine.</summary>
public sealed class SqliteClientTests(LedgerAppFixture fixture) : ClientSuite, IClassFixture<LedgerAppFixture>
{
    protected override Task<LedgerApp> StartAsync() => fixture.GetAsync(() => Task.FromResult(new LedgerApp("sqlite", null)));
}
