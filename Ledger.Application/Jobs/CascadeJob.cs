using Ledger.Application.Executions;
using Ledger.Application.Hosting;
using Ledger.Application.Telemetry;
using Ledger.Domain.Executions;
using Ledger.Store;
using Microsoft.Extensions.Logging;

namespace Ledger.Application.Jobs;

/// <summary>
/// Durable cascades (DESIGN §3, lineage): every committed denial or halt leaves a pending cascade in the store (in
/// the same transaction); this job ends every open descendant of it with <c>parent-halted</c>, parents before their
/// children, and marks the cascade finished only when no descendant is open. It is driven by what the store says
/// is left, never by a request: it resumes after a crash, and a descendant that moved meanwhile is decided again
/// under the write lock instead of failing on a version conflict.
/// </summary>
public sealed partial class CascadeJob(LedgerNode node, LedgerTelemetry telemetry, ILogger<CascadeJob> log) : ILedgerJob
{
    private const int CascadesPerTick = 64;

    // Appends of one depth in flight together: group commit turns them into a few transactions.
    private const int Concurrency = 256;

    /// <inheritdoc />
    public string Name => "cascade";

    /// <inheritdoc />
    public TimeSpan Interval => node.Options.CascadeInterval;

    /// <inheritdoc />
    public JobSignal Signal { get; } = new();

    /// <summary>Asks for a tick now (a denial or halt was just committed).</summary>
    public void Wake() => Signal.Set();

    /// <inheritdoc />
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var ended = 0;
        foreach (var cascade in await node.Store.ListCascadesAsync(CascadesPerTick, ct).ConfigureAwait(false))
        {
            ended += await FinishAsync(cascade, ct).ConfigureAwait(false);
        }

        return ended;
    }

    /// <summary>Ends the open descendants of one denied or halted execution; returns how many it ended.</summary>
    public async Task<int> FinishAsync(PendingCascade cascade, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cascade);
        var ended = 0;
        while (true)
        {
            var open = (await node.Store.ListDescendantsAsync(cascade.Execution, ct).ConfigureAwait(false))
                .Where(d => d.Status is not (ExecutionStatus.Completed or ExecutionStatus.Denied or ExecutionStatus.Halted or ExecutionStatus.None))
                .ToList();
            if (open.Count == 0)
            {
                await node.Store.CompleteCascadeAsync(cascade, ct).ConfigureAwait(false);
                return ended;
            }

            var progress = 0;
            foreach (var level in open.GroupBy(d => d.Depth).OrderBy(g => g.Key))
            {
                foreach (var chunk in level.Chunk(Concurrency))
                {
                    var results = await Task.WhenAll(chunk.Select(d => EndAsync(cascade.Execution, d.Execution, ct))).ConfigureAwait(false);
                    progress += results.Count(appended => appended);
                }
            }

            ended += progress;
            if (progress == 0)
            {
                // Every open descendant declined (its parent is still open elsewhere in the tree, or it just ended):
                // leave the cascade pending for the next tick rather than spin.
                LogStalled(log, cascade.Execution.Value, open.Count);
                return ended;
            }
        }
    }

    private async Task<bool> EndAsync(ExecutionId ended, ExecutionId descendant, CancellationToken ct)
    {
        var request = new AppendRequest(descendant.StreamName, AppendRequest.AnyVersion, default, [])
        {
            Decide = view =>
            {
                var parent = view.Lineage.Parent;
                return parent is not null && Lineage.CascadeEnd(view.State, parent.State, ended) is { } end
                    ? new ExecutionVerdict.Append([LedgerEvents.Event(descendant, LedgerEvents.CascadeId(ended, descendant), end, LedgerEvents.DomainOf(view.State))], end)
                    : new ExecutionVerdict.Decline("not open, or its parent has not ended");
            },
        };
        var result = await node.Store.AppendAsync(request, ct).ConfigureAwait(false);
        if (result is AppendResult.Appended { Tag: ITermination termination, Entries: [var entry, ..] })
        {
            telemetry.Cascaded(descendant, termination.Reason, entry, ended);
        }

        return result is AppendResult.Appended;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cascade of {Execution} made no progress with {Open} descendants open; the next tick tries again")]
    private static partial void LogStalled(ILogger logger, string execution, int open);
}
