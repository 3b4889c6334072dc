namespace Ledger.Domain.Merkle;

/// <summary>
/// A node of the Merkle tree: the perfect subtree at height <paramref name="Level"/> covering leaves
/// [Index·2^Level, (Index+1)·2^Level). Level 0 nodes are leaves.
/// </summary>
/// <remarks>
/// <para>Invariants (checked on construction): 0 ≤ Level ≤ 62, 0 ≤ Index, and the covered range ends at or
/// below <see cref="long.MaxValue"/>, the largest tree size.</para>
/// <para>An immutable value; thread-safe. Same coordinates as transparency-dev/merkle's <c>compact.NodeID</c>.</para>
/// </remarks>
/// <param name="Level">The height above the leaves.</param>
/// <param name="Index">The horizontal position on its level, from the left, 0-based.</param>
public readonly record struct NodeId(int Level, long Index)
{
    /// <summary>The highest level a node of a tree with at most <see cref="long.MaxValue"/> leaves can have.</summary>
    public const int MaxLevel = 62;

    /// <summary>The height above the leaves.</summary>
    public int Level { get; } = CheckLevel(Level);

    /// <summary>The horizontal position on its level, from the left, 0-based.</summary>
    public long Index { get; } = CheckIndex(Level, Index);

    /// <summary>The first leaf under this node.</summary>
    public long Begin => Index << Level;

    /// <summary>One past the last leaf under this node.</summary>
    public long End => (Index + 1) << Level;

    /// <summary>The number of leaves under this node, 2^Level.</summary>
    public long LeafCount => 1L << Level;

    /// <summary>The node one level up whose subtree contains this one.</summary>
    public NodeId Parent() => new(Level + 1, Index >> 1);

    /// <summary>The other child of this node's parent.</summary>
    public NodeId Sibling() => new(Level, Index ^ 1);

    private static int CheckLevel(int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        return level;
    }

    private static long CheckIndex(int level, long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        // (index + 1) · 2^level must not exceed long.MaxValue.
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, long.MaxValue >> CheckLevel(level));
        return index;
    }
}
