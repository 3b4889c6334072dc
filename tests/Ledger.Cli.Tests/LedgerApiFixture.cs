using System.Text.Json;
using Ledger.Api.Hosting;
using Ledger.Application.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Cli.Tests;

/// <summary>
/// One ledger API in process (WebApplicationFactory, embedded SQLite in a temporary data dir) shared by the test
/// classes of <see cref="LedgerApiGroup"/>. Background checkpoints and sweeps are slowed to an hour so the tests
/// decide when a checkpoint is signed.
/// </summary>
public sealed class LedgerApiFixture : IAsyncLifetime
{
    public const string Url = "http://ledger.test/";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("ledger-cli-api-").FullName;
    private WebApplicationFactory<Program>? _factory;

    public string AdminToken { get; private set; } = "";

    public string DevToken { get; private set; } = "";

    public string DevCredentialsPath => Path.Combine(_dataDir, LedgerBootstrap.DevCredentialsFileName);

    public LedgerNode Node => Factory.Services.GetRequiredService<LedgerNode>();

    private WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not initialized.");

    public Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Ledger:DataDir", _dataDir);
            b.UseSetting("Ledger:CheckpointInterval", "01:00:00");
            b.UseSetting("Ledger:SweepInterval", "01:00:00");
        });
        _ = _factory.Server;
        var first = _factory.Services.GetRequiredService<GenesisService>().FirstStart
            ?? throw new InvalidOperationException("The test ledger was not created fresh.");
        AdminToken = first.AdminToken;
        using var credentials = JsonDocument.Parse(File.ReadAllText(DevCredentialsPath));
        DevToken = credentials.RootElement.GetProperty("token").GetString()!;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }

    /// <summary>Runs the CLI against this API with --url set and an empty environment.</summary>
    public Task<CliResult> RunAsync(params string[] args) => Cli.RunAsync(Factory.Server.CreateHandler, null, ["--url", Url, .. args]);

    /// <summary>Runs the CLI against this API with only <paramref name="environment"/> (no --url).</summary>
    public Task<CliResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Cli.RunAsync(Factory.Server.CreateHandler, environment, args);

    public Task<CliResult> AdminAsync(params string[] args) => RunAsync(["--token", AdminToken, .. args]);

    public Task<CliResult> DevAsync(params string[] args) => RunAsync(["--credentials", DevCredentialsPath, .. args]);

    public async Task<long> StreamVersionAsync(string stream) => await Node.Store.GetStreamVersionAsync(stream);

    public async Task<long> TreeSizeAsync() => await Node.Store.GetTreeSizeAsync();
}

[CollectionDefinition(Name)]
public sealed class LedgerApiGroup : ICollectionFixture<LedgerApiFixture>
{
    public const string Name = "ledger-api";
}
