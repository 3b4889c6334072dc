using Ledger.Projections.Engine;

namespace Ledger.Api.Projections;

/// <summary>Runs this node's projection runners (those whose lock it wins). Read models serve queries and the UI, never decisions.</summary>
public sealed class ProjectionHost(ProjectionEngine engine, ProjectionHostOptions options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => options.Run ? engine.RunAsync(stoppingToken) : Task.CompletedTask;
}
