using Ledger.Api.Hosting;

namespace Ledger.Api.Jobs;

/// <summary>Runs the checkpoint signer and the silence sweep on their intervals.</summary>
public sealed partial class LedgerJobs(CheckpointService checkpoints, SweepService sweep, LedgerOptions options, ILogger<LedgerJobs> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            RunEveryAsync(options.CheckpointInterval, ct => checkpoints.SignAsync(force: false, ct), "checkpoint", stoppingToken),
            RunEveryAsync(options.SweepInterval, sweep.SweepAsync, "sweep", stoppingToken));

    private async Task RunEveryAsync<T>(TimeSpan interval, Func<CancellationToken, Task<T>> job, string name, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await job(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogFailed(log, name, e);
            }
        }
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Job} job failed; it runs again on the next tick")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);
}
