using Ledger.Domain.Merkle;

namespace Ledger.Store.Tiles;

/// <summary>
/// Hashes of complete subtrees already read or computed for proofs, shared by every proof this store serves. The log is
/// append-only, so the hash of a complete subtree (every node a <see cref="ProofPlan"/> lists, and every node below
/// one) never changes once it exists: an entry never goes stale, and a proof built from the cache is the proof built
/// from the tiles. Bounded: past <see cref="BoundedCache{TKey, TValue}.Capacity"/> nodes (32 bytes each plus the
/// dictionary's overhead) it starts over.
/// </summary>
internal sealed class NodeHashCache(int capacity) : BoundedCache<NodeId, byte[]>(capacity);
