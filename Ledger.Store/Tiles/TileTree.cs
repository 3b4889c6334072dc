using System.Globalization;
using Ledger.Domain.Merkle;

namespace Ledger.Store.Tiles;

/// <summary>
/// The complete nodes inside one tile: its hashes (tree level 8·L) and the seven levels above them, each hashed once
/// from its two children, so that every node a proof needs from this tile is read rather than rehashed.
/// </summary>
/// <remarks>
/// A proof needs one node per level; from one tile that is the siblings at levels 8·L to 8·L + 7, which take 247 of
/// the 255 hashes of the whole tile. Expanding the tile therefore costs a single proof no more than computing its
/// nodes one by one, and every further node of the same tile (a lineage tree's proofs, the next request) costs none.
/// Levels are kept flat: level k (0 ≤ k &lt; 8) starts at hash 512 − (512 &gt;&gt; k) and holds
/// <c>width &gt;&gt; k</c> complete nodes. Immutable once built; thread-safe to read.
/// </remarks>
internal sealed class TileTree
{
    private const int HashSize = TileLayout.HashSize;

    private readonly byte[] _hashes;
    private readonly int _levels;

    private TileTree(TileKey key, int width, int levels, byte[] hashes)
    {
        Key = key;
        Width = width;
        _levels = levels;
        _hashes = hashes;
    }

    /// <summary>Which tile this is.</summary>
    public TileKey Key { get; }

    /// <summary>How many hashes the tile holds at its own level (256 when full).</summary>
    public int Width { get; }

    /// <summary>Whether the tile is full: then none of its nodes can change, whatever the log appends later.</summary>
    public bool IsFull => Width == TileLayout.Width;

    /// <summary>
    /// Hashes the levels of <paramref name="tile"/> up to <paramref name="levels"/> − 1 above the tile's own (1 keeps the
    /// tile as read, 8 computes every node inside it).
    /// </summary>
    /// <exception cref="StoreCorruptedException">The tile's bytes are not a whole number of hashes, or more than 256.</exception>
    public static TileTree Expand(TileKey key, byte[] tile, int levels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(levels, TileLayout.Height);
        if (tile.Length % HashSize != 0 || tile.Length > TileLayout.Width * HashSize)
        {
            throw new StoreCorruptedException(string.Create(
                CultureInfo.InvariantCulture,
                $"Tile (level {key.Level}, index {key.Index}) holds {tile.Length} bytes, which is not a whole number of hashes up to {TileLayout.Width}."));
        }

        var width = tile.Length / HashSize;
        if (levels == 1)
        {
            return new TileTree(key, width, 1, tile);
        }

        var hashes = new byte[Start(levels) * HashSize];
        tile.CopyTo(hashes, 0);
        for (var k = 1; k < levels; k++)
        {
            var below = Start(k - 1) * HashSize;
            var here = Start(k) * HashSize;
            for (var i = 0; i < width >> k; i++)
            {
                MerkleHash.HashChildren(
                    hashes.AsSpan(below + (2 * i * HashSize), HashSize),
                    hashes.AsSpan(below + (((2 * i) + 1) * HashSize), HashSize),
                    hashes.AsSpan(here + (i * HashSize), HashSize));
            }
        }

        return new TileTree(key, width, levels, hashes);
    }

    /// <summary>The hash of <paramref name="node"/>, a node of this tile (<see cref="TileLayout.TileOf"/>), as a new array.</summary>
    /// <exception cref="StoreCorruptedException">The tile does not hold the hashes the node is computed from.</exception>
    public byte[] Hash(NodeId node)
    {
        var k = node.Level % TileLayout.Height;
        var index = (int)(node.Index & ((TileLayout.Width >> k) - 1));
        if (TileLayout.TileOf(node) != Key || k >= _levels)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"Node (level {node.Level}, index {node.Index}) is not among the {_levels} levels expanded from tile (level {Key.Level}, index {Key.Index})."));
        }

        if (index >= Width >> k)
        {
            var offset = index << k;
            throw new StoreCorruptedException(string.Create(
                CultureInfo.InvariantCulture,
                $"The Merkle tiles are incomplete: node (level {node.Level}, index {node.Index}) needs hashes [{offset}, {offset + (1 << k)}) of tile (level {Key.Level}, index {Key.Index}), which holds {Width}."));
        }

        return _hashes.AsSpan((Start(k) + index) * HashSize, HashSize).ToArray();
    }

    // Where level k starts, in hashes: 256 + 128 + … for the levels below it.
    private static int Start(int k) => (2 * TileLayout.Width) - ((2 * TileLayout.Width) >> k);
}
