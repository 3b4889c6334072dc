namespace Ledger.Domain.Merkle;

/// <summary>
/// Plans inclusion and consistency proofs (RFC 9162 §2.1.3 and §2.1.4) without reading any storage: each
/// method returns the complete subtrees to fetch and how to fold them (a <see cref="ProofPlan"/>).
/// </summary>
/// <remarks>
/// <para>A port of transparency-dev/merkle <c>proof/proof.go</c>: the proof for a leaf consists of the siblings on
/// its path up to the point where that path leaves the right border of the tree, then the ephemeral node (if
/// any), then the left-border subtrees, bottom-up. The resulting proofs are byte-for-byte those of RFC 6962
/// <c>PATH</c> and <c>PROOF</c>. Planning costs O(log n) and touches no hash.</para>
/// <para>Pure and thread-safe. Invalid arguments are bugs in the caller and throw.</para>
/// </remarks>
public static class MerkleProofs
{
    /// <summary>Plans the inclusion proof of leaf <paramref name="index"/> in the tree of <paramref name="size"/> leaves.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 ≤ index &lt; size.</exception>
    public static ProofPlan Inclusion(long index, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
        return Plan(index, 0, size).SkipFirst().ToPlan();
    }

    /// <summary>Plans the consistency proof from the tree of <paramref name="size1"/> leaves to the tree of <paramref name="size2"/> leaves.</summary>
    /// <remarks>When the sizes are equal the proof is empty. A proof from the empty tree is meaningless and not offered.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 &lt; size1 ≤ size2.</exception>
    public static ProofPlan Consistency(long size1, long size2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size1, size2);
        return SubtreeConsistencyCore(0, size1, size2);
    }

    /// <summary>
    /// Plans the inclusion proof of leaf <paramref name="index"/> in the subtree [<paramref name="start"/>, <paramref name="end"/>),
    /// whose root the verifier knows (transparency-dev/merkle <c>SubtreeInclusion</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 ≤ start ≤ index &lt; end.</exception>
    /// <exception cref="ArgumentException">start is not a multiple of the smallest power of two not below end − start.</exception>
    public static ProofPlan SubtreeInclusion(long index, long start, long end)
    {
        RequireSubtree(start, end);
        ArgumentOutOfRangeException.ThrowIfLessThan(index, start);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, end);
        var plan = Plan(index - start, 0, end - start).SkipFirst();
        for (var i = 0; i < plan.Ids.Count; i++)
        {
            var id = plan.Ids[i];
            plan.Ids[i] = new NodeId(id.Level, id.Index + (start >> id.Level));
        }

        return plan.ToPlan();
    }

    /// <summary>
    /// Plans the proof that the subtree [<paramref name="start"/>, <paramref name="end"/>) is part of the tree of
    /// <paramref name="size"/> leaves (transparency-dev/merkle <c>SubtreeConsistency</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 ≤ start &lt; end ≤ size.</exception>
    /// <exception cref="ArgumentException">start is not a multiple of the smallest power of two not below end − start.</exception>
    public static ProofPlan SubtreeConsistency(long start, long end, long size)
    {
        RequireSubtree(start, end);
        ArgumentOutOfRangeException.ThrowIfEqual(end, start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, size);
        return SubtreeConsistencyCore(start, end, size);
    }

    private static ProofPlan SubtreeConsistencyCore(long start, long end, long size)
    {
        if (start == 0 && end == size)
        {
            return new ProofPlan([], 0, 0);
        }

        if (end == size)
        {
            // The subtree's root is the lowest common ancestor of its first and last leaves. Shift the tree down
            // by that height so the root becomes a leaf, prove it, and shift the proof back up.
            var level = TreeMath.BitLength((end - 1) ^ start);
            var index = (end - 1) >> level;
            var plan = Plan(index, 0, index + 1).SkipFirst();
            for (var i = 0; i < plan.Ids.Count; i++)
            {
                var id = plan.Ids[i];
                plan.Ids[i] = new NodeId(id.Level + level, id.Index);
            }

            return plan.ToPlan();
        }

        // The proof is the root of the largest perfect subtree of [start, end) ending at end, followed by its
        // inclusion proof in the tree of the given size. That root is omitted when it is the whole subtree,
        // because the verifier already knows it.
        var rightLevel = TreeMath.TrailingZeros(end - start);
        var rightIndex = (end - 1) >> rightLevel;
        var proof = Plan(rightIndex, rightLevel, size);
        var length = end - start;
        return ((length & (length - 1)) == 0 ? proof.SkipFirst() : proof).ToPlan();
    }

    /// <summary>The nodes proving that node (level, index) is in the tree of the given size, the node itself first.</summary>
    private static Draft Plan(long index, int level, long size)
    {
        // The fork is where the path from the root to (level, index) leaves the path to leaf `size`. Its sibling is
        // the ephemeral node: the root of the incomplete subtree on the right border.
        var inner = TreeMath.BitLength(index ^ (size >> level)) - 1;
        var fork = new NodeId(level + inner, index >> inner);
        var forkBegin = fork.Begin;
        var forkEnd = fork.End;
        var left = TreeMath.RangeSize(0, forkBegin);
        var right = TreeMath.RangeSize(forkEnd, size);

        var node = new NodeId(level, index);
        var ids = new List<NodeId>(1 + inner + right + left) { node };

        // Siblings along the path up to the fork.
        for (; node.Level < fork.Level; node = node.Parent())
        {
            ids.Add(node.Sibling());
        }

        // The complete subtrees of the ephemeral node, lowest level first so that Rehash can fold them upwards.
        var ephemeralBegin = ids.Count;
        TreeMath.AppendRangeNodes(forkEnd, size, ids);
        ids.Reverse(ids.Count - right, right);
        var ephemeralEnd = ids.Count;

        // The subtrees left of the fork, lowest level first, completing the cover of [0, size).
        TreeMath.AppendRangeNodes(0, forkBegin, ids);
        ids.Reverse(ids.Count - left, left);

        if (ephemeralBegin >= ephemeralEnd)
        {
            ephemeralBegin = ephemeralEnd = 0;
        }

        return new Draft(ids, ephemeralBegin, ephemeralEnd);
    }

    private static void RequireSubtree(long start, long end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        if (!TreeMath.IsValidSubtree(start, end))
        {
            throw new ArgumentException(
                string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"[{start}, {end}) is not a subtree: start must be a multiple of the smallest power of two at or above end - start."),
                nameof(start));
        }
    }

    private readonly record struct Draft(List<NodeId> Ids, int EphemeralBegin, int EphemeralEnd)
    {
        public Draft SkipFirst()
        {
            Ids.RemoveAt(0);
            return EphemeralBegin < EphemeralEnd ? new Draft(Ids, EphemeralBegin - 1, EphemeralEnd - 1) : this;
        }

        public ProofPlan ToPlan() => new([.. Ids], EphemeralBegin, EphemeralEnd);
    }
}
