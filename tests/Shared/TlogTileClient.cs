using System.Net;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;
using Ledger.Domain.Tiles;

namespace Ledger.Testing;

/// <summary>
/// A small, independent c2sp.org/tlog-tiles client for tests: it fetches a log's checkpoint, entry bundles and
/// Merkle tiles over HTTP from a prefix, and checks them against each other and against the checkpoint's root.
/// It reads any tiled log (Tessera's test log as well as the ledger's <c>/tlog/</c>), which is what makes it a
/// conformance check.
/// </summary>
/// <remarks>
/// What <see cref="ReadTreeAsync"/> checks, for a tree of size s: every bundle holds exactly the entries its width
/// says; the level-0 tiles are the leaf hashes of the bundles' entries; each hash of a level-l tile (l ≥ 1) is the
/// Merkle Tree Hash of the full level-(l−1) tile below it; and the root computed from the tiles alone — every
/// perfect subtree of s from the highest tile level that holds it — is the checkpoint's root.
/// </remarks>
public sealed class TlogTileClient(HttpClient http, string prefix)
{
    private readonly string _prefix = prefix.EndsWith('/') ? prefix : prefix + "/";

    /// <summary>Every path fetched, in order (for tests that check what a read needed).</summary>
    public List<string> Fetched { get; } = [];

    /// <summary>Fetches a checkpoint note (by default <c>checkpoint</c>), checks its signatures with <paramref name="verifiers"/> and parses its body.</summary>
    public async Task<(SignedNote Note, Checkpoint Checkpoint)> ReadCheckpointAsync(NoteVerifierSet verifiers, string path = TilePath.Checkpoint)
    {
        var text = System.Text.Encoding.UTF8.GetString(await GetAsync(path) ?? throw new InvalidOperationException($"{path}: not found."));
        var check = verifiers.Open(text);
        if (check is not NoteCheck.Verified verified)
        {
            throw new InvalidOperationException($"{path}: the note does not verify ({check.Code}).");
        }

        return (verified.Note, Checkpoint.Parse(verified.Note.Text));
    }

    /// <summary>Reads and checks the whole tree of <paramref name="checkpoint"/>; throws <see cref="TileMismatchException"/> when anything disagrees.</summary>
    public async Task<TlogTree> ReadTreeAsync(Checkpoint checkpoint)
    {
        var size = checkpoint.Size;
        var entries = new List<byte[]>();
        foreach (var bundle in Tiles(size, 0))
        {
            var path = TilePath.EntryBundle(bundle);
            var bytes = await RequireAsync(path);
            if (!EntryBundle.TryParse(bytes, bundle.Width, out var parsed, out var error))
            {
                throw new TileMismatchException($"{path}: {error}");
            }

            if (parsed.Count != bundle.Width)
            {
                throw new TileMismatchException($"{path}: holds {parsed.Count} entries; its width is {bundle.Width}.");
            }

            entries.AddRange(parsed);
        }

        // The hashes of every tile level that holds any, as served; level 0 must be the entries' leaf hashes.
        var levels = new List<List<byte[]>>();
        var expected = entries.Select(e => MerkleHash.HashLeaf(e)).ToList();
        for (var level = 0; level <= TileGeometry.MaxLevel && TileGeometry.HashCount(size, level) > 0; level++)
        {
            var served = new List<byte[]>();
            foreach (var tile in Tiles(size, level))
            {
                var path = TilePath.Tile(level, tile);
                var bytes = await RequireAsync(path);
                if (bytes.Length != tile.Width * MerkleHash.Size)
                {
                    throw new TileMismatchException($"{path}: {bytes.Length} bytes; a tile of width {tile.Width} has {tile.Width * MerkleHash.Size}.");
                }

                for (var i = 0; i < tile.Width; i++)
                {
                    var hash = bytes.AsSpan(i * MerkleHash.Size, MerkleHash.Size).ToArray();
                    var index = tile.FirstHash + i;
                    if (!hash.AsSpan().SequenceEqual(expected[(int)index]))
                    {
                        throw new TileMismatchException(
                            $"{path}: hash {i} (level {level}, index {index}) is {Convert.ToBase64String(hash)}; the level below gives {Convert.ToBase64String(expected[(int)index])}.");
                    }

                    served.Add(hash);
                }
            }

            levels.Add(served);

            // The next level's hashes: the Merkle Tree Hash of each full tile of this level (a partial one is never hashed up).
            expected = [.. served.Chunk(TileGeometry.Width).Where(c => c.Length == TileGeometry.Width).Select(c => PerfectRoot(c, 0, TileGeometry.Width))];
        }

        var root = RootFromTiles(size, levels);
        if (!root.AsSpan().SequenceEqual(checkpoint.RootHash.Span))
        {
            throw new TileMismatchException(
                $"The tiles give root {Convert.ToBase64String(root)} at size {size}; the checkpoint says {Convert.ToBase64String(checkpoint.RootHash.Span)}.");
        }

        return new TlogTree(size, entries, levels, root);
    }

    /// <summary>GETs <c>prefix + path</c>: the body, or null on 404; any other status throws.</summary>
    public async Task<byte[]?> GetAsync(string path)
    {
        Fetched.Add(path);
        using var response = await http.GetAsync(new Uri(_prefix + path, UriKind.RelativeOrAbsolute));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"GET {_prefix}{path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}", null, response.StatusCode);
        }

        return body;
    }

    /// <summary>The tiles (or bundles) of <paramref name="level"/> at tree size <paramref name="size"/>: the full ones, then the partial one if any.</summary>
    public static IEnumerable<TileAddress> Tiles(long size, int level)
    {
        var count = TileGeometry.HashCount(size, level);
        for (long n = 0; n < count / TileGeometry.Width; n++)
        {
            yield return new TileAddress(n);
        }

        var partial = TileGeometry.PartialWidth(size, level);
        if (partial > 0)
        {
            yield return new TileAddress(count / TileGeometry.Width, partial);
        }
    }

    private async Task<byte[]> RequireAsync(string path) =>
        await GetAsync(path) ?? throw new TileMismatchException($"{path}: not found, although the checkpoint's tree holds it.");

    /// <summary>
    /// The root of the tree of <paramref name="size"/> from tile hashes alone: the perfect subtrees of the size's binary
    /// decomposition, each from the highest tile level holding it, folded right to left (RFC 6962 §2.1).
    /// </summary>
    private static byte[] RootFromTiles(long size, List<List<byte[]>> levels)
    {
        if (size == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        var subtrees = new List<byte[]>();
        long begin = 0;
        for (var height = 62; height >= 0; height--)
        {
            if (((size >> height) & 1) == 0)
            {
                continue;
            }

            var level = height / TileGeometry.Height;
            var shift = level * TileGeometry.Height;
            subtrees.Add(PerfectRoot(levels[level], (int)(begin >> shift), 1 << (height - shift)));
            begin += 1L << height;
        }

        var root = subtrees[^1];
        for (var i = subtrees.Count - 2; i >= 0; i--)
        {
            root = MerkleHash.HashChildren(subtrees[i], root);
        }

        return root;
    }

    /// <summary>The Merkle Tree Hash of <paramref name="count"/> (a power of two) consecutive hashes from <paramref name="start"/>.</summary>
    private static byte[] PerfectRoot(IReadOnlyList<byte[]> hashes, int start, int count)
    {
        if (count == 1)
        {
            return hashes[start];
        }

        var half = count / 2;
        return MerkleHash.HashChildren(PerfectRoot(hashes, start, half), PerfectRoot(hashes, start + half, half));
    }
}
