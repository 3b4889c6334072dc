namespace Ledger.Domain.Merkle;

/// <summary>
/// A Merkle proof that did not verify, with its evidence: the proof kind and sizes, the leaf index, the proof
/// length (and the length it should have had), and for a mismatch the expected and calculated hashes, as
/// transparency-dev/merkle's <c>RootMismatchError</c>.
/// </summary>
/// <remarks>
/// <para>Which members are set depends on the kind: inclusion sets <see cref="Index"/> and <see cref="TreeSize"/>;
/// consistency sets <see cref="FromSize"/> and <see cref="TreeSize"/>; subtree inclusion sets <see cref="Index"/>,
/// <see cref="SubtreeStart"/> and <see cref="SubtreeEnd"/>; subtree consistency sets the subtree bounds and
/// <see cref="TreeSize"/>. The hash arrays are private copies; record equality compares them by reference.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed record MerkleFailure : MerkleCheck
{
    internal MerkleFailure(MerkleFailureCode code, string message, in ProofContext context)
    {
        Code = code;
        Message = message;
        Proof = context.Kind;
        Index = context.Index;
        TreeSize = context.TreeSize;
        FromSize = context.FromSize;
        SubtreeStart = context.SubtreeStart;
        SubtreeEnd = context.SubtreeEnd;
        ProofLength = context.ProofLength;
    }

    /// <inheritdoc />
    public override bool IsValid => false;

    /// <summary>Why the proof failed.</summary>
    public MerkleFailureCode Code { get; }

    /// <summary>The stable wire name of <see cref="Code"/>, such as <c>merkle.root-mismatch</c>.</summary>
    public string CodeName => NameOf(Code);

    /// <summary>The code name and the message, such as <c>merkle.proof-size: the proof has 2 hashes; …</c>.</summary>
    public override string ToString() => CodeName + ": " + Message;

    internal static string NameOf(MerkleFailureCode code) => code switch
    {
        MerkleFailureCode.IndexOutOfRange => "merkle.index-out-of-range",
        MerkleFailureCode.InvalidTreeSize => "merkle.invalid-tree-size",
        MerkleFailureCode.ConsistencyFromEmptyTree => "merkle.consistency-from-empty-tree",
        MerkleFailureCode.InvalidSubtree => "merkle.invalid-subtree",
        MerkleFailureCode.LeafHashSize => "merkle.leaf-hash-size",
        MerkleFailureCode.ProofHashSize => "merkle.proof-hash-size",
        MerkleFailureCode.ProofSize => "merkle.proof-size",
        MerkleFailureCode.RootMismatch => "merkle.root-mismatch",
        MerkleFailureCode.FirstRootMismatch => "merkle.first-root-mismatch",
        _ => throw new System.Diagnostics.UnreachableException($"Unknown Merkle failure code {code}."),
    };

    /// <summary>A sentence naming the offending values (invariant culture).</summary>
    public string Message { get; }

    /// <summary>The kind of proof that failed.</summary>
    public MerkleProofKind Proof { get; }

    /// <summary>The leaf index, for (subtree) inclusion proofs.</summary>
    public long? Index { get; }

    /// <summary>The tree size: of the tree for inclusion, of the second (larger) tree for consistency.</summary>
    public long? TreeSize { get; }

    /// <summary>The first (smaller) tree size, for consistency proofs.</summary>
    public long? FromSize { get; }

    /// <summary>The first leaf of the subtree, for subtree proofs.</summary>
    public long? SubtreeStart { get; }

    /// <summary>One past the last leaf of the subtree, for subtree proofs.</summary>
    public long? SubtreeEnd { get; }

    /// <summary>The number of hashes in the proof as given.</summary>
    public int ProofLength { get; }

    /// <summary>The number of hashes the proof should have had, for <see cref="MerkleFailureCode.ProofSize"/>.</summary>
    public int? ExpectedProofLength { get; init; }

    /// <summary>The position in the proof of the offending hash, for <see cref="MerkleFailureCode.ProofHashSize"/>.</summary>
    public int? ProofPosition { get; init; }

    /// <summary>The hash the caller expected (the trusted root), for the mismatch codes.</summary>
    public byte[]? ExpectedHash { get; init; }

    /// <summary>The hash calculated from the proof, for the mismatch codes.</summary>
    public byte[]? CalculatedHash { get; init; }
}
