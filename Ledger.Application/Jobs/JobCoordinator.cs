using Ledger.Application.Hosting;
using Ledger.Application.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ledger.Application.Jobs;

/// <summary>
/// Runs every <see cref="ILedgerJob"/> on its interval (or at once when its signal is set), each tick on exactly
/// one node of the ledger: a tick runs only while this node holds the job's leadership in the store (PostgreSQL: a
/// session advisory lock, released by the database if this process dies; SQLite: one node). Ticks are
/// independent: a job resumes from what is durable, so a crash or a leadership change loses nothing.
/// </summary>
public sealed partial class JobCoordinator(IEnumerable<ILedgerJob> jobs, LedgerNode node, TimeProvider time, LedgerTelemetry telemetry, ILogger<JobCoordinator> log)
    : BackgroundService
{
    private const int HistoryLength = 256;
    private readonly Lock _gate = new();
    private readonly Queue<JobRun> _history = new();

    /// <summary>The last ticks this node ran, oldest first (diagnostics, and the proof that one node runs each tick).</summary>
    public IReadOnlyList<JobRun> RecentRuns
    {
        get
        {
            lock (_gate)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>Runs one tick of <paramref name="job"/> now if this node can lead it; null when another node leads.</summary>
    public async Task<JobRun?> TickAsync(ILedgerJob job, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        var leadership = await node.Store.TryLeadAsync(job.Name, ct).ConfigureAwait(false);
        if (leadership is null)
        {
            return null;
        }

        await using (leadership.ConfigureAwait(false))
        {
            using var activity = LedgerTelemetry.ActivitySource.StartActivity("ledger.job " + job.Name);
            activity?.SetTag("ledger.job", job.Name);
            var started = time.GetUtcNow();
            JobRun run;
            try
            {
                var done = await job.RunOnceAsync(ct).ConfigureAwait(false);
                run = new JobRun(job.Name, started, time.GetUtcNow(), done, null);
                activity?.SetTag("ledger.done", done);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogFailed(log, job.Name, e);
                run = new JobRun(job.Name, started, time.GetUtcNow(), 0, e.Message);
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Message);
            }

            telemetry.Ticked(job.Name, run.Error is not null);

            lock (_gate)
            {
                _history.Enqueue(run);
                while (_history.Count > HistoryLength)
                {
                    _history.Dequeue();
                }
            }

            return run;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(jobs.Select(job => RunAsync(job, stoppingToken)));

    private async Task RunAsync(ILedgerJob job, CancellationToken ct)
    {
        await Task.Yield();
        var tick = job.TickAtStart;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (tick)
                {
                    await TickAsync(job, ct).ConfigureAwait(false);
                }

                tick = true;
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var woken = job.Signal.WaitAsync(wait.Token);
                await Task.WhenAny(woken, Task.Delay(job.Interval, time, wait.Token)).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Leadership could not be asked for (the database is unreachable): try again on the next interval.
                LogFailed(log, job.Name, e);
                try
                {
                    await Task.Delay(job.Interval, time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Job} job failed; it runs again on the next tick")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);
}
