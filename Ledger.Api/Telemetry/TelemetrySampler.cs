using Ledger.Application.Hosting;
using Ledger.Application.Telemetry;
using Ledger.Projections.Engine;

namespace Ledger.Api.Telemetry;

/// <summary>
/// Reads, every <see cref="TelemetryOptions.SampleInterval"/>, what the gauges report: the log's size, the latest
/// checkpoint, each witness's cosigned size and each read model's position, from the store and the projection
/// database (the same sources as <c>/healthz/ready</c>, so that any node reports the ledger's state, whichever node
/// signed or projected it).
/// </summary>
public sealed partial class TelemetrySampler(
    LedgerNode node, ProjectionEngine projections, LedgerTelemetry telemetry, TelemetryOptions options, ILogger<TelemetrySampler> log) : BackgroundService
{
    /// <summary>Reads the values once now.</summary>
    public async Task SampleAsync(CancellationToken ct)
    {
        var treeSize = await node.Store.GetTreeSizeAsync(ct).ConfigureAwait(false);
        var latest = await node.Store.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
        telemetry.Sample(treeSize, latest?.Size ?? 0, latest?.StoredAt);
        if (node.Witnesses.Targets.Count > 0)
        {
            var cosigned = await node.Store.GetCosignedSizesAsync(ct).ConfigureAwait(false);
            foreach (var target in node.Witnesses.Targets)
            {
                telemetry.SampleWitness(target.Name, (latest?.Size ?? 0) - cosigned.GetValueOrDefault(target.Name, 0));
            }
        }

        foreach (var status in await projections.GetStatusAsync(ct).ConfigureAwait(false))
        {
            telemetry.SampleProjection(status.Name, status.Lag);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SampleInterval);
        do
        {
            try
            {
                await SampleAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not OutOfMemoryException)
            {
                // The gauges keep their last values; readiness reports the store's failure.
                LogFailed(log, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sample the ledger's gauges; they keep their last values")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
