namespace Ledger.Store.Tiles;

/// <summary>
/// What the writer keeps in memory about the committed log: its size and root, the compact range
/// (right-border hashes, highest level first) and the content of each tile level's partial tile.
/// Immutable; replaced after each commit and reloaded when another process advanced the log.
/// </summary>
internal sealed record LogState(long Size, byte[] Root, IReadOnlyList<byte[]> Frontier, IReadOnlyList<byte[]> PartialTiles)
{
    /// <summary>The content of tile level <paramref name="level"/>'s partial tile (empty when there is none).</summary>
    public byte[] PartialTile(int level) => level < PartialTiles.Count ? PartialTiles[level] : [];
}
