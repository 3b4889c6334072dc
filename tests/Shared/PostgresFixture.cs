namespace Ledger.Testing;

/// <summary>
/// xunit fixture owning one private <see cref="PostgresServer"/> for every test class in the
/// <see cref="PostgresTestGroup"/>; each test class or test creates its own databases on it.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    /// <summary>The running server (available once the fixture is initialized).</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture is not initialized.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
