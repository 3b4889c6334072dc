using System.Data.Common;
using Ledger.Application.Hosting;
using Ledger.Store;

namespace Ledger.Api.Hosting;

/// <summary>
/// What a node checks before it creates anything (docs/OPERATIONS.md, "Start-up"): the <c>Ledger</c> configuration
/// binds and is valid, every address can be listened on, and the engine's connection string is well-formed and its
/// database answers. A failure is one line for stderr and <see cref="ExitCode"/>; nothing was created and no admin
/// token was printed.
/// </summary>
public static class StartupChecks
{
    /// <summary>The exit code of a start that failed.</summary>
    public const int ExitCode = 1;

    /// <summary>Where the API listens unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> says otherwise (DESIGN §5).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>How long the PostgreSQL check may wait for the database.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The content root: the directory of the assembly (where appsettings.json is), unless the host is given one
    /// (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>, as test hosts do).
    /// </summary>
    public static string? ContentRoot(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var given = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        return given ? null : AppContext.BaseDirectory;
    }

    /// <summary>Binds and checks the options; null options come with the one-line problem.</summary>
    public static async Task<(LedgerOptions Options, string? Problem)> RunAsync(IConfiguration configuration, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        LedgerOptions options;
        try
        {
            options = configuration.GetSection(LedgerOptions.Section).Get<LedgerOptions>() ?? new LedgerOptions();
        }
        catch (InvalidOperationException e)
        {
            return (new LedgerOptions(), "invalid configuration: " + OneLine(e.Message + (e.InnerException is { } inner ? " " + inner.Message : "")));
        }

        if (LedgerOptionsValidator.Check(options) is [var configurationError, ..])
        {
            return (options, "invalid configuration: " + configurationError);
        }

        if (Check<Telemetry.TelemetryOptions>(configuration, Telemetry.TelemetryOptions.Section, t => t.Check()) is { } telemetryProblem)
        {
            return (options, telemetryProblem);
        }

        if (Check<Health.HealthOptions>(configuration, Health.HealthOptions.Section, h => h.Check()) is { } healthProblem)
        {
            return (options, healthProblem);
        }

        if (await StoreProbe.CheckAsync(options.Engine, options.ConnectionString, ConnectTimeout, ct).ConfigureAwait(false) is { } storeProblem)
        {
            return (options, storeProblem);
        }

        // A log keeps its origin for life: a store of another one is refused before the key or anything else is touched.
        if (LedgerBootstrap.StoreConnectionString(options) is { } connection
            && await StoreProbe.StoredOriginAsync(options.Engine, connection, ConnectTimeout, ct).ConfigureAwait(false) is { } stored
            && !string.Equals(stored, options.Origin, StringComparison.Ordinal))
        {
            return (options, $"invalid configuration: Ledger:Origin is '{options.Origin}', but the store holds the log of origin '{stored}' " +
                $"(a log keeps its origin for life: start with --origin {stored}, or use another data directory or database)");
        }

        return (options, null);
    }

    /// <summary>
    /// Whether every address the server will listen on can be bound now; null when it can, or when the server is not a
    /// network server (an in-process test server has no addresses). Built, nothing created yet: the node opens lazily.
    /// </summary>
    public static string? ListenProblem(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var server = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>();
        if (server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>() is null)
        {
            return null;
        }

        var urls = ListenCheck.ConfiguredUrls(app.Configuration);
        return ListenCheck.Check(urls.Count == 0 ? [DefaultUrl] : urls);
    }

    /// <summary>One line for a failure while the node opens or starts listening; null for what must not be caught.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        OutOfMemoryException => null,
        LedgerConfigurationException e => "invalid configuration: " + OneLine(e.Message),
        IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } e =>
            "cannot listen: " + OneLine(e.Message) + " (the ledger was created and its admin token printed above; " +
            "a new one: ledger admin token --data-dir DIR)",
        UnauthorizedAccessException or IOException => "cannot use the data directory: " + OneLine(exception.Message),
        DbException e => "the database failed: " + OneLine(e.Message),
        StoreCorruptedException e => "the store is corrupted: " + OneLine(e.Message),
        _ => "cannot start: " + OneLine(exception.Message),
    };

    private static string? Check<T>(IConfiguration configuration, string section, Func<T, IReadOnlyList<string>> check)
        where T : new()
    {
        try
        {
            return check(configuration.GetSection(section).Get<T>() ?? new T()) is [var problem, ..] ? "invalid configuration: " + problem : null;
        }
        catch (InvalidOperationException e)
        {
            return "invalid configuration: " + OneLine(e.Message + (e.InnerException is { } inner ? " " + inner.Message : ""));
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
