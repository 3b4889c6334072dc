using System.Globalization;
using Ledger.Domain.Merkle;

namespace Ledger.Store.Tiles;

/// <summary>
/// Where complete subtrees live, as in c2sp.org/tlog-tiles: tile level L holds the hashes of tree
/// level 8·L in rows of 256; a node at level 8·L + k (k &lt; 8) is the perfect subtree over 2^k
/// consecutive hashes of one tile, rehashed on read. Tiles only ever grow at their right end, and
/// a node once complete never changes, so a tile read at any later time serves every smaller tree.
/// </summary>
internal static class TileLayout
{
    public const int Height = 8;
    public const int Width = 1 << Height;
    public const int HashSize = MerkleHash.Size;

    /// <summary>The tile holding the hashes <paramref name="node"/> is computed from.</summary>
    public static TileKey TileOf(NodeId node)
    {
        var level = node.Level / Height;
        var first = node.Index << (node.Level % Height);
        return new TileKey(level, first >> Height);
    }

    /// <summary>The distinct tiles needed to compute <paramref name="nodes"/>.</summary>
    public static IReadOnlyCollection<TileKey> TilesFor(IEnumerable<NodeId> nodes)
    {
        var keys = new HashSet<TileKey>();
        foreach (var node in nodes)
        {
            keys.Add(TileOf(node));
        }

        return keys;
    }

    /// <summary>Computes a complete node's hash from the tile holding its level-8·L descendants (<see cref="TileTree"/>).</summary>
    /// <exception cref="StoreCorruptedException">The tile is missing or does not hold the hashes the node needs.</exception>
    public static byte[] NodeHash(NodeId node, IReadOnlyDictionary<TileKey, byte[]> tiles)
    {
        var key = TileOf(node);
        return TileTree.Lazy(key, tiles.GetValueOrDefault(key) ?? []).Hash(node);
    }

    /// <summary>
    /// The partial (not yet full) rightmost tile of every tile level at <paramref name="size"/>, with
    /// the number of hashes it must hold.
    /// </summary>
    public static IReadOnlyList<(TileKey Key, int Width)> PartialTiles(long size)
    {
        var partials = new List<(TileKey, int)>();
        for (var level = 0; level * Height < 63 && (size >> (level * Height)) > 0; level++)
        {
            var count = size >> (level * Height);
            var width = (int)(count & (Width - 1));
            if (width != 0)
            {
                partials.Add((new TileKey(level, count >> Height), width));
            }
        }

        return partials;
    }
}
