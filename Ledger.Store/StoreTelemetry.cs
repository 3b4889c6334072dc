using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ledger.Store;

/// <summary>
/// The store's instruments (docs/OPERATIONS.md, "Telemetry"): the latency of each group-commit transaction, the
/// entries and requests it committed, and a trace span per transaction. Static, as a library's meter is (one per
/// process, whatever the number of stores); a host exports them by the names below.
/// </summary>
public static class StoreTelemetry
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "Ledger.Store";

    private static readonly Meter Meter = new(Name);

    /// <summary>Where spans of store transactions come from.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "ledger.store.commit.duration", "s", "Time from opening an append transaction to its commit (one group-commit batch)");

    private static readonly Counter<long> Entries = Meter.CreateCounter<long>(
        "ledger.store.entries", "{entry}", "Entries committed to the log by this process");

    private static readonly Counter<long> Transactions = Meter.CreateCounter<long>(
        "ledger.store.transactions", "{transaction}", "Append transactions committed by this process");

    internal static void Committed(string engine, TimeSpan elapsed, long entries, int requests, Activity? activity)
    {
        var tag = new KeyValuePair<string, object?>("engine", engine);
        CommitDuration.Record(elapsed.TotalSeconds, tag);
        Entries.Add(entries, tag);
        Transactions.Add(1, tag);
        activity?.SetTag("ledger.entries", entries).SetTag("ledger.requests", requests);
    }
}
