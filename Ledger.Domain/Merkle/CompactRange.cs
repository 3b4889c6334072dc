using System.Globalization;

namespace Ledger.Domain.Merkle;

/// <summary>
/// The Merkle tree of a log kept as its right border only: the roots of the perfect subtrees covering
/// leaves [0, <see cref="Size"/>), one per set bit of the size, largest first. Appending a leaf costs O(log n)
/// hashes and memory stays O(log n), so a log of any size can be rooted, resumed and extended.
/// </summary>
/// <remarks>
/// <para>A port of transparency-dev/merkle's <c>compact.Range</c> for ranges starting at leaf 0. Invariants:
/// <see cref="Hashes"/> has exactly popcount(<see cref="Size"/>) entries, entry i being the root of
/// <see cref="BorderNodes"/>(Size)[i]; <see cref="Root"/> equals RFC 6962 MTH of the leaves.</para>
/// <para>Not thread-safe: an instance may be read concurrently, but appends need exclusive access.</para>
/// </remarks>
public sealed class CompactRange
{
    // A size below 2^63 has at most 63 set bits.
    private const int MaxHashes = 63;

    private readonly byte[] _border = new byte[MaxHashes * MerkleHash.Size];
    private int _count;

    /// <summary>Creates the range of the empty tree.</summary>
    public CompactRange()
    {
    }

    /// <summary>The number of leaves appended so far.</summary>
    public long Size { get; private set; }

    /// <summary>
    /// The right-border hashes, largest subtree first (copies). Persist these with <see cref="Size"/> to resume
    /// with <see cref="FromHashes"/>.
    /// </summary>
    public IReadOnlyList<byte[]> Hashes
    {
        get
        {
            var hashes = new byte[_count][];
            for (var i = 0; i < _count; i++)
            {
                hashes[i] = Slot(i).ToArray();
            }

            return hashes;
        }
    }

    /// <summary>Recreates a range from its size and right-border hashes, as returned by <see cref="Hashes"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    /// <exception cref="ArgumentException">The number of hashes is not popcount(size), or a hash is not 32 bytes.</exception>
    public static CompactRange FromHashes(long size, IReadOnlyList<byte[]> hashes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentNullException.ThrowIfNull(hashes);
        var expected = TreeMath.OnesCount(size);
        if (hashes.Count != expected)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A range of size {size} has {expected} border hashes; got {hashes.Count}."),
                nameof(hashes));
        }

        var range = new CompactRange();
        for (var i = 0; i < hashes.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(hashes[i], nameof(hashes));
            if (hashes[i].Length != MerkleHash.Size)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Border hash {i} has {hashes[i].Length} bytes; a hash has {MerkleHash.Size}."),
                    nameof(hashes));
            }

            hashes[i].CopyTo(range.Slot(i));
        }

        range._count = expected;
        range.Size = size;
        return range;
    }

    /// <summary>The ids of the right-border subtrees of a tree of <paramref name="size"/> leaves, largest first (the order of <see cref="Hashes"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    public static IReadOnlyList<NodeId> BorderNodes(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var ids = new List<NodeId>(TreeMath.OnesCount(size));
        TreeMath.AppendRangeNodes(0, size, ids);
        return ids.AsReadOnly();
    }

    /// <summary>
    /// Appends one leaf. <paramref name="onNode"/>, when given, is called for every complete node this creates, the
    /// leaf itself (level 0) first, then each parent completed by it, bottom-up, each with a fresh array.
    /// </summary>
    /// <remarks>If <paramref name="onNode"/> throws, the range is left unchanged.</remarks>
    /// <exception cref="ArgumentException"><paramref name="leafHash"/> is not 32 bytes.</exception>
    /// <exception cref="InvalidOperationException">The range already holds <see cref="long.MaxValue"/> leaves.</exception>
    public void Append(ReadOnlySpan<byte> leafHash, Action<NodeId, byte[]>? onNode = null)
    {
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The leaf hash has {leafHash.Length} bytes; a hash has {MerkleHash.Size}."),
                nameof(leafHash));
        }

        if (Size == long.MaxValue)
        {
            throw new InvalidOperationException("The range holds the largest possible number of leaves.");
        }

        var index = Size;
        onNode?.Invoke(new NodeId(0, index), leafHash.ToArray());

        // Each trailing one bit of the old size is a left sibling waiting for this leaf's subtree.
        Span<byte> node = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(node);
        var merges = 0;
        for (var n = index; (n & 1) == 1; n >>= 1)
        {
            merges++;
            MerkleHash.HashChildren(Slot(_count - merges), node, node);
            onNode?.Invoke(new NodeId(merges, n >> 1), node.ToArray());
        }

        _count -= merges;
        node.CopyTo(Slot(_count));
        _count++;
        Size = index + 1;
    }

    /// <summary>The root hash, RFC 6962 MTH(D[0:Size]); SHA-256 of the empty string for the empty tree.</summary>
    public byte[] Root()
    {
        if (_count == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        var root = Slot(_count - 1).ToArray();
        for (var i = _count - 2; i >= 0; i--)
        {
            MerkleHash.HashChildren(Slot(i), root, root);
        }

        return root;
    }

    /// <summary>An independent copy of this range.</summary>
    public CompactRange Clone()
    {
        var copy = new CompactRange { Size = Size, _count = _count };
        _border.AsSpan(0, _count * MerkleHash.Size).CopyTo(copy._border);
        return copy;
    }

    private Span<byte> Slot(int i) => _border.AsSpan(i * MerkleHash.Size, MerkleHash.Size);
}
