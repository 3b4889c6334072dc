using Ledger.Api.Hosting;
using Ledger.Application.Hosting;
using Ledger.Projections.Engine;
using Ledger.Store;

namespace Ledger.Api.Projections;

/// <summary>Registers the read models of a node: the engine and its runners.</summary>
public static partial class ProjectionServices
{
    public static IServiceCollection AddLedgerProjections(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(ProjectionHostOptions.Section).Get<ProjectionHostOptions>()
            ?? new ProjectionHostOptions());
        services.AddSingleton(sp =>
        {
            var node = sp.GetRequiredService<LedgerNode>();
            var options = sp.GetRequiredService<ProjectionHostOptions>();
            var log = sp.GetRequiredService<ILogger<ProjectionHost>>();
            var engine = node.Options.Engine;
            var connection = options.ConnectionString
                ?? (engine == StoreOptions.Sqlite
                    ? "Data Source=" + Path.Combine(node.DataDir, "projections.db")
                    : node.Options.ConnectionString ?? throw new InvalidOperationException("Ledger:ConnectionString is required for the postgres engine."));
            var engineOptions = options.ToEngineOptions(engine, connection, sp.GetRequiredService<TimeProvider>(), (name, e) => LogRunnerFailed(log, name, e));
            return ProjectionEngine.OpenAsync(engineOptions, node.Store, CancellationToken.None).GetAwaiter().GetResult();
        });
        services.AddHostedService<ProjectionHost>();
        services.AddSingleton<LinkJob>();
        services.AddSingleton<Ledger.Application.Jobs.ILedgerJob>(sp => sp.GetRequiredService<LinkJob>());
        return services;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Projection} projection failed a step; it retries")]
    private static partial void LogRunnerFailed(ILogger logger, string projection, Exception exception);
}
