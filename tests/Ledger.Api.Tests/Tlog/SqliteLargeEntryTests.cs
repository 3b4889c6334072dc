using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests.Tlog;

/// <summary><see cref="LargeEntrySuite"/> on the embedded SQLite engine.</summary>
public sealed class SqliteLargeEntryTests : LargeEntrySuite
{
    protected override Task<LedgerApp> StartAsync() => Task.FromResult(new LedgerApp("sqlite", null));
}
