using System.IO.Compression;
using Ledger.Api.Problems;
using Ledger.Application.Hosting;
using Ledger.Domain.Tiles;
using Microsoft.Net.Http.Headers;

namespace Ledger.Api.Tlog;

/// <summary>
/// The log as a c2sp.org/tlog-tiles read API under <c>/tlog/</c> (DESIGN §8.1): the checkpoint, the Merkle tiles
/// the store keeps, and entry bundles of the entries' canonical bytes.
/// </summary>
/// <remarks>
/// A tile or bundle, once it can be served, never changes (a partial tile of width W is the first W hashes of its
/// tile for ever), so every 200 is immutable; what is not there yet answers 404 and must not be cached.
/// </remarks>
public static class TlogEndpoints
{
    private const string OctetStream = "application/octet-stream";
    private const string Immutable = "public, max-age=31536000, immutable";
    // The checkpoint changes with every signing (and every cosignature collected): a few seconds at most (tlog-tiles).
    private const string CheckpointCaching = "public, max-age=5";
    private const string NotCached = "no-store";

    public static IEndpointRouteBuilder MapTlogEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/tlog").WithTags("Tlog");
        group.MapGet("/checkpoint", CheckpointAsync).WithName("GetTlogCheckpoint")
            .WithSummary("The latest signed checkpoint (c2sp.org/tlog-tiles)")
            .Produces<string>(200, "text/plain").ProducesProblem(503);
        group.MapGet("/tile/entries/{**index}", EntryBundleAsync).WithName("GetTlogEntryBundle")
            .WithSummary("An entry bundle: `<N>[.p/<W>]`, each entry a big-endian uint16 length and its canonical bytes")
            .Produces(200, contentType: OctetStream).ProducesProblem(400).ProducesProblem(404).ProducesProblem(422);
        group.MapGet("/tile/{level}/{**index}", TileAsync).WithName("GetTlogTile")
            .WithSummary("A Merkle tile: level `<L>` (0–63), index `<N>[.p/<W>]` in the x001/x234/067 encoding")
            .Produces(200, contentType: OctetStream).ProducesProblem(400).ProducesProblem(404);
        return app;
    }

    public static async Task<IResult> CheckpointAsync(LedgerNode node, HttpContext http, CancellationToken ct)
    {
        var latest = await node.Store.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
        if (latest is null)
        {
            http.Response.Headers.CacheControl = NotCached;
            return LedgerProblems.Unavailable("No checkpoint has been signed yet.");
        }

        http.Response.Headers.CacheControl = CheckpointCaching;
        return TypedResults.Text(latest.SignedNote, "text/plain; charset=utf-8");
    }

    public static async Task<IResult> TileAsync(LedgerNode node, string level, string? index, HttpContext http, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = NotCached;
        if (!TilePath.TryParseLevel(level, out var l, out var error) || !TileAddress.TryParse(index, out var tile, out error))
        {
            return LedgerProblems.InvalidTilePath(error);
        }

        var hashes = await node.Store.ReadTileAsync(l, tile, ct).ConfigureAwait(false);
        if (hashes is null)
        {
            return LedgerProblems.NotFound($"The tree does not hold tile {TilePath.Tile(l, tile)} (yet).");
        }

        http.Response.Headers.CacheControl = Immutable;
        return TypedResults.Bytes(hashes, OctetStream);
    }

    public static async Task<IResult> EntryBundleAsync(LedgerNode node, string? index, HttpContext http, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = NotCached;
        if (!TileAddress.TryParse(index, out var bundle, out var error))
        {
            return LedgerProblems.InvalidTilePath(error);
        }

        var size = await node.Store.GetTreeSizeAsync(ct).ConfigureAwait(false);
        if (!TileGeometry.Holds(size, 0, bundle))
        {
            return LedgerProblems.NotFound($"The tree does not hold entry bundle {TilePath.EntryBundle(bundle)} (yet).");
        }

        var entries = new List<ReadOnlyMemory<byte>>(bundle.Width);
        await foreach (var entry in node.Store.ReadLogAsync(bundle.FirstHash, bundle.Width, ct).ConfigureAwait(false))
        {
            if (entry.Entry.Length > EntryBundle.MaxEntryBytes)
            {
                return LedgerProblems.EntryTooLargeForBundle(TilePath.EntryBundle(bundle), entry.Position, entry.Entry.Length);
            }

            entries.Add(entry.Entry);
        }

        if (entries.Count != bundle.Width)
        {
            throw new InvalidOperationException(FormattableString.Invariant(
                $"The log of size {size} returned {entries.Count} entries from position {bundle.FirstHash}; {bundle.Width} were expected."));
        }

        var body = EntryBundle.Write(entries);
        http.Response.Headers.CacheControl = Immutable;
        http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (!AcceptsGzip(http.Request))
        {
            return TypedResults.Bytes(body, OctetStream);
        }

        // tlog-tiles: bundles SHOULD be compressed at the HTTP layer (with the encoding the client accepts).
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(body, ct).ConfigureAwait(false);
        }

        http.Response.Headers.ContentEncoding = "gzip";
        return TypedResults.Bytes(compressed.ToArray(), OctetStream);
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e =>
            string.Equals(e.Value.Value, "gzip", StringComparison.OrdinalIgnoreCase) && (e.Quality ?? 1) > 0);
}
