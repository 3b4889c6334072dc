namespace Ledger.Store.Tiles;

/// <summary>A tile's content: its hashes concatenated (width = Hashes.Length / 32).</summary>
internal sealed record Tile(TileKey Key, byte[] Hashes)
{
    public int Width => Hashes.Length / TileLayout.HashSize;
}
