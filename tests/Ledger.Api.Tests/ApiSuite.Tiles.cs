using System.IO.Compression;
using System.Net;
using System.Text;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Notes;
using Ledger.Domain.Tiles;
using Ledger.Testing;

namespace Ledger.Api.Tests;

public abstract partial class ApiSuite
{
    private const string ImmutableCaching = "public, max-age=31536000, immutable";

    [Fact]
    public async Task The_tlog_tiles_of_the_live_log_rebuild_its_entries_and_its_signed_checkpoint()
    {
        await GrowLogAsync(atLeast: 1100);
        await SignCheckpointAsync();
        var client = new TlogTileClient(Http, "/tlog/");

        var (note, checkpoint) = await client.ReadCheckpointAsync(await LedgerVerifiersAsync());
        var tree = await client.ReadTreeAsync(checkpoint);

        checkpoint.Origin.ShouldBe(Origin);
        tree.Size.ShouldBeGreaterThanOrEqualTo(1100);
        tree.Levels.Count.ShouldBe(2, "level 0 (full and partial tiles) and level 1 (one partial tile)");
        tree.Levels[1].Count.ShouldBe((int)(tree.Size / 256));
        client.Fetched.ShouldContain("tile/0/000");
        client.Fetched.ShouldContain(TilePath.Tile(1, new TileAddress(0, (int)(tree.Size / 256))));
        client.Fetched.ShouldContain(TilePath.EntryBundle(new TileAddress(tree.Size / 256, (int)(tree.Size % 256))));
        // The bundles carry exactly the bytes GET /v1/log/entries serves, one entry per line.
        var lines = await EntriesAsync(0, (int)tree.Size);
        tree.Entries.Select(e => Encoding.UTF8.GetString(e)).ShouldBe(lines);
        note.Format().ShouldBe(await SameCheckpointAsync());
    }

    [Fact]
    public async Task Tlog_checkpoint_is_the_signed_note_of_v1_and_is_not_cached_for_long()
    {
        await SignCheckpointAsync();

        using var response = await GetAsync("/tlog/checkpoint");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.ToString().ShouldBe("text/plain; charset=utf-8");
        response.Headers.CacheControl?.Public.ShouldBeTrue();
        response.Headers.CacheControl?.MaxAge.ShouldBe(TimeSpan.FromSeconds(5));
        (await SameCheckpointAsync()).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Full_and_partial_tiles_are_immutable_and_a_partial_tile_stays_served_after_its_tile_fills()
    {
        await GrowLogAsync(atLeast: 300);
        var before = await App.Node.Store.GetTreeSizeAsync();
        var partial = new TileAddress(before / 256, (int)(before % 256));
        var partialTile = await TileAsync(TilePath.Tile(0, partial));
        var partialBundle = await TileAsync(TilePath.EntryBundle(partial));
        var full = await TileAsync("tile/0/000");
        full.Length.ShouldBe(8192);

        await GrowLogAsync(atLeast: ((partial.Index + 1) * 256) + 1);

        (await TileAsync(TilePath.Tile(0, partial))).ShouldBe(partialTile);
        (await TileAsync(TilePath.EntryBundle(partial))).ShouldBe(partialBundle);
        var nowFull = await TileAsync(TilePath.Tile(0, new TileAddress(partial.Index)));
        nowFull.Length.ShouldBe(8192);
        nowFull[..partialTile.Length].ShouldBe(partialTile);
        (await TileAsync(TilePath.Tile(0, new TileAddress(partial.Index, 1)))).ShouldBe(partialTile[..32]);
        EntryBundle.TryParse(await TileAsync(TilePath.EntryBundle(new TileAddress(partial.Index))), 256, out var entries, out var error).ShouldBeTrue(error);
        entries.Count.ShouldBe(256);
        EntryBundle.Write([.. entries.Take(partial.Width).Select(e => (ReadOnlyMemory<byte>)e)]).ShouldBe(partialBundle);
    }

    [Fact]
    public async Task Tiles_and_bundles_beyond_the_tree_are_not_found_and_not_cached()
    {
        await GrowLogAsync(atLeast: 300);
        var size = await App.Node.Store.GetTreeSizeAsync();
        var (n, w) = (size / 256, (int)(size % 256));
        string[] beyond =
        [
            TilePath.Tile(0, new TileAddress(n, w + 1)),
            TilePath.Tile(0, new TileAddress(n)),
            TilePath.Tile(0, new TileAddress(n + 1, 1)),
            TilePath.EntryBundle(new TileAddress(n, w + 1)),
            TilePath.EntryBundle(new TileAddress(n)),
            TilePath.EntryBundle(new TileAddress(n + 1)),
            TilePath.Tile(1, new TileAddress(0)),
            TilePath.Tile(1, new TileAddress(0, (int)n + 1)),
            TilePath.Tile(2, new TileAddress(0, 1)),
            TilePath.Tile(7, new TileAddress(0, 1)),
            TilePath.Tile(8, new TileAddress(0, 1)),
            TilePath.Tile(63, new TileAddress(0, 1)),
            TilePath.Tile(0, new TileAddress(1_234_067)),
            "tile/0/x009/x223/x372/x036/x854/x775/807",
        ];

        foreach (var path in beyond)
        {
            using var response = await GetAsync("/tlog/" + path);
            var problem = await ProblemAsync(response, HttpStatusCode.NotFound, "not-found");
            (problem.GetProperty("detail").GetString() ?? "").ShouldContain(path);
            response.Headers.CacheControl?.NoStore.ShouldBeTrue(path);
        }
    }

    [Theory]
    [InlineData("tile/00/000")]
    [InlineData("tile/01/000")]
    [InlineData("tile/64/000")]
    [InlineData("tile/-1/000")]
    [InlineData("tile/+1/000")]
    [InlineData("tile/a/000")]
    [InlineData("tile/0/0")]
    [InlineData("tile/0/00")]
    [InlineData("tile/0/0000")]
    [InlineData("tile/0/x000/001")]
    [InlineData("tile/0/x001/x000")]
    [InlineData("tile/0/001/002")]
    [InlineData("tile/0/x01/002")]
    [InlineData("tile/0/X001/002")]
    [InlineData("tile/0/000/")]
    [InlineData("tile/0/000.p/0")]
    [InlineData("tile/0/000.p/00")]
    [InlineData("tile/0/000.p/01")]
    [InlineData("tile/0/000.p/256")]
    [InlineData("tile/0/000.p/-1")]
    [InlineData("tile/0/000.p/")]
    [InlineData("tile/0/000.p/5/6")]
    [InlineData("tile/0/000.q/5")]
    [InlineData("tile/0/000.p")]
    [InlineData("tile/0/x9223/000")]
    [InlineData("tile/0/x009/x223/x372/x036/x854/x775/808")]
    [InlineData("tile/entries/00a")]
    [InlineData("tile/entries/000.p/300")]
    [InlineData("tile/entries/x000/000")]
    public async Task A_malformed_tile_path_is_a_bad_request_problem(string path)
    {
        using var response = await GetAsync("/tlog/" + path);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "invalid-tile-path");
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task An_entry_bundle_is_gzip_encoded_for_a_client_that_accepts_it()
    {
        await GrowLogAsync(atLeast: 300);
        var plain = await TileAsync("tile/entries/000");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/tlog/tile/entries/000");
        request.Headers.AcceptEncoding.ParseAdd("gzip, identity");
        using var response = await Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        response.Headers.Vary.ShouldContain("Accept-Encoding");
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var decompressed = new MemoryStream();
        await gzip.CopyToAsync(decompressed);
        decompressed.ToArray().ShouldBe(plain);
    }

    /// <summary>GETs <c>/tlog/</c> + a tile or bundle path that must be served: 200, octet-stream, immutable; its body.</summary>
    private async Task<byte[]> TileAsync(string path)
    {
        using var response = await GetAsync("/tlog/" + path);
        var body = await response.Content.ReadAsByteArrayAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{path}: {Encoding.UTF8.GetString(body)}");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/octet-stream");
        response.Headers.CacheControl?.ToString().ShouldBe(ImmutableCaching);
        response.Content.Headers.ContentEncoding.ShouldBeEmpty();
        return body;
    }

    /// <summary>The note <c>/tlog/checkpoint</c> serves, checked to be the one <c>/v1/log/checkpoint</c> serves at the same time.</summary>
    private async Task<string> SameCheckpointAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var v1Before = await Http.GetStringAsync("/v1/log/checkpoint");
            var tlog = await Http.GetStringAsync("/tlog/checkpoint");
            var v1After = await Http.GetStringAsync("/v1/log/checkpoint");
            if (v1Before == v1After || attempt == 5)
            {
                // A checkpoint signed between the two reads of v1 makes the comparison meaningless: read again.
                tlog.ShouldBe(v1After);
                return tlog;
            }
        }
    }

    private async Task<NoteVerifierSet> LedgerVerifiersAsync() =>
        new(NoteVerifier.Parse((await Http.GetStringAsync("/v1/log/key")).Trim()));

    /// <summary>
    /// Appends executions (an intent up to start, then runtime verifications, 64 events per append) until the tree
    /// holds at least <paramref name="atLeast"/> entries and its level-0 tile is partial but not 255 wide.
    /// </summary>
    private async Task GrowLogAsync(long atLeast)
    {
        for (var size = await App.Node.Store.GetTreeSizeAsync(); size < atLeast || size % 256 is 0 or 255; size = await App.Node.Store.GetTreeSizeAsync())
        {
            var story = NewStory("tiles");
            await CreatedAsync(await AppendAsync(story.Stream, Story.Body(0, story.UpToStart())));
            var next = 1;
            for (var batch = 0; batch < 3 && size + 5 + (batch * 64) < atLeast; batch++)
            {
                var events = Enumerable.Range(next, 64).Select(i => story.Verified(i)).ToArray();
                next += 64;
                await CreatedAsync(await AppendAsync(story.Stream, Story.Body(-1, events)));
            }
        }
    }
}
