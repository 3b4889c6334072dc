namespace Ledger.Domain.Merkle;

/// <summary>Which kind of Merkle proof a <see cref="MerkleFailure"/> is about.</summary>
public enum MerkleProofKind
{
    /// <summary>An inclusion proof of a leaf in a tree (RFC 9162 §2.1.3).</summary>
    Inclusion = 1,

    /// <summary>A consistency proof between two tree sizes (RFC 9162 §2.1.4).</summary>
    Consistency = 2,

    /// <summary>An inclusion proof of a leaf in a subtree [start, end).</summary>
    SubtreeInclusion = 3,

    /// <summary>A proof that the subtree [start, end) is part of a tree.</summary>
    SubtreeConsistency = 4,
}
