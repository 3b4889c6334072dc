namespace Ledger.Domain.Merkle;

/// <summary>Why a Merkle proof did not verify. Names and values are stable; <see cref="MerkleFailure.CodeName"/> gives the wire form.</summary>
public enum MerkleFailureCode
{
    /// <summary>The leaf index lies outside the tree or subtree (<c>merkle.index-out-of-range</c>).</summary>
    IndexOutOfRange = 1,

    /// <summary>A size is negative, the second size is below the first, or a subtree ends past the tree (<c>merkle.invalid-tree-size</c>).</summary>
    InvalidTreeSize = 2,

    /// <summary>A consistency proof from the empty tree was asked for; it is meaningless (<c>merkle.consistency-from-empty-tree</c>).</summary>
    ConsistencyFromEmptyTree = 3,

    /// <summary>[start, end) is empty or not aligned as a subtree (<c>merkle.invalid-subtree</c>).</summary>
    InvalidSubtree = 4,

    /// <summary>The leaf hash is not 32 bytes (<c>merkle.leaf-hash-size</c>).</summary>
    LeafHashSize = 5,

    /// <summary>A hash in the proof is not 32 bytes (<c>merkle.proof-hash-size</c>).</summary>
    ProofHashSize = 6,

    /// <summary>The proof has the wrong number of hashes for its sizes and index (<c>merkle.proof-size</c>).</summary>
    ProofSize = 7,

    /// <summary>The root calculated from the proof differs from the expected root (<c>merkle.root-mismatch</c>).</summary>
    RootMismatch = 8,

    /// <summary>
    /// Consistency only: the proof does not reproduce the first (older, or subtree) root it starts from
    /// (<c>merkle.first-root-mismatch</c>).
    /// </summary>
    FirstRootMismatch = 9,
}
