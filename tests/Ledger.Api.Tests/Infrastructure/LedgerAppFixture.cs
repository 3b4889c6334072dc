namespace Ledger.Api.Tests.Infrastructure;

/// <summary>
/// One <see cref="LedgerApp"/> shared by the tests of one class (xunit runs them one after another), created on
/// first use because the PostgreSQL database comes from the collection fixture the test class receives.
/// </summary>
public sealed class LedgerAppFixture : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private Task<LedgerApp>? _app;

    public Task<LedgerApp> GetAsync(Func<Task<LedgerApp>> create)
    {
        lock (_gate)
        {
            return _app ??= StartAsync(create);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is { IsCompletedSuccessfully: true } started)
        {
            await (await started).DisposeAsync();
        }
    }

    private static async Task<LedgerApp> StartAsync(Func<Task<LedgerApp>> create)
    {
        var app = await create();
        _ = app.Services; // Starts the host: the genesis runs here.
        return app;
    }
}
