using System.Globalization;

namespace Ledger.Domain.Merkle;

/// <summary>
/// An in-memory Merkle tree that keeps every complete node: roots at any earlier size, and inclusion and
/// consistency proofs, built from <see cref="MerkleProofs"/> plans exactly as a store would.
/// </summary>
/// <remarks>
/// <para>Memory is O(n): about two 32-byte hashes per leaf. For tests, bundles and the offline verifier; the log
/// itself persists nodes through <see cref="CompactRange"/>'s node callback.</para>
/// <para>Not thread-safe: concurrent reads are safe, appends need exclusive access.</para>
/// </remarks>
public sealed class MerkleTree
{
    private readonly List<List<byte[]>> _levels = [];
    private readonly CompactRange _range = new();
    private readonly Action<NodeId, byte[]> _store;

    /// <summary>Creates an empty tree.</summary>
    public MerkleTree()
    {
        _store = Store;
    }

    /// <summary>The number of leaves.</summary>
    public long Size => _range.Size;

    /// <summary>Appends a leaf by its hash.</summary>
    /// <exception cref="ArgumentException"><paramref name="leafHash"/> is not 32 bytes.</exception>
    public void Append(ReadOnlySpan<byte> leafHash) => _range.Append(leafHash, _store);

    /// <summary>Appends a leaf by its entry bytes and returns its leaf hash, SHA-256(0x00 ‖ entry).</summary>
    public byte[] AppendEntry(ReadOnlySpan<byte> entry)
    {
        var leafHash = MerkleHash.HashLeaf(entry);
        Append(leafHash);
        return leafHash;
    }

    /// <summary>The current root hash.</summary>
    public byte[] Root() => _range.Root();

    /// <summary>The root hash of the tree formed by the first <paramref name="size"/> leaves.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 ≤ size ≤ <see cref="Size"/>.</exception>
    public byte[] Root(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, Size);
        return CompactRange.FromHashes(size, Fetch(CompactRange.BorderNodes(size))).Root();
    }

    /// <summary>The hash of a complete node (a copy).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The node is not complete in the current tree.</exception>
    public byte[] NodeHash(NodeId node)
    {
        if (node.Level >= _levels.Count || node.Index >= _levels[node.Level].Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(node),
                node,
                string.Create(CultureInfo.InvariantCulture, $"The node covering leaves [{node.Begin}, {node.End}) is not complete in a tree of size {Size}."));
        }

        return (byte[])_levels[node.Level][(int)node.Index].Clone();
    }

    /// <summary>The hash of leaf <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 ≤ index &lt; <see cref="Size"/>.</exception>
    public byte[] LeafHash(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Size);
        return NodeHash(new NodeId(0, index));
    }

    /// <summary>The inclusion proof of leaf <paramref name="index"/> in the tree of the first <paramref name="size"/> leaves.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 ≤ index &lt; size ≤ <see cref="Size"/>.</exception>
    public IReadOnlyList<byte[]> InclusionProof(long index, long size)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, Size);
        return Build(MerkleProofs.Inclusion(index, size));
    }

    /// <summary>The consistency proof from the first <paramref name="size1"/> leaves to the first <paramref name="size2"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 &lt; size1 ≤ size2 ≤ <see cref="Size"/>.</exception>
    public IReadOnlyList<byte[]> ConsistencyProof(long size1, long size2)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size2, Size);
        return Build(MerkleProofs.Consistency(size1, size2));
    }

    private IReadOnlyList<byte[]> Build(ProofPlan plan) => plan.Rehash(Fetch(plan.Nodes));

    private byte[][] Fetch(IReadOnlyList<NodeId> nodes)
    {
        var hashes = new byte[nodes.Count][];
        for (var i = 0; i < nodes.Count; i++)
        {
            hashes[i] = _levels[nodes[i].Level][(int)nodes[i].Index];
        }

        return hashes;
    }

    private void Store(NodeId node, byte[] hash)
    {
        if (node.Level == _levels.Count)
        {
            _levels.Add([]);
        }

        // Nodes complete left to right on each level, so the index is always the next slot.
        _levels[node.Level].Add(hash);
    }
}
