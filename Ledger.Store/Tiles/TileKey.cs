namespace Ledger.Store.Tiles;

/// <summary>
/// A tile: up to <see cref="TileLayout.Width"/> consecutive hashes of tree level
/// <c>Level × TileLayout.Height</c>, starting at node index <c>Index × TileLayout.Width</c>.
/// </summary>
internal readonly record struct TileKey(int Level, long Index);
