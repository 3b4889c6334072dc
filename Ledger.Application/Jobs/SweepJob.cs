using Ledger.Application.Executions;
using Ledger.Application.Hosting;
using Ledger.Application.Registry;
using Ledger.Application.Telemetry;
using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using Ledger.Store;

namespace Ledger.Application.Jobs;

/// <summary>
/// Silence fails closed (DESIGN §3): halts executions whose verification is overdue or whose authorization ran out,
/// and denies intents not started within <c>intentTtl</c>. It asks the execution record's deadline index for the
/// executions past a deadline (its cost grows with the due executions, not the open ones) and decides each again
/// under the write lock, at the time the entry will carry, with the parameters it read still in force.
/// </summary>
public sealed class SweepJob(LedgerNode node, LedgerRegistry registry, LedgerClock clock, CascadeJob cascade, LedgerTelemetry telemetry) : ILedgerJob
{
    private const int BatchSize = 512;
    private const int Concurrency = 64;

    /// <inheritdoc />
    public string Name => "sweep";

    /// <inheritdoc />
    public TimeSpan Interval => node.Options.SweepInterval;

    /// <inheritdoc />
    public JobSignal Signal { get; } = new();

    /// <summary>Runs one sweep at the ledger's current time; returns how many executions it ended.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var ended = 0;
        for (var round = 0; round < 64; round++)
        {
            var snapshot = await registry.GetAsync(ct).ConfigureAwait(false);
            var parameters = snapshot.Parameters;
            var due = await node.Store.ListDueAsync(clock.Now(), parameters.IntentTtl, parameters.MaxVerificationInterval, BatchSize, ct).ConfigureAwait(false);
            var guards = new Dictionary<string, long>(StringComparer.Ordinal) { [LedgerParameters.StreamName] = snapshot.ParametersVersion };
            var progress = 0;
            var moved = false;
            foreach (var chunk in due.Chunk(Concurrency))
            {
                var results = await Task.WhenAll(chunk.Select(d => EndAsync(d.Execution, parameters, guards, ct))).ConfigureAwait(false);
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (results[i] is AppendResult.Appended { Tag: ITermination end, Entries: [var entry, ..] })
                    {
                        telemetry.Swept(chunk[i].Execution, end.Reason, entry);
                    }
                }

                progress += results.Count(r => r is AppendResult.Appended);
                moved |= results.Any(r => r is AppendResult.GuardConflict);
            }

            ended += progress;
            if (progress > 0)
            {
                cascade.Wake();
            }

            if (moved)
            {
                registry.Invalidate(); // The parameters changed: the next round reads them again.
                continue;
            }

            if (due.Count < BatchSize || progress == 0)
            {
                return ended;
            }
        }

        return ended; // Still more due (or the parameters keep moving): the next tick goes on.
    }

    private Task<AppendResult> EndAsync(ExecutionId id, LedgerParameters parameters, IReadOnlyDictionary<string, long> guards, CancellationToken ct) =>
        node.Store.AppendAsync(
            new AppendRequest(id.StreamName, AppendRequest.AnyVersion, default, [])
            {
                Decide = view => SilenceSweep.Decide([view.State], view.RecordedAt, parameters) is [var end, ..]
                    ? new ExecutionVerdict.Append([LedgerEvents.Event(id, LedgerEvents.SweepId(id, view.StreamVersion), end.Event, LedgerEvents.DomainOf(view.State))], end.Event)
                    : new ExecutionVerdict.Decline("in time"),
                Guards = guards,
            },
            ct);
}
