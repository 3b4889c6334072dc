using System.Buffers.Binary;
using System.Globalization;
using Ledger.Domain.Merkle;

// Lineage types live in Ledger.Domain.Executions: a namespace Ledger.Domain.Lineage would hide the
// Lineage rules class from every caller inside Ledger.Domain.*.
namespace Ledger.Domain.Executions;

/// <summary>
/// The lineage digest carried by <c>execution.proof-persisted.v1</c> (docs/FORMAT.md §8): the RFC 6962
/// Merkle root over one leaf per event of a lineage tree, in log position order, where each leaf binds the
/// event's position and leaf hash to its execution and that execution's parent in the tree.
/// </summary>
/// <remarks>
/// <para>Removing a node removes its leaves, moving a node to another parent changes its leaves, adding or
/// dropping an event changes the leaf list: each gives another digest. The order in which nodes and events
/// are passed does not matter.</para>
/// <para>Shape rules, checked before hashing (<see cref="ArgumentException"/>): at least one node; distinct
/// execution ids; exactly one root (<see cref="LineageNode.Parent"/> null); every other node's parent is a
/// node of the tree and every node is reachable from the root (no cycles); every node has at least one event;
/// positions are distinct across the tree.</para>
/// <para>Pure and thread-safe.</para>
/// </remarks>
public static class LineageDigest
{
    /// <summary>The prefix of the digest's text form.</summary>
    public const string Prefix = "sha256:";

    /// <summary>Bytes of a leaf before the two execution ids: position (8) and leaf hash (32).</summary>
    private const int FixedLeafBytes = 8 + MerkleHash.Size;

    /// <summary>
    /// The leaf data of one event: position as unsigned 64-bit big-endian, the 32-byte leaf hash, a length
    /// byte and the ASCII execution id, a length byte and the ASCII parent id (length 0 for the root).
    /// </summary>
    /// <param name="position">The event's log position.</param>
    /// <param name="leafHash">The entry's leaf hash (32 bytes).</param>
    /// <param name="execution">The execution the event belongs to.</param>
    /// <param name="parent">The execution's parent in the tree; null for the root.</param>
    public static byte[] LeafData(long position, ReadOnlySpan<byte> leafHash, ExecutionId execution, ExecutionId? parent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"A leaf hash is {MerkleHash.Size} bytes, not {leafHash.Length}.", nameof(leafHash));
        }

        var id = execution.Value;
        var parentId = parent?.Value ?? string.Empty;
        var data = new byte[FixedLeafBytes + 1 + id.Length + 1 + parentId.Length];
        BinaryPrimitives.WriteUInt64BigEndian(data, (ulong)position);
        leafHash.CopyTo(data.AsSpan(8));
        var at = FixedLeafBytes;
        at = WriteId(data, at, id);
        WriteId(data, at, parentId);
        return data;
    }

    /// <summary>The digest's 32-byte Merkle root.</summary>
    /// <exception cref="ArgumentException">The nodes do not form one tree as the remarks state.</exception>
    public static byte[] ComputeRoot(IEnumerable<LineageNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var list = nodes.ToList();
        CheckShape(list);
        var leaves = new List<(long Position, byte[] Data)>();
        foreach (var node in list)
        {
            foreach (var e in node.Events)
            {
                leaves.Add((e.Position, LeafData(e.Position, e.LeafHash, node.ExecutionId, node.Parent)));
            }
        }

        leaves.Sort((a, b) => a.Position.CompareTo(b.Position));
        var range = new CompactRange();
        Span<byte> hash = stackalloc byte[MerkleHash.Size];
        for (var i = 0; i < leaves.Count; i++)
        {
            if (i > 0 && leaves[i].Position == leaves[i - 1].Position)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Position {leaves[i].Position} occurs twice in the lineage tree."), nameof(nodes));
            }

            MerkleHash.HashLeaf(leaves[i].Data, hash);
            range.Append(hash);
        }

        return range.Root();
    }

    /// <summary>The digest in its text form, <c>sha256:</c> and 64 lowercase hex digits.</summary>
    /// <exception cref="ArgumentException">The nodes do not form one tree as the remarks state.</exception>
    public static string Compute(IEnumerable<LineageNode> nodes) => Prefix + Convert.ToHexStringLower(ComputeRoot(nodes));

    private static int WriteId(byte[] data, int at, string id)
    {
        data[at++] = checked((byte)id.Length);
        foreach (var c in id)
        {
            data[at++] = (byte)c; // Execution ids are ASCII by construction.
        }

        return at;
    }

    private static void CheckShape(List<LineageNode> nodes)
    {
        if (nodes.Count == 0)
        {
            throw new ArgumentException("A lineage tree has at least one node.", nameof(nodes));
        }

        var children = new Dictionary<ExecutionId, List<ExecutionId>>();
        ExecutionId? root = null;
        foreach (var node in nodes)
        {
            ArgumentNullException.ThrowIfNull(node, nameof(nodes));
            ArgumentNullException.ThrowIfNull(node.Events, nameof(nodes));
            if (!children.TryAdd(node.ExecutionId, []))
            {
                throw new ArgumentException($"Execution '{node.ExecutionId}' occurs twice in the lineage tree.", nameof(nodes));
            }

            if (node.Events.Count == 0)
            {
                throw new ArgumentException($"Execution '{node.ExecutionId}' has no events.", nameof(nodes));
            }

            if (node.Parent is null)
            {
                if (root is not null)
                {
                    throw new ArgumentException($"The lineage tree has two roots, '{root}' and '{node.ExecutionId}'.", nameof(nodes));
                }

                root = node.ExecutionId;
            }
        }

        if (root is null)
        {
            throw new ArgumentException("The lineage tree has no root (a node without parent).", nameof(nodes));
        }

        foreach (var node in nodes.Where(n => n.Parent is not null))
        {
            if (!children.TryGetValue(node.Parent!.Value, out var siblings))
            {
                throw new ArgumentException($"The parent '{node.Parent}' of '{node.ExecutionId}' is not in the lineage tree.", nameof(nodes));
            }

            siblings.Add(node.ExecutionId);
        }

        var reached = new HashSet<ExecutionId> { root.Value };
        var queue = new Queue<ExecutionId>([root.Value]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var child in children[current].Where(reached.Add))
            {
                queue.Enqueue(child);
            }
        }

        if (reached.Count != nodes.Count)
        {
            var stray = nodes.First(n => !reached.Contains(n.ExecutionId)).ExecutionId;
            throw new ArgumentException($"Execution '{stray}' is not reachable from the root '{root}': its parents form a cycle.", nameof(nodes));
        }
    }
}
