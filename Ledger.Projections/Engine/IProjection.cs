using Ledger.Projections.Storage;

namespace Ledger.Projections.Engine;

/// <summary>
/// One projection: read-model tables and how a batch of log entries changes them. The runner calls
/// <see cref="ApplyAsync"/> inside the transaction that also moves the projection's position, so an
/// entry's effect lands exactly once.
/// </summary>
/// <remarks>
/// Results must not depend on where batches begin and end (a rebuild batches differently from the live
/// run): whatever a batch writes is a function of the entries up to its last position.
/// </remarks>
internal interface IProjection
{
    /// <summary>The name in <c>proj_positions</c>, the API and the logs.</summary>
    public string Name { get; }

    /// <summary>The version of the tables' shape; a higher version drops and rebuilds them.</summary>
    public int SchemaVersion { get; }

    public IReadOnlyList<TableSpec> Tables { get; }

    /// <summary>Whether <see cref="ApplyAsync"/> needs the entries (false: only the positions move).</summary>
    public bool ReadsEntries { get; }

    /// <summary>
    /// Work on one entry that needs no database, run in parallel across the batch before <see cref="ApplyAsync"/>
    /// (e.g. parsing the event's data); the result is <see cref="ProjectedEntry.Prepared"/>. Must be thread-safe.
    /// </summary>
    public object? Prepare(Domain.Log.LedgerEntry entry);

    /// <summary>The batch ending at <paramref name="position"/> committed on <paramref name="tables"/>: what the projection kept in memory from it is now the database's state.</summary>
    public void Committed(long position, Storage.TableSet tables);

    /// <summary>A batch failed or was void, or the tables changed: forget whatever was kept in memory.</summary>
    public void Forget();

    /// <summary>Applies entries [<paramref name="from"/>, <paramref name="to"/>) (empty when <see cref="ReadsEntries"/> is false).</summary>
    public Task ApplyAsync(ProjectionWrite write, IReadOnlyList<ProjectedEntry> entries, long from, long to, CancellationToken ct);

    /// <summary>Whether <see cref="IdleAsync"/> has anything to do.</summary>
    public bool WorksWhenIdle { get; }

    /// <summary>Work to do while the log is idle at <paramref name="position"/>; returns whether it wrote anything.</summary>
    public Task<bool> IdleAsync(ProjectionWrite write, long position, CancellationToken ct);
}
