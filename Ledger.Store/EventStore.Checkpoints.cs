using System.Globalization;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;
using Ledger.Store.Appending;
using Ledger.Store.Engine;
using Ledger.Store.Tiles;

namespace Ledger.Store;

internal sealed partial class EventStore
{
    public async Task<StoredCheckpoint> StoreCheckpointAsync(long size, byte[] root, string signedNote, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(signedNote);
        if (root.Length != MerkleHash.Size)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A root hash has {MerkleHash.Size} bytes, not {root.Length}."), nameof(root));
        }

        CheckNote(size, root, signedNote);
        ct.ThrowIfCancellationRequested();
        var pending = new PendingCheckpoint(size, (byte[])root.Clone(), signedNote);
        await EnqueueAsync(pending, ct).ConfigureAwait(false);
        return await pending.Completion.Task.ConfigureAwait(false);
    }

    public async Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken ct = default)
    {
        ThrowIfDisposed();
        var latest = await _engine.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
        return latest is null ? null : (await WithCosignaturesAsync([latest], ct).ConfigureAwait(false))[0];
    }

    public async Task<StoredCheckpoint?> GetCheckpointAsync(long size, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var found = await _engine.GetCheckpointAsync(size, ct).ConfigureAwait(false);
        return found is null ? null : (await WithCosignaturesAsync([found], ct).ConfigureAwait(false))[0];
    }

    public async Task<IReadOnlyList<StoredCheckpoint>> ListCheckpointsAsync(long fromSize, long toSize, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(fromSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(toSize, fromSize);
        var found = await _engine.ListCheckpointsAsync(fromSize, toSize, ct).ConfigureAwait(false);
        return found.Count == 0 ? found : await WithCosignaturesAsync(found, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The note must be a signed checkpoint of this log stating exactly <paramref name="size"/> and
    /// <paramref name="root"/> (its signatures are the signer's business; the store holds no keys).
    /// </summary>
    private void CheckNote(long size, byte[] root, string signedNote)
    {
        if (!SignedNote.TryParse(signedNote, out var note, out var error))
        {
            throw new ArgumentException("The checkpoint note is not a signed note: " + error, nameof(signedNote));
        }

        if (!Checkpoint.TryParse(note.Text, out var checkpoint, out error))
        {
            throw new ArgumentException("The signed note is not a checkpoint: " + error, nameof(signedNote));
        }

        if (!string.Equals(checkpoint.Origin, Origin, StringComparison.Ordinal)
            || checkpoint.Size != size
            || !checkpoint.RootHash.Span.SequenceEqual(root))
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The signed note states origin '{checkpoint.Origin}', size {checkpoint.Size}, root {Convert.ToBase64String(checkpoint.RootHash.Span)}; the checkpoint being stored is origin '{Origin}', size {size}, root {Convert.ToBase64String(root)}."),
                nameof(signedNote));
        }
    }

    /// <summary>Checks and stores a checkpoint under the log's write lock, so no append or other checkpoint interleaves.</summary>
    private async Task RunCheckpointAsync(PendingCheckpoint pending)
    {
        var ct = CancellationToken.None;
        try
        {
            await using var session = await _engine.BeginWriteAsync([], [], [], ct).ConfigureAwait(false);
            if (pending.Size > session.Head.Size)
            {
                throw BeyondTree(pending.Size, session.Head.Size);
            }

            var treeRoot = await RootAsync(pending.Size, session.Head, session.ReadTilesAsync, ct).ConfigureAwait(false);
            var latest = await session.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
            if (!treeRoot.AsSpan().SequenceEqual(pending.Root))
            {
                throw new InconsistentCheckpointException(CheckpointInconsistency.RootMismatch, pending.Size, pending.Root, treeRoot, latest?.Size);
            }

            if (latest is not null && pending.Size < latest.Size)
            {
                throw new InconsistentCheckpointException(CheckpointInconsistency.OlderThanLatest, pending.Size, pending.Root, treeRoot, latest.Size);
            }

            if (latest is not null && latest.Size == pending.Size)
            {
                pending.Completion.TrySetResult(latest);
                return;
            }

            var stored = new StoredCheckpoint(pending.Size, pending.Root, pending.SignedNote, TruncateToMicroseconds(_options.TimeProvider.GetUtcNow()));
            await session.InsertCheckpointAsync(stored, ct).ConfigureAwait(false);
            await session.CommitAsync(ct).ConfigureAwait(false);
            pending.Completion.TrySetResult(stored);
        }
        catch (Exception ex)
        {
            pending.Fail(ex);
        }
    }

    /// <summary>The root at <paramref name="size"/> from the tiles (or the head when it is the head's size).</summary>
    private static async Task<byte[]> RootAsync(
        long size,
        LogHead? head,
        Func<IReadOnlyCollection<TileKey>, CancellationToken, Task<IReadOnlyDictionary<TileKey, byte[]>>> readTiles,
        CancellationToken ct)
    {
        if (size == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        if (head is not null && head.Size == size)
        {
            return (byte[])head.Root.Clone();
        }

        var border = CompactRange.BorderNodes(size);
        var tiles = await readTiles(TileLayout.TilesFor(border), ct).ConfigureAwait(false);
        return CompactRange.FromHashes(size, border.Select(node => TileLayout.NodeHash(node, tiles)).ToList()).Root();
    }

    private static ArgumentOutOfRangeException BeyondTree(long size, long treeSize) =>
        new(nameof(size), size, string.Create(CultureInfo.InvariantCulture, $"The checkpoint's size is beyond the tree size {treeSize}."));

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        value.AddTicks(-(value.Ticks % TimeSpan.TicksPerMicrosecond));
}
