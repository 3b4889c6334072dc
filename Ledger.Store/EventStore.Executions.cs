using Ledger.Domain.Executions;

namespace Ledger.Store;

internal sealed partial class EventStore
{
    public async Task<ExecutionLineage> ReadExecutionAsync(ExecutionId execution, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        var records = await _engine.ReadRecordsAsync([execution.Value], ct).ConfigureAwait(false);
        if (!records.TryGetValue(execution.Value, out var record))
        {
            return new ExecutionLineage(null, []);
        }

        var ancestors = new List<ExecutionRecord>();
        var seen = new HashSet<ExecutionId> { execution };
        for (var next = record.Parent; next is { } id && seen.Add(id) && records.TryGetValue(id.Value, out var ancestor); next = ancestor.Parent)
        {
            ancestors.Add(ancestor);
        }

        return new ExecutionLineage(record, ancestors);
    }

    public Task<IReadOnlyList<ExecutionDue>> ListDueAsync(DateTimeOffset now, TimeSpan intentTtl, TimeSpan maxVerificationInterval, int limit, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return _engine.ListDueAsync(now.UtcTicks, intentTtl.Ticks, maxVerificationInterval.Ticks, limit, ct);
    }

    public Task<IReadOnlyList<PendingCascade>> ListCascadesAsync(int limit, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return _engine.ListCascadesAsync(limit, ct);
    }

    public Task<IReadOnlyList<ExecutionDescendant>> ListDescendantsAsync(ExecutionId execution, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        return _engine.ListDescendantsAsync(execution.Value, ct);
    }

    public Task CompleteCascadeAsync(PendingCascade cascade, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(cascade);
        return _engine.DeleteCascadeAsync(cascade.Execution.Value, cascade.Position, ct);
    }

    public async Task<IReadOnlyList<ExecutionId>> ListProvableRootsAsync(long size, int limit, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var roots = await _engine.ListProvableRootsAsync(size, limit, ct).ConfigureAwait(false);
        return [.. roots.Select(ExecutionId.Parse)];
    }

    public Task<IReadOnlyList<ExecutionRecord>> ListTreeAsync(ExecutionId root, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        return _engine.ListTreeAsync(root.Value, ct);
    }

    public Task<IAsyncDisposable?> TryLeadAsync(string job, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(job);
        return _engine.TryLeadAsync(job, ct);
    }
}
