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

        var urls = ListenCheck.ConfiguredUrls(configuration);
        if (ListenCheck.Check(urls.Count == 0 ? [DefaultUrl] : urls) is { } listenProblem)
        {
            return (options, listenProblem);
        }

        if (await StoreProbe.CheckAsync(options.Engine, options.ConnectionString, ConnectTimeout, ct).ConfigureAwait(false) is { } storeProblem)
        {
            return (options, storeProblem);
        }

        return (options, null);
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

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
