using Ledger.Domain.Merkle;
using Ledger.Store.Witnessing;

namespace Ledger.Store;

internal sealed partial class EventStore
{
    public async Task<WitnessedLog?> GetWitnessedAsync(string origin, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(origin);
        var rows = await _engine.ReadWitnessedAsync(origin, ct).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<WitnessedLog>> ListWitnessedAsync(CancellationToken ct = default)
    {
        ThrowIfDisposed();
        return _engine.ReadWitnessedAsync(null, ct);
    }

    public Task<bool> TryAdvanceWitnessedAsync(
        string origin, long expectedSize, byte[]? expectedRoot, long size, byte[] root, string note, DateTimeOffset cosignedAt, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, expectedSize);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrEmpty(note);
        if (root.Length != MerkleHash.Size || expectedRoot is { Length: not MerkleHash.Size })
        {
            throw new ArgumentException($"Root hashes have {MerkleHash.Size} bytes.", nameof(root));
        }

        return _engine.AdvanceWitnessedAsync(origin, expectedSize, expectedRoot, size, root, note, TruncateToMicroseconds(cosignedAt), ct);
    }

    public Task MarkWitnessedLoggedAsync(string origin, long size, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return _engine.MarkWitnessedLoggedAsync(origin, size, ct);
    }

    public Task MarkSplitViewAsync(string origin, DateTimeOffset at, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(origin);
        return _engine.MarkSplitViewAsync(origin, TruncateToMicroseconds(at), ct);
    }
}
