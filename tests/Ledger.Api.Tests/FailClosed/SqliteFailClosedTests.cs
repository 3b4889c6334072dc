using Xunit.Abstractions;

namespace Ledger.Api.Tests.FailClosed;

/// <summary>The fail-closed suite on the embedded SQLite engine, a new data directory per test.</summary>
public sealed class SqliteFailClosedTests(ITestOutputHelper output) : FailClosedSuite(output)
{
    protected override Task<string?> CreateDatabaseAsync() => Task.FromResult<string?>(null);
}
