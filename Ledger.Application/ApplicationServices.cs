using Ledger.Application.Executions;
using Ledger.Application.Jobs;
using Ledger.Application.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Application;

/// <summary>Registers the application layer: the command service, the registry, the ledger's writers and the jobs with their coordinator.</summary>
public static class ApplicationServices
{
    /// <summary>Adds the application services; the host registers <see cref="Hosting.LedgerNode"/>, a <see cref="TimeProvider"/>
    /// an <see cref="Witnessing.IWitnessTransport"/> and an <see cref="Federation.IPeerTransport"/>.</summary>
    public static IServiceCollection AddLedgerApplication(this IServiceCollection services)
    {
        services.AddSingleton<LedgerClock>();
        services.AddSingleton<Telemetry.LedgerTelemetry>();
        services.AddSingleton<LedgerRegistry>();
        services.AddSingleton<LedgerWriter>();
        services.AddSingleton<ExecutionCommands>();
        services.AddSingleton<Publications.GovernanceCommands>();
        services.AddSingleton<Witnessing.WitnessService>();
        services.AddSingleton<CascadeJob>();
        services.AddSingleton<SweepJob>();
        services.AddSingleton<CheckpointJob>();
        services.AddSingleton<ProofJob>();
        services.AddSingleton<WitnessJob>();
        services.AddSingleton<FollowJob>();
        services.AddSingleton<Witnessing.WitnessedCheckpoints>();
        services.AddSingleton<Federation.AttestationService>();
        services.AddSingleton<Federation.SplitViewRecords>();
        services.AddSingleton<Federation.RemoteParents>();
        services.AddSingleton<Federation.RemoteGovernance>();
        services.AddSingleton<Federation.RemoteChildren>();
        services.AddSingleton<ILedgerJob>(sp => sp.GetRequiredService<CheckpointJob>());
        services.AddSingleton<ILedgerJob>(sp => sp.GetRequiredService<CascadeJob>());
        services.AddSingleton<ILedgerJob>(sp => sp.GetRequiredService<SweepJob>());
        services.AddSingleton<ILedgerJob>(sp => sp.GetRequiredService<ProofJob>());
        services.AddSingleton<ILedgerJob>(sp => sp.GetRequiredService<WitnessJob>());
        services.AddSingleton<ILedgerJob>(sp => sp.GetRequiredService<FollowJob>());
        services.AddSingleton<JobCoordinator>();
        services.AddHostedService(sp => sp.GetRequiredService<JobCoordinator>());
        return services;
    }
}
