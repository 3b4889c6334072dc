using System.Data.Common;
using Ledger.Projections.Checkpoints;
using Ledger.Projections.Emitters;
using Ledger.Projections.Executions;
using Ledger.Projections.Reading;
using Ledger.Projections.Storage;
using Ledger.Store;

namespace Ledger.Projections.Engine;

/// <summary>
/// The projections of one ledger: the <c>executions</c> read model (executions, lineage trees, compliance
/// views), <c>emitters</c> and <c>checkpoints</c>, each moved along the log by its own runner, and the
/// queries over them (<see cref="ReadModels"/>).
/// </summary>
/// <remarks>
/// <see cref="RunAsync"/> runs every projection until cancelled; when several processes share one PostgreSQL
/// database exactly one of them runs each projection (advisory lock), the others stand by. Rebuilds are
/// requested with <see cref="RequestRebuildAsync"/> and run by whichever node runs the projection, while the
/// live tables keep answering. Thread-safe.
/// </remarks>
public sealed class ProjectionEngine : IAsyncDisposable
{
    private readonly ProjectionDatabase _db;
    private readonly IEventStore _store;
    private readonly ProjectionOptions _options;
    private readonly Dictionary<string, ProjectionRunner> _runners;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    private ProjectionEngine(ProjectionDatabase db, IEventStore store, ProjectionOptions options, IReadOnlyList<IProjection> projections)
    {
        _db = db;
        _store = store;
        _options = options;
        _runners = projections.ToDictionary(p => p.Name, p => new ProjectionRunner(p, db, store, options), StringComparer.Ordinal);
        ReadModels = new ReadModels(db, store);
    }

    /// <summary>The projections' names: <c>executions</c>, <c>emitters</c>, <c>checkpoints</c>.</summary>
    public IReadOnlyList<string> Names => [.. _runners.Keys];

    /// <summary>Queries over the read models.</summary>
    public ReadModels ReadModels { get; }

    /// <summary>The engine of the read models (<c>sqlite</c> or <c>postgres</c>).</summary>
    public string Engine => _db.Engine;

    internal IReadOnlyDictionary<string, ProjectionRunner> Runners => _runners;

    internal ProjectionDatabase Database => _db;

    /// <summary>Test hook: runs in every batch's transaction just before it commits (crash injection, kill timing).</summary>
    internal Func<string, long, ValueTask>? BeforeCommit
    {
        set
        {
            foreach (var runner in _runners.Values)
            {
                runner.BeforeCommit = value;
            }
        }
    }

    /// <summary>Opens the read models and applies pending migrations (idempotent; safe when several nodes start at once).</summary>
    /// <exception cref="ArgumentException">The options are incomplete or name an unknown engine.</exception>
    /// <exception cref="InvalidOperationException">The read models have a newer schema than this build.</exception>
    public static async Task<ProjectionEngine> OpenAsync(ProjectionOptions options, IEventStore store, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.BatchSize, 10_000, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CatchUpBatchSize, options.BatchSize, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.CatchUpBatchSize, 10_000, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.PollInterval, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.LockRetryInterval, TimeSpan.Zero, nameof(options));
        ProjectionDatabase db = options.Engine switch
        {
            StoreOptions.Sqlite => new SqliteProjectionDatabase(options.ConnectionString),
            StoreOptions.Postgres => new PostgresProjectionDatabase(options.ConnectionString),
            _ => throw new ArgumentException($"Unknown read-model engine '{options.Engine}'; use 'sqlite' or 'postgres'.", nameof(options)),
        };
        IReadOnlyList<IProjection> projections = [new ExecutionsProjection(), new EmittersProjection(), new CheckpointsProjection()];
        try
        {
            await ProjectionSchema.MigrateAsync(db, projections, options.TimeProvider.GetUtcNow(), ct).ConfigureAwait(false);
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new ProjectionEngine(db, store, options, projections);
    }

    /// <summary>Runs every projection until <paramref name="ct"/> is cancelled (on this node, those whose lock it wins).</summary>
    public Task RunAsync(CancellationToken ct) => Task.WhenAll(_runners.Values.Select(r => RunOneAsync(r, ct)));

    /// <summary>
    /// Projects until every projection (or the one named) is caught up with the log as it is now, finishing
    /// any rebuild under way; waits for the runner lock if another runner holds it. For tools and tests.
    /// </summary>
    public async Task CatchUpAsync(string? name = null, CancellationToken ct = default)
    {
        IEnumerable<ProjectionRunner> runners = name is null ? _runners.Values : [Runner(name)];
        foreach (var runner in runners)
        {
            await using var lease = await AcquireAsync(runner, ct).ConfigureAwait(false);
            await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
            while (await runner.StepAsync(connection, ct).ConfigureAwait(false))
            {
            }
        }
    }

    /// <summary>
    /// Asks for a rebuild from position 0 into shadow tables; the runner swaps them in when they reach the
    /// end of the log. Asking again restarts a rebuild under way.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No projection has that name.</exception>
    public async Task<ProjectionStatus> RequestRebuildAsync(string name, CancellationToken ct = default)
    {
        var runner = Runner(name);
        await using (var connection = await _db.OpenAsync(ct).ConfigureAwait(false))
        {
            await Sql.ExecuteAsync(
                connection,
                null,
                $"UPDATE {ProjectionSchema.Positions.LiveName} SET rebuild_state = '{ProjectionRunner.Requested}', rebuild_position = NULL, rebuild_requested_at = @now WHERE name = @n",
                ct,
                ("@now", Micros.From(_options.TimeProvider.GetUtcNow())),
                ("@n", runner.Name)).ConfigureAwait(false);
        }

        _wake.Release(_runners.Count);
        return (await GetStatusAsync(ct).ConfigureAwait(false)).Single(s => s.Name == runner.Name);
    }

    /// <summary>Every projection's position, lag and rebuild state.</summary>
    public async Task<IReadOnlyList<ProjectionStatus>> GetStatusAsync(CancellationToken ct = default)
    {
        var size = await _store.GetTreeSizeAsync(ct).ConfigureAwait(false);
        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using var command = Sql.Command(
            connection,
            null,
            $"SELECT name, position, rebuild_state, rebuild_position, rebuild_requested_at, rebuilt_at, updated_at FROM {ProjectionSchema.Positions.LiveName} ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var statuses = new List<ProjectionStatus>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var name = reader.GetString(0);
            if (!_runners.TryGetValue(name, out var runner))
            {
                continue;
            }

            var position = reader.GetInt64(1);
            statuses.Add(new ProjectionStatus(
                name,
                position,
                size,
                Math.Max(0, size - position),
                Sql.NullableText(reader, 2),
                Sql.NullableLong(reader, 3),
                Micros.To(Sql.NullableLong(reader, 4)),
                Micros.To(Sql.NullableLong(reader, 5)),
                Micros.To(Sql.NullableLong(reader, 6)),
                runner.LastError));
        }

        return statuses;
    }

    /// <summary>
    /// Runs <paramref name="job"/> only if no other process runs the job of that name now (a cluster-wide
    /// lock on PostgreSQL); returns false when another holds it.
    /// </summary>
    public async Task<bool> TryRunExclusiveAsync(string job, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var lease = await _db.TryLockAsync("job:" + job, ct).ConfigureAwait(false);
        if (lease is null)
        {
            return false;
        }

        await work(ct).ConfigureAwait(false);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync().ConfigureAwait(false);
        _wake.Dispose();
    }

    private ProjectionRunner Runner(string name) =>
        _runners.TryGetValue(name, out var runner) ? runner : throw new KeyNotFoundException($"There is no projection '{name}'.");

    private async Task<RunnerLease> AcquireAsync(ProjectionRunner runner, CancellationToken ct)
    {
        while (true)
        {
            if (await _db.TryLockAsync("projection:" + runner.Name, ct).ConfigureAwait(false) is { } lease)
            {
                return lease;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), ct).ConfigureAwait(false);
        }
    }

    private async Task RunOneAsync(ProjectionRunner runner, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var lease = await _db.TryLockAsync("projection:" + runner.Name, ct).ConfigureAwait(false);
                if (lease is null)
                {
                    await Task.Delay(_options.LockRetryInterval, ct).ConfigureAwait(false);
                    continue;
                }

                await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
                while (lease.IsHeld && !ct.IsCancellationRequested)
                {
                    if (!await runner.StepAsync(connection, ct).ConfigureAwait(false))
                    {
                        var (position, _, _) = await runner.LoadStateAsync(connection, ct).ConfigureAwait(false);
                        await WaitForWorkAsync(position, ct).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                runner.LastError = e.Message;
                _options.OnError?.Invoke(runner.Name, e);
                try
                {
                    await Task.Delay(_options.PollInterval, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task WaitForWorkAsync(long position, CancellationToken ct)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var grown = _store.WaitForPositionAsync(position, waiting.Token);
        var woken = _wake.WaitAsync(_options.PollInterval, waiting.Token);
        await Task.WhenAny(grown, woken).ConfigureAwait(false);
        await waiting.CancelAsync().ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        _ = grown.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
