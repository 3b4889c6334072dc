using System.Globalization;
using Ledger.Domain.Merkle;
using Ledger.Store.Tiles;

namespace Ledger.Store;

internal sealed partial class EventStore
{
    public Task<long> GetTreeSizeAsync(CancellationToken ct = default)
    {
        ThrowIfDisposed();
        return _engine.GetTreeSizeAsync(ct);
    }

    public async Task<byte[]> GetRootAsync(long size, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        await EnsureWithinTreeAsync(size, nameof(size), ct).ConfigureAwait(false);
        return await RootAsync(size, null, _engine.ReadTilesAsync, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<byte[]>> GetInclusionProofAsync(long index, long size, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index >= size)
        {
            throw new ArgumentOutOfRangeException(
                nameof(index), index, string.Create(CultureInfo.InvariantCulture, $"The leaf index must be below the tree size {size}."));
        }

        await EnsureWithinTreeAsync(size, nameof(size), ct).ConfigureAwait(false);
        return await ProveAsync(MerkleProofs.Inclusion(index, size), ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<IReadOnlyList<byte[]>>> GetInclusionProofsAsync(IReadOnlyList<long> indexes, long size, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(indexes);
        foreach (var index in indexes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index, nameof(indexes));
            if (index >= size)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indexes), index, string.Create(CultureInfo.InvariantCulture, $"A leaf index must be below the tree size {size}."));
            }
        }

        if (indexes.Count == 0)
        {
            return [];
        }

        await EnsureWithinTreeAsync(size, nameof(size), ct).ConfigureAwait(false);
        var plans = indexes.Select(index => MerkleProofs.Inclusion(index, size)).ToList();
        var hashes = await NodeHashesAsync(plans.SelectMany(plan => plan.Nodes), ct).ConfigureAwait(false);
        return plans.Select(plan => plan.Rehash(plan.Nodes.Select(node => hashes[node]).ToList())).ToList();
    }

    public async Task<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long size1, long size2, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfLessThan(size1, 1);
        if (size2 < size1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(size2), size2, string.Create(CultureInfo.InvariantCulture, $"The second tree size must be at least the first, {size1}."));
        }

        await EnsureWithinTreeAsync(size2, nameof(size2), ct).ConfigureAwait(false);
        return await ProveAsync(MerkleProofs.Consistency(size1, size2), ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<byte[]>> ProveAsync(ProofPlan plan, CancellationToken ct)
    {
        var hashes = await NodeHashesAsync(plan.Nodes, ct).ConfigureAwait(false);
        return plan.Rehash(plan.Nodes.Select(node => hashes[node]).ToList());
    }

    /// <summary>
    /// The hashes of complete subtrees: from <see cref="_nodeHashes"/> when known, else from the expanded full tiles above
    /// level 0 in <see cref="_tileTrees"/>, else from the tiles read once for all the nodes still missing, each node inside a
    /// tile hashed at most once (<see cref="TileTree"/>). The nodes read are then kept; full tiles above
    /// level 0 are kept expanded instead, so a proof at any tree size reads at most its level-0 tile and whatever
    /// partial tiles it needs, whatever node it asks for.
    /// </summary>
    private async Task<Dictionary<NodeId, byte[]>> NodeHashesAsync(IEnumerable<NodeId> nodes, CancellationToken ct)
    {
        var hashes = new Dictionary<NodeId, byte[]>();
        HashSet<TileKey>? toRead = null;
        foreach (var node in nodes)
        {
            if (hashes.ContainsKey(node))
            {
                continue;
            }

            if (_nodeHashes.TryGet(node, out var known))
            {
                hashes[node] = known;
                continue;
            }

            var key = TileLayout.TileOf(node);
            if (key.Level > 0 && _tileTrees.TryGet(key, out var cached))
            {
                hashes[node] = cached.Hash(node);
                continue;
            }

            toRead ??= [];
            toRead.Add(key);
        }

        if (toRead is null)
        {
            return hashes;
        }

        var tiles = await _engine.ReadTilesAsync(toRead, ct).ConfigureAwait(false);
        var trees = new Dictionary<TileKey, TileTree>(toRead.Count);
        foreach (var key in toRead)
        {
            var tile = tiles.GetValueOrDefault(key) ?? [];
            if (key.Level > 0 && tile.Length == TileLayout.Width * TileLayout.HashSize)
            {
                var expanded = TileTree.Expand(key, tile);
                _tileTrees.Add(key, expanded);
                trees[key] = expanded;
            }
            else
            {
                trees[key] = TileTree.Lazy(key, tile);
            }
        }

        foreach (var node in nodes)
        {
            if (!hashes.ContainsKey(node))
            {
                var tree = trees[TileLayout.TileOf(node)];
                var hash = tree.Hash(node);
                hashes[node] = hash;
                if (!(tree.IsFull && tree.Key.Level > 0))
                {
                    _nodeHashes.Add(node, hash);
                }
            }
        }

        return hashes;
    }

    private async Task EnsureWithinTreeAsync(long size, string parameter, CancellationToken ct)
    {
        if (size <= Volatile.Read(ref _committedSize))
        {
            return;
        }

        var treeSize = await _engine.GetTreeSizeAsync(ct).ConfigureAwait(false);
        if (size > treeSize)
        {
            throw new ArgumentOutOfRangeException(
                parameter, size, string.Create(CultureInfo.InvariantCulture, $"The tree has {treeSize} leaves."));
        }
    }
}
