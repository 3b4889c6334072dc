using Ledger.Domain.Executions;

namespace Ledger.Store;

internal sealed partial class EventStore
{
    public async Task<ExecutionLineage> ReadExecutionAsync(ExecutionId execution, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        var (records, follow) = await _engine.ReadLineageAsync(execution.Value, ct).ConfigureAwait(false);
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

        return new ExecutionLineage(record, ancestors) { RemoteFollow = follow };
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

    public async Task<IReadOnlyList<ParentRef>> ListRemoteParentsAsync(ParentRef? after, int limit, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var rows = await _engine.ListRemoteParentsAsync(after?.Ledger ?? string.Empty, after?.ExecutionId.Value ?? string.Empty, limit, ct).ConfigureAwait(false);
        return [.. rows.Select(r => new ParentRef(r.Origin, ExecutionId.Parse(r.Id)))];
    }

    public async Task<IReadOnlyList<ExecutionId>> ListRemoteChildrenAsync(ParentRef parent, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(parent);
        var rows = await _engine.ListRemoteChildrenAsync(parent.Ledger, parent.ExecutionId.Value, ct).ConfigureAwait(false);
        return [.. rows.Select(ExecutionId.Parse)];
    }

    public async Task<IReadOnlyList<RemoteChild>> ListChildrenOfAsync(string origin, long afterPosition, int limit, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentOutOfRangeException.ThrowIfLessThan(afterPosition, -1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var rows = await _engine.ListChildrenOfAsync(origin, afterPosition, limit, ct).ConfigureAwait(false);
        return [.. rows.Select(r => new RemoteChild(ExecutionId.Parse(r.Id), new ParentRef(origin, ExecutionId.Parse(r.ParentId)), r.Position))];
    }

    public Task<RemoteParentFollow?> ReadRemoteFollowAsync(ParentRef parent, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(parent);
        return _engine.ReadRemoteFollowAsync(parent.Ledger, parent.ExecutionId.Value, ct);
    }

    public Task RecordRemoteFollowAsync(RemoteParentFollow follow, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(follow);
        return _engine.UpsertRemoteFollowAsync(follow, ct);
    }

    public Task<FollowedPeer?> ReadFollowedPeerAsync(string origin, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(origin);
        return _engine.ReadFollowedPeerAsync(origin, ct);
    }

    public Task KeepAttestationAsync(string digest, string text, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(text);
        if (digest != Ledger.Domain.Federation.ExecutionAttestation.DigestOf(text))
        {
            throw new ArgumentException("The digest is not the SHA-256 of the attestation's text.", nameof(digest));
        }

        return _engine.KeepAttestationAsync(digest, text, ct);
    }

    public Task<string?> ReadAttestationAsync(string digest, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(digest);
        return _engine.ReadAttestationAsync(digest, ct);
    }

    public Task KeepFollowedPeerAsync(string origin, long size, string note, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentException.ThrowIfNullOrEmpty(note);
        return _engine.KeepFollowedPeerAsync(origin, size, note, ct);
    }

    public Task MarkFollowedPeerSplitAsync(string origin, DateTimeOffset at, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(origin);
        return _engine.MarkFollowedPeerSplitAsync(origin, at.UtcTicks, ct);
    }
}
