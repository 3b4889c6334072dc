using System.Collections.Concurrent;
using Ledger.Domain.Merkle;

namespace Ledger.Store.Tiles;

/// <summary>
/// Hashes of complete subtrees already read or computed for proofs, shared by every proof this store serves. The log is
/// append-only, so the hash of a complete subtree (every node a <see cref="ProofPlan"/> lists, and every node below
/// one) never changes once it exists: an entry never goes stale, and a proof built from the cache is the proof built
/// from the tiles. Bounded: past <see cref="Capacity"/> nodes it starts over.
/// </summary>
/// <remarks>
/// Written here rather than taken from a caching library because it needs no expiry, no eviction order and no size
/// accounting: a concurrent dictionary emptied when full is enough, and the store takes no dependency for it.
/// Callers must not modify the arrays it returns. Thread-safe.
/// </remarks>
internal sealed class NodeHashCache(int capacity)
{
    private readonly ConcurrentDictionary<NodeId, byte[]> _hashes = new();

    /// <summary>The most nodes kept (32 bytes each plus the dictionary's overhead).</summary>
    public int Capacity { get; } = capacity;

    public int Count => _hashes.Count;

    public bool TryGet(NodeId node, out byte[] hash) => _hashes.TryGetValue(node, out hash!);

    public void Add(NodeId node, byte[] hash)
    {
        if (_hashes.Count >= Capacity)
        {
            _hashes.Clear();
        }

        _hashes.TryAdd(node, hash);
    }
}
