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
    private readonly Lock _clearing = new();

    // Counted here because ConcurrentDictionary.Count takes every lock of the dictionary, and a lineage tree's first proofs
    // add thousands of nodes at once (that count was most of the request). Approximate under races: at worst it starts
    // over a little early.
    private int _count;

    /// <summary>The most nodes kept (32 bytes each plus the dictionary's overhead).</summary>
    public int Capacity { get; } = capacity;

    public int Count => _hashes.Count;

    public bool TryGet(NodeId node, out byte[] hash) => _hashes.TryGetValue(node, out hash!);

    public void Add(NodeId node, byte[] hash)
    {
        if (Volatile.Read(ref _count) >= Capacity)
        {
            lock (_clearing)
            {
                if (_count >= Capacity)
                {
                    _hashes.Clear();
                    Volatile.Write(ref _count, 0);
                }
            }
        }

        if (_hashes.TryAdd(node, hash))
        {
            Interlocked.Increment(ref _count);
        }
    }
}
