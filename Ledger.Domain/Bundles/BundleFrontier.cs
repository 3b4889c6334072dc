using System.Globalization;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Bundles;

/// <summary>
/// The right border of the tree of the first <see cref="Size"/> leaves (the hashes a
/// <see cref="CompactRange"/> keeps, largest subtree first): with it a full bundle that starts at position
/// <see cref="Size"/> recomputes every later root without the earlier entries.
/// </summary>
/// <param name="Size">The tree size, the bundle's <c>from</c> (at least 1).</param>
/// <param name="Hashes">popcount(<paramref name="Size"/>) hashes of 32 bytes, largest subtree first.</param>
/// <remarks>
/// Nothing signs the frontier itself: the first checkpoint after it, whose root the verifier recomputes from the
/// frontier and the entries, authenticates it (a wrong frontier gives a wrong root). Immutable and thread-safe.
/// </remarks>
public sealed record BundleFrontier(long Size, IReadOnlyList<byte[]> Hashes) : BundleRecord
{
    /// <inheritdoc />
    public override string RecordName => "frontier";

    /// <summary>
    /// Rebuilds the frontier of a tree of <paramref name="size"/> leaves from its last leaf and that leaf's inclusion
    /// proof in the same tree (what any log serves): the proof's lowest hashes fold into the smallest border subtree,
    /// the others are the larger border subtrees, smallest first.
    /// </summary>
    /// <param name="size">The tree size, at least 1.</param>
    /// <param name="lastLeafHash">The leaf hash of position <paramref name="size"/> − 1.</param>
    /// <param name="proof">The inclusion proof of leaf <paramref name="size"/> − 1 in the tree of <paramref name="size"/> leaves.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The proof or the leaf hash has the wrong length.</exception>
    public static BundleFrontier FromLastLeaf(long size, ReadOnlySpan<byte> lastLeafHash, IReadOnlyList<byte[]> proof)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentNullException.ThrowIfNull(proof);
        if (lastLeafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException("A leaf hash has 32 bytes.", nameof(lastLeafHash));
        }

        var lowest = long.TrailingZeroCount(size);
        var expected = (int)lowest + (int)long.PopCount(size) - 1;
        if (proof.Count != expected || proof.Any(h => h is null || h.Length != MerkleHash.Size))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The inclusion proof of the last leaf of a tree of {size} leaves has {expected} hashes of 32 bytes; got {proof.Count}."),
                nameof(proof));
        }

        var node = lastLeafHash.ToArray();
        for (var i = 0; i < lowest; i++)
        {
            node = MerkleHash.HashChildren(proof[i], node);
        }

        var hashes = new List<byte[]>(expected + 1);
        for (var i = proof.Count - 1; i >= lowest; i--)
        {
            hashes.Add(proof[i]);
        }

        hashes.Add(node);
        return new BundleFrontier(size, hashes);
    }
}
