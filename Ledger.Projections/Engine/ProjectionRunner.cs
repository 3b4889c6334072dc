using System.Data.Common;
using System.Globalization;
using Ledger.Domain.Log;
using Ledger.Projections.Storage;
using Ledger.Store;

namespace Ledger.Projections.Engine;

/// <summary>
/// Moves one projection along the log, one batch per transaction. Each batch's writes and the new position
/// commit together, and the position moves by compare-and-set (<c>WHERE position = from</c>), so even two
/// runners on one database cannot apply an entry twice: the position row is read (and on PostgreSQL locked)
/// first in the transaction, and a runner that finds it moved rolls back.
/// </summary>
/// <remarks>
/// A rebuild builds shadow tables (<c>proj_rebuild_*</c>, primary keys only) from position 0 while the live
/// tables keep answering queries (frozen at their position); once the shadow reaches the end of the log, one
/// transaction drops the live tables, renames the shadow ones over them and creates the secondary indexes.
/// Every step starts from the state stored in <c>proj_positions</c>, so a crash anywhere resumes correctly.
/// Not thread-safe: one caller at a time, the holder of the projection's <see cref="RunnerLease"/>.
/// </remarks>
internal sealed class ProjectionRunner(IProjection projection, ProjectionDatabase db, IEventStore store, ProjectionOptions options)
{
    public const string Requested = "requested";
    public const string Building = "building";

    private static readonly string PositionsTable = ProjectionSchema.Positions.LiveName;

    public IProjection Projection { get; } = projection;

    public string Name => Projection.Name;

    /// <summary>Test hook: runs inside each batch's transaction just before it commits.</summary>
    public Func<string, long, ValueTask>? BeforeCommit { get; set; }

    private volatile string? _lastError;
    private Task<Batch>? _readAhead;

    /// <summary>The last failure of a step on this node, cleared by the next committed batch.</summary>
    public string? LastError
    {
        get => _lastError;
        set => _lastError = value;
    }

    /// <summary>Does the next piece of work; false when the projection is caught up with the log.</summary>
    public async Task<bool> StepAsync(DbConnection connection, CancellationToken ct)
    {
        var state = await LoadStateAsync(connection, ct).ConfigureAwait(false);
        switch (state.Rebuild)
        {
            case Requested:
                await StartRebuildAsync(connection, ct).ConfigureAwait(false);
                return true;
            case Building:
                var from = state.RebuildPosition ?? 0;
                var shadowBatch = await ReadAsync(from, shadow: true, ct).ConfigureAwait(false);
                if (shadowBatch.To == from)
                {
                    await SwapAsync(connection, from, ct).ConfigureAwait(false);
                }
                else
                {
                    await ApplyAsync(connection, TableSet.Shadow, shadowBatch, ct).ConfigureAwait(false);
                }

                return true;
            default:
                var batch = await ReadAsync(state.Position, shadow: false, ct).ConfigureAwait(false);
                if (batch.To == state.Position)
                {
                    await IdleAsync(connection, state.Position, ct).ConfigureAwait(false);
                    return false;
                }

                await ApplyAsync(connection, TableSet.Live, batch, ct).ConfigureAwait(false);
                return true;
        }
    }

    public async Task<(long Position, string? Rebuild, long? RebuildPosition)> LoadStateAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = Sql.Command(
            connection, null, $"SELECT position, rebuild_state, rebuild_position FROM {PositionsTable} WHERE name = @n", ("@n", Name));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"The projection '{Name}' has no row in {PositionsTable}; the read models are not migrated.");
        }

        return (reader.GetInt64(0), Sql.NullableText(reader, 1), Sql.NullableLong(reader, 2));
    }

    /// <summary>
    /// The entries [from, from + batch size): taken from the read-ahead when it holds them, otherwise read now.
    /// After a full batch, the next one is read and parsed in the background while this one is applied.
    /// </summary>
    private async Task<Batch> ReadAsync(long from, bool shadow, CancellationToken ct)
    {
        var ahead = _readAhead;
        _readAhead = null;
        Batch? batch = null;
        if (ahead is not null)
        {
            try
            {
                var read = await ahead.ConfigureAwait(false);
                batch = read.From == from ? read : null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A failed read-ahead is simply read again below.
            }
        }

        batch ??= await LoadAsync(from, shadow ? options.CatchUpBatchSize : options.BatchSize, ct).ConfigureAwait(false);
        if (Projection.ReadsEntries && batch.Entries.Count == batch.Size)
        {
            // Far behind (or rebuilding): read the next, larger batch while this one is applied.
            var next = batch.To;
            _readAhead = Task.Run(() => LoadAsync(next, options.CatchUpBatchSize, ct), CancellationToken.None);
        }

        return batch;
    }

    private async Task<Batch> LoadAsync(long from, int size, CancellationToken ct)
    {
        if (!Projection.ReadsEntries)
        {
            var treeSize = await store.GetTreeSizeAsync(ct).ConfigureAwait(false);
            return new Batch(from, Math.Max(from, treeSize), [], size);
        }

        var stored = new List<StoredEntry>(size);
        await foreach (var entry in store.ReadLogAsync(from, size, ct).ConfigureAwait(false))
        {
            var expected = from + stored.Count;
            if (entry.Position != expected)
            {
                throw new StoreCorruptedException(string.Create(
                    CultureInfo.InvariantCulture, $"The log read from {from} returned position {entry.Position} where {expected} was due."));
            }

            stored.Add(entry);
        }

        // Parsing (canonical-form checks included) is most of a projection's CPU: spread it over the cores.
        var entries = new ProjectedEntry[stored.Count];
        Parallel.For(0, stored.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var entry = LedgerEntry.Parse(stored[i].Entry);
            entries[i] = new ProjectedEntry(stored[i].Position, stored[i].LeafHash, entry, Projection.Prepare(entry));
        });
        return new Batch(from, from + entries.Length, entries, size);
    }

    private async Task ApplyAsync(DbConnection connection, TableSet tables, Batch batch, CancellationToken ct)
    {
        try
        {
            if (await TryApplyAsync(connection, tables, batch, ct).ConfigureAwait(false))
            {
                Projection.Committed(batch.To, tables);
                LastError = null;
                return;
            }
        }
        catch
        {
            Projection.Forget();
            throw;
        }

        Projection.Forget();
    }

    /// <summary>One batch in one transaction; false when the batch was void (another runner moved the position).</summary>
    private async Task<bool> TryApplyAsync(DbConnection connection, TableSet tables, Batch batch, CancellationToken ct)
    {
        await using var transaction = await db.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var column = tables.IsShadow ? "rebuild_position" : "position";
        var guard = tables.IsShadow ? $" AND rebuild_state = '{Building}'" : string.Empty;
        var current = (long?)await Sql.ScalarAsync(
            connection, transaction, $"SELECT {column} FROM {PositionsTable} WHERE name = @n{guard}{db.LockRow}", ct, ("@n", Name)).ConfigureAwait(false);
        if (current != batch.From)
        {
            // Another runner got there first (or a rebuild was requested anew): this batch is void.
            await transaction.RollbackAsync(ct).ConfigureAwait(false);
            return false;
        }

        var write = new ProjectionWrite(db, connection, transaction, tables, store);
        await Projection.ApplyAsync(write, batch.Entries, batch.From, batch.To, ct).ConfigureAwait(false);
        var moved = await write.ExecuteAsync(
            $"UPDATE {PositionsTable} SET {column} = @to, updated_at = @now WHERE name = @n AND {column} = @from{guard}",
            ct,
            ("@to", batch.To),
            ("@now", Now()),
            ("@n", Name),
            ("@from", batch.From)).ConfigureAwait(false);
        if (moved != 1)
        {
            // Cannot happen while the row is locked; on an engine without row locks it voids the batch.
            await transaction.RollbackAsync(ct).ConfigureAwait(false);
            return false;
        }

        if (BeforeCommit is { } hook)
        {
            await hook(Name, batch.To).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    private async Task IdleAsync(DbConnection connection, long position, CancellationToken ct)
    {
        if (!Projection.WorksWhenIdle)
        {
            return;
        }

        await using var transaction = await db.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var write = new ProjectionWrite(db, connection, transaction, TableSet.Live, store);
        var stillThere = (long?)await Sql.ScalarAsync(
            connection, transaction, $"SELECT position FROM {PositionsTable} WHERE name = @n{db.LockRow}", ct, ("@n", Name)).ConfigureAwait(false);
        if (stillThere == position && await Projection.IdleAsync(write, position, ct).ConfigureAwait(false))
        {
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }
        else
        {
            await transaction.RollbackAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task StartRebuildAsync(DbConnection connection, CancellationToken ct)
    {
        Projection.Forget();
        await using var transaction = await db.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        foreach (var table in Projection.Tables)
        {
            await Sql.ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS {table.ShadowName}", ct).ConfigureAwait(false);
            await Sql.ExecuteAsync(connection, transaction, db.CreateTable(table, table.ShadowName), ct).ConfigureAwait(false);
        }

        var started = await Sql.ExecuteAsync(
            connection,
            transaction,
            $"UPDATE {PositionsTable} SET rebuild_state = '{Building}', rebuild_position = 0, updated_at = @now WHERE name = @n AND rebuild_state = '{Requested}'",
            ct,
            ("@now", Now()),
            ("@n", Name)).ConfigureAwait(false);
        if (started == 1)
        {
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }
        else
        {
            await transaction.RollbackAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task SwapAsync(DbConnection connection, long position, CancellationToken ct)
    {
        Projection.Forget();
        await using var transaction = await db.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var now = Now();
        var swapped = await Sql.ExecuteAsync(
            connection,
            transaction,
            $"UPDATE {PositionsTable} SET position = @p, rebuild_state = NULL, rebuild_position = NULL, rebuilt_at = @now, updated_at = @now "
            + $"WHERE name = @n AND rebuild_state = '{Building}' AND rebuild_position = @p",
            ct,
            ("@p", position),
            ("@now", now),
            ("@n", Name)).ConfigureAwait(false);
        if (swapped != 1)
        {
            await transaction.RollbackAsync(ct).ConfigureAwait(false);
            return;
        }

        foreach (var statement in Projection.Tables.SelectMany(db.SwapStatements))
        {
            await Sql.ExecuteAsync(connection, transaction, statement, ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    private long Now() => Micros.From(options.TimeProvider.GetUtcNow());

    private sealed record Batch(long From, long To, IReadOnlyList<ProjectedEntry> Entries, int Size);
}
