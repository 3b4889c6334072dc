using System.Globalization;
using Ledger.Domain.Merkle;

namespace Ledger.Store.Tiles;

/// <summary>
/// The complete nodes inside one tile: its hashes (tree level 8·L) and the seven levels above them, each hashed at most
/// once from its two children. Either expanded up front (<see cref="Expand"/>: every node, for a tile kept and shared)
/// or computed as asked (<see cref="Lazy"/>: for one request, which hashes only what its nodes need and shares what they
/// have in common, as a lineage tree's proofs do).
/// </summary>
/// <remarks>
/// Levels above the tile's own are kept flat: level k (1 ≤ k &lt; 8) starts at hash 256 − (512 &gt;&gt; k) and holds
/// <c>width &gt;&gt; k</c> complete nodes. An expanded tree is immutable and thread-safe to read; a lazy one is for one
/// thread.
/// </remarks>
internal sealed class TileTree
{
    private const int HashSize = TileLayout.HashSize;

    // Hashes inside a tile above its own level: 128 + 64 + … + 2.
    private const int Above = TileLayout.Width - 2;

    private readonly byte[] _tile;
    private byte[]? _above;

    // Which hashes of _above are computed; null once they all are.
    private readonly bool[]? _known;

    private TileTree(TileKey key, byte[] tile, bool lazy)
    {
        if (tile.Length % HashSize != 0 || tile.Length > TileLayout.Width * HashSize)
        {
            throw new StoreCorruptedException(string.Create(
                CultureInfo.InvariantCulture,
                $"Tile (level {key.Level}, index {key.Index}) holds {tile.Length} bytes, which is not a whole number of hashes up to {TileLayout.Width}."));
        }

        Key = key;
        Width = tile.Length / HashSize;
        _tile = tile;
        _above = lazy ? null : new byte[Above * HashSize];
        _known = lazy ? new bool[Above] : null;
    }

    /// <summary>Which tile this is.</summary>
    public TileKey Key { get; }

    /// <summary>How many hashes the tile holds at its own level (256 when full).</summary>
    public int Width { get; }

    /// <summary>Whether the tile is full: then none of its nodes can change, whatever the log appends later.</summary>
    public bool IsFull => Width == TileLayout.Width;

    /// <summary>Every complete node of <paramref name="tile"/>, hashed now (at most 255 hashes). Thread-safe to read.</summary>
    /// <exception cref="StoreCorruptedException">The tile's bytes are not a whole number of hashes, or more than 256.</exception>
    public static TileTree Expand(TileKey key, byte[] tile)
    {
        var tree = new TileTree(key, tile, lazy: false);
        for (var k = 1; k < TileLayout.Height; k++)
        {
            for (var i = 0; i < tree.Width >> k; i++)
            {
                tree.Compute(k, i);
            }
        }

        return tree;
    }

    /// <summary>The nodes of <paramref name="tile"/>, each hashed when first asked for. For one thread.</summary>
    /// <exception cref="StoreCorruptedException">The tile's bytes are not a whole number of hashes, or more than 256.</exception>
    public static TileTree Lazy(TileKey key, byte[] tile) => new(key, tile, lazy: true);

    /// <summary>The hash of <paramref name="node"/>, a node of this tile (<see cref="TileLayout.TileOf"/>), as a new array.</summary>
    /// <exception cref="StoreCorruptedException">The tile does not hold the hashes the node is computed from.</exception>
    public byte[] Hash(NodeId node)
    {
        if (TileLayout.TileOf(node) != Key)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"Node (level {node.Level}, index {node.Index}) is not computed from tile (level {Key.Level}, index {Key.Index})."));
        }

        var k = node.Level % TileLayout.Height;
        var index = (int)(node.Index & ((TileLayout.Width >> k) - 1));
        if (index >= Width >> k)
        {
            var offset = index << k;
            throw new StoreCorruptedException(string.Create(
                CultureInfo.InvariantCulture,
                $"The Merkle tiles are incomplete: node (level {node.Level}, index {node.Index}) needs hashes [{offset}, {offset + (1 << k)}) of tile (level {Key.Level}, index {Key.Index}), which holds {Width}."));
        }

        return Node(k, index).ToArray();
    }

    // Node i of level k inside the tile, complete (i < Width >> k): hashed from its children if not yet.
    private ReadOnlySpan<byte> Node(int k, int i)
    {
        if (k == 0)
        {
            return _tile.AsSpan(i * HashSize, HashSize);
        }

        var at = Start(k) + i;
        if (_known is not null && !_known[at])
        {
            Compute(k, i);
            _known[at] = true;
        }

        return _above.AsSpan(at * HashSize, HashSize);
    }

    private void Compute(int k, int i)
    {
        // A lazy tree that only ever serves the tile's own hashes allocates nothing more.
        _above ??= new byte[Above * HashSize];
        MerkleHash.HashChildren(Node(k - 1, 2 * i), Node(k - 1, (2 * i) + 1), _above.AsSpan((Start(k) + i) * HashSize, HashSize));
    }

    // Where level k (k ≥ 1) starts in _above, in hashes: 128 + 64 + … for the levels between it and the tile's own.
    private static int Start(int k) => TileLayout.Width - ((2 * TileLayout.Width) >> k);
}
