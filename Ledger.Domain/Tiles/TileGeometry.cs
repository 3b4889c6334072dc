using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tiles;

/// <summary>
/// The shape of a c2sp.org/tlog-tiles log: tile level <c>L</c> holds the Merkle Tree hashes of tree height
/// <c>8·L</c> in rows of 256, and which tiles exist at a tree size.
/// </summary>
/// <remarks>
/// See https://c2sp.org/tlog-tiles ("Merkle Tree", "Partial Tiles"). Pure and thread-safe. A tile level of 8 or
/// more is well formed (the spec allows 0–63) but holds no hash in any tree that fits in a signed 64-bit size.
/// </remarks>
public static class TileGeometry
{
    /// <summary>The tree height one tile level spans (a tile is a perfect subtree of height 8 over its hashes).</summary>
    public const int Height = 8;

    /// <summary>The number of hashes in a full tile (and entries in a full entry bundle).</summary>
    public const int Width = 1 << Height;

    /// <summary>The highest tile level a path may name.</summary>
    public const int MaxLevel = 63;

    /// <summary>The size in bytes of a full tile (256 SHA-256 hashes, 8,192 bytes).</summary>
    public const int FullTileBytes = Width * MerkleHash.Size;

    /// <summary>
    /// The number of hashes tile level <paramref name="level"/> holds at tree size <paramref name="size"/>:
    /// <c>floor(size / 256^level)</c>.
    /// </summary>
    public static long HashCount(long size, int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);

        // A shift by 64 or more would wrap in C# (the count is masked to 6 bits): no such level holds a hash.
        return level * Height >= 63 ? 0 : size >> (level * Height);
    }

    /// <summary>
    /// The width of the partial tile of level <paramref name="level"/> at tree size <paramref name="size"/>:
    /// <c>floor(size / 256^level) mod 256</c>; 0 when that level has no partial tile.
    /// </summary>
    public static int PartialWidth(long size, int level) => (int)(HashCount(size, level) & (Width - 1));

    /// <summary>
    /// Whether a tree of <paramref name="size"/> holds the hashes of tile <paramref name="tile"/> at level
    /// <paramref name="level"/>: every one of its <see cref="TileAddress.Width"/> hashes is complete. A partial
    /// tile stays available once the tile has grown wider, or full: its hashes never change.
    /// </summary>
    public static bool Holds(long size, int level, TileAddress tile)
    {
        // index · 256 + width ≤ count, without a product that could overflow.
        var count = HashCount(size, level);
        return count >= tile.Width && tile.Index <= (count - tile.Width) / Width;
    }
}
