using System.Net;
using System.Text.Json;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Log;
using Ledger.Domain.Tiles;
using Ledger.Store;

namespace Ledger.Api.Tests.Tlog;

/// <summary>
/// An entry over 65,535 bytes (appended before entries were limited to that size) cannot be carried by a tlog-tiles
/// entry bundle: its bundle answers a 422 problem naming the entry, while its leaf stays in the Merkle tiles. Each
/// engine gets its own ledger, so that no other test's log holds such an entry.
/// </summary>
public abstract class LargeEntrySuite : IAsyncLifetime
{
    private LedgerApp? _app;

    protected abstract Task<LedgerApp> StartAsync();

    public async Task InitializeAsync() => _app = await StartAsync();

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_bundle_holding_an_entry_over_65535_bytes_is_a_422_problem_and_the_tiles_still_serve_its_leaf()
    {
        var app = _app!;
        using var http = app.CreateClient();
        var store = app.Node.Store;
        var data = JsonSerializer.SerializeToElement(new { blob = new string('a', 70_000) });
        var statement = new EmitterStatement("notes-large", "large-1", "note.recorded.v1", "aws.example", "dev", null, data, null);
        // Written as a build before the 65,535-byte limit did: through a second store on the same database.
        await Should.ThrowAsync<EntryTooLargeException>(
            () => store.AppendAsync(new AppendRequest("notes-large", AppendRequest.AnyVersion, app.Clock.GetUtcNow(), [new ProposedEvent(statement, null)])));
        await using var older = await EventStoreFactory.OpenAsync(new StoreOptions
        {
            Engine = app.Node.Options.Engine,
            ConnectionString = app.Node.Options.ConnectionString ?? $"Data Source={Path.Combine(app.Node.DataDir, "ledger.db")}",
            Origin = store.Origin,
            MaxEntryBytes = 1 << 20,
        });
        var appended = await older.AppendAsync(new AppendRequest("notes-large", AppendRequest.AnyVersion, app.Clock.GetUtcNow(), [new ProposedEvent(statement, null)]));
        var entry = appended.ShouldBeOfType<AppendResult.Appended>().Entries[0];
        var size = await store.GetTreeSizeAsync();
        size.ShouldBeLessThan(256, "the new ledger's log fits in its first tile");
        var bundle = TilePath.EntryBundle(new TileAddress(0, (int)size));

        using var response = await http.GetAsync(new Uri("/tlog/" + bundle, UriKind.Relative));

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        response.Headers.CacheControl?.NoStore.ShouldBeTrue();
        using var problem = JsonDocument.Parse(text);
        problem.RootElement.GetProperty("type").GetString().ShouldBe("https://ledger.dev/problems/entry-too-large-for-bundle");
        problem.RootElement.GetProperty("position").GetInt64().ShouldBe(entry.Position);
        problem.RootElement.GetProperty("entryBytes").GetInt32().ShouldBeGreaterThan(EntryBundle.MaxEntryBytes);
        (problem.RootElement.GetProperty("detail").GetString() ?? "").ShouldContain(bundle);
        // The bundle before the entry is still served, and the level-0 tile holds the large entry's leaf hash.
        using var earlier = await http.GetAsync(new Uri("/tlog/" + TilePath.EntryBundle(new TileAddress(0, (int)entry.Position)), UriKind.Relative));
        earlier.StatusCode.ShouldBe(HttpStatusCode.OK);
        var tile = await http.GetByteArrayAsync(new Uri("/tlog/" + TilePath.Tile(0, new TileAddress(0, (int)size)), UriKind.Relative));
        tile.AsSpan((int)entry.Position * 32, 32).ToArray().ShouldBe(Ledger.Domain.Merkle.MerkleHash.HashLeaf(entry.ToCanonicalBytes()));
    }
}
