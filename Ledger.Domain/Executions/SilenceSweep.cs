using Ledger.Domain.Parameters;

namespace Ledger.Domain.Executions;

/// <summary>
/// Silence fails closed: the scheduled sweep that ends executions nobody spoke for in time.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class SilenceSweep
{
    /// <summary>
    /// The events the ledger appends at <paramref name="now"/>: a halt for every running execution
    /// past its deadline (<c>runtime-verification-missed</c> when the verification is overdue,
    /// <c>authorization-expired</c> when the authorization ran out first) and a denial
    /// (<c>intent-expired</c>) for every intent not started within <c>intentTtl</c>.
    /// </summary>
    /// <param name="executions">The executions to inspect; terminal ones are skipped.</param>
    /// <param name="now">The ledger's time for the appended events (their <c>recordedAt</c>).</param>
    /// <param name="parameters">The ledger parameters in force.</param>
    /// <remarks>
    /// The same deadlines as <see cref="Execution.Decide"/> and <see cref="Execution.Status"/>: a
    /// deadline is the last instant still in time, so an execution is swept only once
    /// <paramref name="now"/> is strictly after it. The caller cascades every event to descendants
    /// with <see cref="Lineage.Cascade"/>.
    /// </remarks>
    public static IReadOnlyList<LedgerAppend> Decide(IEnumerable<ExecutionState> executions, DateTimeOffset now, LedgerParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(executions);
        ArgumentNullException.ThrowIfNull(parameters);
        var appends = new List<LedgerAppend>();
        foreach (var state in executions)
        {
            switch (state.Status)
            {
                case ExecutionStatus.Running:
                    if (Deadlines.Overdue(state, now, parameters) is { } overdue)
                    {
                        appends.Add(new LedgerAppend(state.Id, new ExecutionHalted(overdue.Reason, overdue.Detail)));
                    }

                    break;
                case ExecutionStatus.Declared or ExecutionStatus.Governed or ExecutionStatus.Authorized or ExecutionStatus.Trusted:
                    if (Deadlines.IntentExpired(state, now, parameters) is { } expired)
                    {
                        appends.Add(new LedgerAppend(state.Id, new ExecutionDenied(Reason.IntentExpired, expired)));
                    }

                    break;
                default:
                    break;
            }
        }

        return appends;
    }
}
