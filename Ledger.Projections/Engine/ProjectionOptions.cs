namespace Ledger.Projections.Engine;

/// <summary>How to open the read models (<see cref="ProjectionEngine.OpenAsync"/>).</summary>
public sealed class ProjectionOptions
{
    /// <summary><c>sqlite</c> (a file of its own, next to the ledger's) or <c>postgres</c> (the ledger's database).</summary>
    public string Engine { get; set; } = "sqlite";

    /// <summary>The read models' connection string: <c>Data Source=/path/projections.db</c>, or an Npgsql connection string.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Most log entries applied in one transaction.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// Most log entries applied in one transaction while building shadow tables or catching up from far behind
    /// (the previous batch was full): fewer, larger transactions write each touched row fewer times.
    /// </summary>
    public int CatchUpBatchSize { get; set; } = 5000;

    /// <summary>
    /// Longest wait of an idle runner before it looks again (for rebuilds requested on other nodes and new
    /// checkpoints; new log entries wake it at once).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a node that is not a projection's runner tries to become it (PostgreSQL, several nodes).</summary>
    public TimeSpan LockRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock for the <c>updated_at</c>, <c>rebuilt_at</c> bookkeeping (never for read-model content).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Called when a runner's step fails (it retries after <see cref="PollInterval"/>); for logging.</summary>
    public Action<string, Exception>? OnError { get; set; }
}
