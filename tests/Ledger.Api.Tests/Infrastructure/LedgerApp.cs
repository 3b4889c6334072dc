using Ledger.Api.Hosting;
using Ledger.Application.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Api.Tests.Infrastructure;

/// <summary>
/// The whole API in process (<see cref="WebApplicationFactory{TEntryPoint}"/>) on one engine, with its own data
/// directory, a <see cref="TestClock"/> and the tokens of its first start.
/// </summary>
public sealed class LedgerApp : WebApplicationFactory<Program>
{
    private readonly string _engine;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly bool _ownsDataDir;
    private readonly bool _systemClock;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="engine"><c>sqlite</c> or <c>postgres</c>.</param>
    /// <param name="connectionString">The PostgreSQL database; null for SQLite in the data directory.</param>
    /// <param name="settings">More configuration (<c>Ledger:Limits:MaxBodyBytes</c>, ...).</param>
    /// <param name="dataDir">An existing data directory (another node of the same ledger); null for a new temporary one.</param>
    /// <param name="systemClock">Run on the system's clock instead of <see cref="Clock"/> (jobs then tick on their intervals in real time).</param>
    /// <param name="services">More test services (e.g. the witness client's HTTP routed to other in-process ledgers).</param>
    public LedgerApp(
        string engine, string? connectionString, IReadOnlyDictionary<string, string>? settings = null, string? dataDir = null, bool systemClock = false,
        Action<IServiceCollection>? services = null)
    {
        _services = services;
        _systemClock = systemClock;
        _engine = engine;
        ConnectionString = connectionString;
        _settings = settings ?? new Dictionary<string, string>();
        _ownsDataDir = dataDir is null;
        DataDir = dataDir ?? Directory.CreateTempSubdirectory("ledger-api-").FullName;
    }

    public string DataDir { get; }

    public string? ConnectionString { get; }

    public TestClock Clock { get; } = new();

    public LedgerNode Node => Services.GetRequiredService<LedgerNode>();

    /// <summary>The admin and dev tokens created by the first start.</summary>
    public FirstStart FirstStart =>
        Services.GetRequiredService<GenesisService>().FirstStart ?? throw new InvalidOperationException("This start did not create the ledger.");

    /// <summary>Whether this start created the ledger (false for a second node or a restart).</summary>
    public bool CreatedTheLedger => Services.GetRequiredService<GenesisService>().FirstStart is not null;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Ledger:DataDir", DataDir);
        builder.UseSetting("Ledger:Engine", _engine);
        if (ConnectionString is not null)
        {
            builder.UseSetting("Ledger:ConnectionString", ConnectionString);
        }

        // The sweep runs once at start and then only when a test calls it, so that a test moving the clock
        // does not make the background job append while another test compares the log before and after.
        builder.UseSetting("Ledger:SweepInterval", "01:00:00");
        // Likewise the proof job, which appends proof-persisted for ended lineage trees.
        builder.UseSetting("Ledger:ProofInterval", "01:00:00");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (!_systemClock)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataDir)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the temporary directory is left behind.
            }
        }
    }
}
