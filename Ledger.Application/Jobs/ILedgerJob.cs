namespace Ledger.Application.Jobs;

/// <summary>
/// One kind of background work the <see cref="JobCoordinator"/> runs: one tick at a time, on exactly one node,
/// resuming from what is durable (the log, the execution record, the pending cascades), never from memory.
/// </summary>
public interface ILedgerJob
{
    /// <summary>A stable name: the leadership key and the name in logs.</summary>
    public string Name { get; }

    /// <summary>How often the job ticks when nothing wakes it earlier.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Whether the first tick runs as the node starts (work left by a crash) or only after <see cref="Interval"/>.</summary>
    public bool TickAtStart => true;

    /// <summary>Set when work is waiting (e.g. a denial that must cascade): the coordinator ticks at once.</summary>
    public JobSignal Signal { get; }

    /// <summary>Does the work that is due now; returns how many things it did (appends, checkpoints).</summary>
    public Task<int> RunOnceAsync(CancellationToken ct);
}
