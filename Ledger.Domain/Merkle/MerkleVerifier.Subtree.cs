namespace Ledger.Domain.Merkle;

public static partial class MerkleVerifier
{
    /// <summary>
    /// Checks that <paramref name="leafHash"/> is leaf <paramref name="index"/> of the subtree [<paramref name="start"/>,
    /// <paramref name="end"/>) whose root is <paramref name="subtreeRoot"/> (transparency-dev/merkle <c>VerifySubtreeInclusion</c>).
    /// </summary>
    /// <remarks>start must be a multiple of the smallest power of two at or above end − start.</remarks>
    public static MerkleCheck VerifySubtreeInclusion(
        long index, long start, long end, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> subtreeRoot)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var context = ProofContext.SubtreeInclusion(index, start, end, proof.Count);
        if (!TreeMath.IsValidSubtree(start, end))
        {
            return InvalidSubtree(context, start, end);
        }

        if (index < start || index >= end)
        {
            return context.Fail(MerkleFailureCode.IndexOutOfRange, $"leaf index {index} is not in [{start}, {end})");
        }

        Span<byte> calculated = stackalloc byte[MerkleHash.Size];
        return RootFromInclusion(context, index - start, end - start, leafHash, proof, calculated)
            ?? Match(context, "subtree root", subtreeRoot, calculated);
    }

    /// <summary>
    /// Checks that the subtree [<paramref name="start"/>, <paramref name="end"/>) with root <paramref name="subtreeRoot"/> is
    /// part of the tree of <paramref name="size"/> leaves with <paramref name="root"/>
    /// (transparency-dev/merkle <c>VerifySubtreeConsistency</c>).
    /// </summary>
    /// <remarks>Requires a non-empty subtree, start a multiple of the smallest power of two at or above end − start, and end ≤ size.</remarks>
    public static MerkleCheck VerifySubtreeConsistency(
        long start, long end, long size, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> subtreeRoot, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var context = ProofContext.SubtreeConsistency(start, end, size, proof.Count);
        if (!TreeMath.IsValidSubtree(start, end) || start == end)
        {
            return InvalidSubtree(context, start, end);
        }

        if (size < end)
        {
            return context.Fail(MerkleFailureCode.InvalidTreeSize, $"the subtree ends at {end}, past tree size {size}");
        }

        if (start == 0 && end == size)
        {
            return proof.Count != 0 ? context.ProofSize(0) : Match(context, "root", root, subtreeRoot);
        }

        Span<byte> calculated = stackalloc byte[MerkleHash.Size];
        return RootFromSubtreeConsistency(context, start, end, size, proof, subtreeRoot, "subtree root", calculated)
            ?? Match(context, "root", root, calculated);
    }

    private static MerkleFailure InvalidSubtree(in ProofContext context, long start, long end) =>
        context.Fail(
            MerkleFailureCode.InvalidSubtree,
            $"[{start}, {end}) is not a non-empty subtree: it needs 0 <= start < end, start a multiple of the smallest power of two at or above end - start");
}
