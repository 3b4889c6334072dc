using System.Globalization;
using Ledger.Domain.Merkle;

namespace Ledger.Store.Tiles;

/// <summary>
/// Collects the level-8·L nodes a batch of appends completes (from
/// <see cref="CompactRange.Append"/>'s callback) and turns them into the tiles to write: the partial
/// tile it started from, extended, plus any new tiles.
/// </summary>
internal sealed class TileAccumulator
{
    private readonly LogState _start;
    private readonly List<List<byte[]>> _newNodes = [];

    public TileAccumulator(LogState start)
    {
        _start = start;
    }

    public void OnNode(NodeId node, byte[] hash)
    {
        if (node.Level % TileLayout.Height != 0)
        {
            return;
        }

        var level = node.Level / TileLayout.Height;
        while (_newNodes.Count <= level)
        {
            _newNodes.Add([]);
        }

        _newNodes[level].Add(hash);
    }

    /// <summary>The tiles to upsert and the partial tiles after the batch.</summary>
    public (IReadOnlyList<Tile> Tiles, IReadOnlyList<byte[]> Partials) Finish(long endSize)
    {
        var tiles = new List<Tile>();
        var levels = Math.Max(_newNodes.Count, _start.PartialTiles.Count);
        var partials = new byte[levels][];
        for (var level = 0; level < levels; level++)
        {
            var added = level < _newNodes.Count ? _newNodes[level] : [];
            var shift = level * TileLayout.Height;
            var startCount = _start.Size >> shift;
            var endCount = endSize >> shift;
            if (added.Count != endCount - startCount)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Growing the tree from {_start.Size} to {endSize} completed {added.Count} nodes at level {shift}; {endCount - startCount} were expected."));
            }

            var previous = _start.PartialTile(level);
            if (added.Count == 0)
            {
                partials[level] = previous;
                continue;
            }

            var combined = new byte[previous.Length + (added.Count * TileLayout.HashSize)];
            previous.CopyTo(combined, 0);
            for (var i = 0; i < added.Count; i++)
            {
                added[i].CopyTo(combined, previous.Length + (i * TileLayout.HashSize));
            }

            var firstTile = startCount >> TileLayout.Height;
            const int tileBytes = TileLayout.Width * TileLayout.HashSize;
            for (var offset = 0; offset < combined.Length; offset += tileBytes)
            {
                var length = Math.Min(tileBytes, combined.Length - offset);
                tiles.Add(new Tile(new TileKey(level, firstTile + (offset / tileBytes)), combined.AsSpan(offset, length).ToArray()));
            }

            partials[level] = (endCount & (TileLayout.Width - 1)) == 0 ? [] : tiles[^1].Hashes;
        }

        return (tiles, partials);
    }
}
