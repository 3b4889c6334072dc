using Ledger.Projections.Engine;

namespace Ledger.Api.Projections;

/// <summary>Runs this node's projection runners (those whose lock it wins) and the proof job.</summary>
public sealed partial class ProjectionHost(ProjectionEngine engine, ProofService proofs, ProjectionHostOptions options, ILogger<ProjectionHost> log)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Run ? Task.WhenAll(engine.RunAsync(stoppingToken), ProveEveryAsync(stoppingToken)) : Task.CompletedTask;

    private async Task ProveEveryAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.ProofInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    await proofs.ProveAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException && e is not OutOfMemoryException)
                {
                    LogProofFailed(log, e);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The proof job failed; it runs again on the next tick")]
    private static partial void LogProofFailed(ILogger logger, Exception exception);
}
