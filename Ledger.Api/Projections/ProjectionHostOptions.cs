using Ledger.Projections.Engine;

namespace Ledger.Api.Projections;

/// <summary>The read models of a node, bound from <c>Ledger:Projections</c> (appsettings, environment <c>Ledger__Projections__*</c>).</summary>
public sealed class ProjectionHostOptions
{
    public const string Section = "Ledger:Projections";

    /// <summary>Whether this node runs projection runners and the proof job (queries are always served).</summary>
    public bool Run { get; set; } = true;

    /// <summary>
    /// Connection string of the read models. Default: SQLite <c>&lt;data-dir&gt;/projections.db</c> (a file of its own, so
    /// projecting never holds the ledger's SQLite write lock); PostgreSQL: the ledger's database (tables <c>proj_*</c>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Log entries per projection transaction.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Longest wait of an idle runner before it looks for rebuild requests of other nodes and new checkpoints.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    internal ProjectionOptions ToEngineOptions(string engine, string connectionString, TimeProvider time, Action<string, Exception> onError) => new()
    {
        Engine = engine,
        ConnectionString = connectionString,
        BatchSize = BatchSize,
        PollInterval = PollInterval,
        TimeProvider = time,
        OnError = onError,
    };
}
