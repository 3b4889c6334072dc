using Ledger.Domain.Tiles;
using Ledger.Store.Tiles;

namespace Ledger.Store;

internal sealed partial class EventStore
{
    public async Task<byte[]?> ReadTileAsync(int level, TileAddress tile, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, TileGeometry.MaxLevel);

        // The tree size is read first: a tile only grows at its right end, in the transaction that grows the tree,
        // so a tile read afterwards holds at least the hashes this size says it holds.
        var size = await _engine.GetTreeSizeAsync(ct).ConfigureAwait(false);
        if (!TileGeometry.Holds(size, level, tile))
        {
            return null;
        }

        var key = new TileKey(level, tile.Index);
        var tiles = await _engine.ReadTilesAsync([key], ct).ConfigureAwait(false);
        var bytes = tile.Width * TileLayout.HashSize;
        if (!tiles.TryGetValue(key, out var hashes) || hashes.Length < bytes || hashes.Length > TileGeometry.FullTileBytes)
        {
            throw new StoreCorruptedException(FormattableString.Invariant(
                $"At tree size {size} tile (level {level}, index {tile.Index}) must hold at least {tile.Width} hashes; it holds {(hashes?.Length ?? 0) / TileLayout.HashSize}."));
        }

        return hashes.Length == bytes ? hashes : hashes.AsSpan(0, bytes).ToArray();
    }
}
