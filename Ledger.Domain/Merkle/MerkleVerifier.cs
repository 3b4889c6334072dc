namespace Ledger.Domain.Merkle;

/// <summary>
/// Verifies inclusion and consistency proofs (RFC 9162 §2.1.3.2 and §2.1.4.2) with transparency-dev/merkle
/// semantics, returning a <see cref="MerkleCheck"/> that carries the evidence of any failure.
/// </summary>
/// <remarks>
/// <para>A port of transparency-dev/merkle <c>proof/verify.go</c>. Rules beyond the arithmetic: the leaf hash and
/// every proof hash must be 32 bytes; a consistency proof from size 0 is rejected; between equal sizes the proof
/// must be empty and the two roots equal. Roots are compared as given (any length).</para>
/// <para>A bad proof is an expected outcome and is returned as a <see cref="MerkleFailure"/>; only a null proof list
/// throws. Pure and thread-safe; allocates nothing on success beyond the result.</para>
/// </remarks>
public static partial class MerkleVerifier
{
    /// <summary>Checks that <paramref name="leafHash"/> is leaf <paramref name="index"/> of the tree of <paramref name="size"/> leaves with <paramref name="root"/>.</summary>
    /// <param name="index">The 0-based leaf index.</param>
    /// <param name="size">The tree size the proof was made for.</param>
    /// <param name="leafHash">The leaf hash, SHA-256(0x00 ‖ entry).</param>
    /// <param name="proof">The audit path, lowest level first.</param>
    /// <param name="root">The trusted root of the tree of <paramref name="size"/> leaves.</param>
    public static MerkleCheck VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var context = ProofContext.Inclusion(index, size, proof.Count);
        Span<byte> calculated = stackalloc byte[MerkleHash.Size];
        return RootFromInclusion(context, index, size, leafHash, proof, calculated)
            ?? Match(context, "root", root, calculated);
    }

    /// <summary>Calculates the root that an inclusion proof leads to, without comparing it to anything.</summary>
    /// <returns>The 32-byte root of the tree of <paramref name="size"/> leaves, if the proof is genuine.</returns>
    /// <exception cref="ArgumentException">The index is outside the tree, the leaf hash or a proof hash is not 32 bytes,
    /// or the proof has the wrong length; the message is that of the corresponding <see cref="MerkleFailure"/>.</exception>
    public static byte[] RootFromInclusionProof(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var context = ProofContext.Inclusion(index, size, proof.Count);
        var root = new byte[MerkleHash.Size];
        var failure = RootFromInclusion(context, index, size, leafHash, proof, root);
        return failure is null ? root : throw new ArgumentException(failure.ToString(), nameof(proof));
    }

    /// <summary>
    /// Checks that the tree of <paramref name="size1"/> leaves with <paramref name="root1"/> is a prefix of the tree of
    /// <paramref name="size2"/> leaves with <paramref name="root2"/>.
    /// </summary>
    /// <param name="size1">The smaller tree size, at least 1.</param>
    /// <param name="size2">The larger tree size.</param>
    /// <param name="proof">The consistency proof as RFC 6962 <c>PROOF(size1, D[size2])</c>.</param>
    /// <param name="root1">The trusted root at <paramref name="size1"/>.</param>
    /// <param name="root2">The trusted root at <paramref name="size2"/>.</param>
    public static MerkleCheck VerifyConsistency(long size1, long size2, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var context = ProofContext.Consistency(size1, size2, proof.Count);
        if (size1 < 0 || size2 < size1)
        {
            return context.Fail(MerkleFailureCode.InvalidTreeSize, $"tree sizes {size1} and {size2} do not satisfy 0 <= size1 <= size2");
        }

        if (size1 == 0)
        {
            return context.Fail(MerkleFailureCode.ConsistencyFromEmptyTree, $"a consistency proof from the empty tree is meaningless");
        }

        if (size1 == size2)
        {
            return proof.Count != 0 ? context.ProofSize(0) : Match(context, "root", root2, root1);
        }

        Span<byte> calculated = stackalloc byte[MerkleHash.Size];
        return RootFromSubtreeConsistency(context, 0, size1, size2, proof, root1, "first root", calculated)
            ?? Match(context, "second root", root2, calculated);
    }

    private static MerkleFailure? RootFromInclusion(
        in ProofContext context, long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, Span<byte> result)
    {
        if (size < 0)
        {
            return context.Fail(MerkleFailureCode.InvalidTreeSize, $"tree size {size} is negative");
        }

        if (index < 0 || index >= size)
        {
            return context.Fail(MerkleFailureCode.IndexOutOfRange, $"leaf index {index} is not in [0, {size})");
        }

        if (leafHash.Length != MerkleHash.Size)
        {
            return context.Fail(MerkleFailureCode.LeafHashSize, $"the leaf hash has {leafHash.Length} bytes; it must have {MerkleHash.Size}");
        }

        var (inner, border) = DecomposeInclusionProof(index, size);
        if (proof.Count != inner + border)
        {
            return context.ProofSize(inner + border);
        }

        if (CheckProofHashes(context, proof) is { } badHash)
        {
            return badHash;
        }

        var chain = new HashChain(leafHash, result);
        chain.Inner(proof, 0, inner, index);
        chain.BorderRight(proof, inner, border);
        chain.Finish();
        return null;
    }

    /// <summary>
    /// Calculates the root of the tree of <paramref name="size"/> leaves from the root of the subtree [start, end)
    /// and a proof, checking on the way that the proof reproduces the subtree root. Requires a valid, non-empty
    /// subtree with end ≤ size and not (start = 0 and end = size).
    /// </summary>
    private static MerkleFailure? RootFromSubtreeConsistency(
        in ProofContext context, long start, long end, long size, IReadOnlyList<byte[]> proof,
        ReadOnlySpan<byte> subtreeRoot, string subtreeRootName, Span<byte> result)
    {
        if (end == size)
        {
            // The subtree is on the right border: its root needs one left sibling for each level where an ancestor
            // is a right child.
            var height = TreeMath.BitLength((end - 1) ^ start);
            var want = TreeMath.OnesCount(start >> height);
            if (proof.Count != want)
            {
                return context.ProofSize(want);
            }

            if (CheckProofHashes(context, proof) is { } badHash)
            {
                return badHash;
            }

            var border = new HashChain(subtreeRoot, result);
            border.BorderRight(proof, 0, want);
            border.Finish();
            return null;
        }

        // Split the proof where the paths to leaves end-1 and size-1 diverge. It starts at the level of the
        // rightmost perfect subtree within [start, end).
        var (forkLevel, borderCount) = DecomposeInclusionProof(end - 1, size);
        var shift = TreeMath.TrailingZeros(end - start);
        var inner = forkLevel - shift;

        // The proof begins with the root of that rightmost perfect subtree, unless it is the whole subtree, whose
        // root the verifier already has.
        var perfect = end - start == 1L << shift;
        var first = perfect ? 0 : 1;
        if (proof.Count != first + inner + borderCount)
        {
            return context.ProofSize(first + inner + borderCount);
        }

        if (CheckProofHashes(context, proof) is { } badProofHash)
        {
            return badProofHash;
        }

        var seed = perfect ? subtreeRoot : (ReadOnlySpan<byte>)proof[0];
        var mask = (end - 1) >> shift;
        if (!perfect)
        {
            // Some proof nodes lie inside the subtree: they must hash to the subtree root.
            var height = TreeMath.BitLength((end - 1) ^ start);
            var subInner = Math.Min(height, forkLevel) - shift;
            var subBorder = Math.Max(0, borderCount - TreeMath.OnesCount((end - 1) >> height));
            Span<byte> scratch = stackalloc byte[MerkleHash.Size];
            var older = new HashChain(seed, scratch);
            older.InnerRight(proof, first, subInner, mask);
            older.BorderRight(proof, first + inner, subBorder);
            if (!older.Current.SequenceEqual(subtreeRoot))
            {
                return context.Mismatch(MerkleFailureCode.FirstRootMismatch, subtreeRootName, subtreeRoot, older.Current);
            }
        }

        var newer = new HashChain(seed, result);
        newer.Inner(proof, first, inner, mask);
        newer.BorderRight(proof, first + inner, borderCount);
        newer.Finish();
        return null;
    }

    /// <summary>
    /// Splits the inclusion proof of <paramref name="index"/> in a tree of <paramref name="size"/> leaves where the
    /// paths to <paramref name="index"/> and size−1 diverge: inner hashes (left or right siblings) below, border
    /// hashes (left siblings only) above.
    /// </summary>
    private static (int Inner, int Border) DecomposeInclusionProof(long index, long size)
    {
        var inner = TreeMath.BitLength(index ^ (size - 1));
        return (inner, TreeMath.OnesCount(index >> inner));
    }

    private static MerkleFailure? CheckProofHashes(in ProofContext context, IReadOnlyList<byte[]> proof)
    {
        for (var i = 0; i < proof.Count; i++)
        {
            var length = proof[i]?.Length ?? 0;
            if (length != MerkleHash.Size)
            {
                return context.Fail(MerkleFailureCode.ProofHashSize, $"proof hash {i} has {length} bytes; it must have {MerkleHash.Size}")
                    with
                { ProofPosition = i };
            }
        }

        return null;
    }

    private static MerkleCheck Match(in ProofContext context, string what, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> calculated) =>
        expected.SequenceEqual(calculated)
            ? MerkleCheck.Ok
            : context.Mismatch(MerkleFailureCode.RootMismatch, what, expected, calculated);
}
