using System.Collections.ObjectModel;
using System.Globalization;

namespace Ledger.Domain.Merkle;

/// <summary>
/// How to build one inclusion or consistency proof from stored nodes: the ids of the complete subtrees
/// to read (<see cref="Nodes"/>), and <see cref="Rehash"/> to fold their hashes into the proof.
/// </summary>
/// <remarks>
/// <para>A proof in a tree whose size is not a power of two can contain one ephemeral node: the root of an
/// incomplete subtree on the right border, which no store persists. The plan lists the complete subtrees
/// covering it instead (lowest level first), and <see cref="Rehash"/> hashes them together, exactly as
/// transparency-dev/merkle's <c>proof.Nodes</c> and <c>Nodes.Rehash</c>.</para>
/// <para>Immutable and thread-safe. Every listed node covers leaves below the tree size it was planned for.</para>
/// </remarks>
public sealed class ProofPlan
{
    private readonly NodeId[] _nodes;
    // _nodes[_ephemeralBegin.._ephemeralEnd] are folded into one ephemeral node; empty when there is none.
    private readonly int _ephemeralBegin;
    private readonly int _ephemeralEnd;

    internal ProofPlan(NodeId[] nodes, int ephemeralBegin, int ephemeralEnd)
    {
        _nodes = nodes;
        _ephemeralBegin = ephemeralBegin;
        _ephemeralEnd = ephemeralEnd;
        Nodes = new ReadOnlyCollection<NodeId>(nodes);
    }

    /// <summary>The complete subtrees whose hashes the proof needs, in the order <see cref="Rehash"/> takes them.</summary>
    public IReadOnlyList<NodeId> Nodes { get; }

    /// <summary>The number of hashes in the finished proof (the node count less the nodes folded away).</summary>
    public int ProofLength => _nodes.Length - Math.Max(0, _ephemeralEnd - _ephemeralBegin - 1);

    /// <summary>The positions in <see cref="Nodes"/> that are folded into the ephemeral node; empty when there is none.</summary>
    internal Range Ephemeral => _ephemeralBegin.._ephemeralEnd;

    /// <summary>
    /// Turns the hashes of <see cref="Nodes"/> (same order, same count) into the proof, hashing the nodes of the
    /// ephemeral node together. The input is not modified; the result holds fresh arrays.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="nodeHashes"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">The count differs from <see cref="Nodes"/>, or a hash is not 32 bytes.</exception>
    public IReadOnlyList<byte[]> Rehash(IReadOnlyList<byte[]> nodeHashes)
    {
        ArgumentNullException.ThrowIfNull(nodeHashes);
        if (nodeHashes.Count != _nodes.Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Got {nodeHashes.Count} node hashes; the plan lists {_nodes.Length} nodes."),
                nameof(nodeHashes));
        }

        for (var i = 0; i < nodeHashes.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(nodeHashes[i], nameof(nodeHashes));
            if (nodeHashes[i].Length != MerkleHash.Size)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"The hash of node {i} ({_nodes[i]}) has {nodeHashes[i].Length} bytes; a node hash has {MerkleHash.Size}."),
                    nameof(nodeHashes));
            }
        }

        var proof = new byte[ProofLength][];
        var cursor = 0;
        for (var i = 0; i < nodeHashes.Count; i++, cursor++)
        {
            var hash = (byte[])nodeHashes[i].Clone();
            if (i >= _ephemeralBegin && i < _ephemeralEnd)
            {
                // The nodes of the ephemeral node come lowest level first; each next one is a left sibling.
                for (i++; i < _ephemeralEnd; i++)
                {
                    MerkleHash.HashChildren(nodeHashes[i], hash, hash);
                }

                i--;
            }

            proof[cursor] = hash;
        }

        return proof;
    }
}
