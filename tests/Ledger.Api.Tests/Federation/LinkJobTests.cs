using System.Net;
using System.Text;
using System.Text.Json;
using Ledger.Api.Federation;
using Ledger.Api.Projections;
using Ledger.Api.Tests.FailClosed;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Application.Federation;
using Ledger.Application.Hosting;
using Ledger.Application.Jobs;
using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Api.Tests.Federation;

/// <summary>
/// Children on other ledgers shown as links (docs/PROJECTIONS.md, "Links to other ledgers"): a parent ledger and a child
/// ledger, each the other's peer, in process on test clocks; the peer requests go through <see cref="InProcessRouter"/>
/// to the real ledgers or to forged answers, and the link and follow jobs are ticked by the test.
/// </summary>
public sealed class LinkJobTests : IDisposable
{
    private const string ParentOrigin = "p.example/ledger";
    private const string ChildOrigin = "c.example/ledger";
    private readonly InProcessRouter _router = new();
    private readonly string _childDir = Directory.CreateTempSubdirectory("ledger-api-links-").FullName;
    private readonly LedgerApp _parent;
    private readonly LedgerApp _child;
    private readonly string _childDevToken;

    public LinkJobTests()
    {
        // The child's key is made before either ledger starts, so that each can be configured with the other's key.
        using var childKey = SigningKey.GenerateEd25519();
        LedgerBootstrap.WriteSecret(Path.Combine(_childDir, LedgerBootstrap.KeyFileName), PrivateKeyText.Export(childKey, ChildOrigin));
        using var childSigner = NoteSigner.Create(ChildOrigin, childKey);
        _parent = new LedgerApp("sqlite", null, Settings(ParentOrigin, ChildOrigin, childSigner.Verifier.VerifierKey, "http://c.test/"), services: Routed);
        using (var http = _parent.CreateClient())
        {
            var parentKey = http.GetStringAsync(new Uri("/v1/log/key", UriKind.Relative)).GetAwaiter().GetResult().Trim();
            _child = new LedgerApp("sqlite", null, Settings(ChildOrigin, ParentOrigin, parentKey, "http://p.test/"), dataDir: _childDir, services: Routed);
        }

        _childDevToken = _child.FirstStart.DevToken;
        _router.Route("p.test", _parent);
        _router.Route("c.test", _child);
    }

    public void Dispose()
    {
        _child.Dispose();
        _parent.Dispose();
        Directory.Delete(_childDir, recursive: true);
    }

    [Fact]
    public async Task A_child_on_a_peer_is_linked_with_its_attested_status_the_child_shows_its_parent_as_a_link_and_an_end_reaches_the_link()
    {
        var (parent, child) = await RunningParentAndChildAsync();

        (await LinkTickAsync()).ShouldBe(1);
        var tree = await LineageAsync(ParentClientHttp(), parent.Id);
        var link = tree.GetProperty("root").GetProperty("links").EnumerateArray().ShouldHaveSingleItem();
        link.GetProperty("ledger").GetString().ShouldBe(ChildOrigin);
        link.GetProperty("executionId").GetString().ShouldBe(child.Id);
        link.GetProperty("status").GetString().ShouldBe("running");
        link.GetProperty("checkpointSize").GetInt64().ShouldBeGreaterThan(0);
        link.GetProperty("attestationDigest").GetString()!.ShouldStartWith("sha256:");
        link.GetProperty("attestedAt").GetDateTimeOffset().ShouldBe(_child.Clock.GetUtcNow(), TimeSpan.FromSeconds(1));

        var childTree = await LineageAsync(ChildClientHttp(), child.Id);
        var up = childTree.GetProperty("remoteParent");
        up.GetProperty("ledger").GetString().ShouldBe(ParentOrigin);
        up.GetProperty("executionId").GetString().ShouldBe(parent.Id);
        up.GetProperty("status").GetString().ShouldBe("running");
        up.GetProperty("checkpointSize").GetInt64().ShouldBeGreaterThan(0);

        // The parent halts; the child's ledger follows and ends the child; the listing still names it (open or ended), and the
        // link, last proven running, is asked about again and shows the end.
        await ParentClient().AppendCreatedAsync(parent.Stream, Story.Body(5, parent.Halted()));
        (await _child.Services.GetRequiredService<FollowJob>().RunOnceAsync(CancellationToken.None)).ShouldBe(1);
        (await ChildrenAsync($"origin={ParentOrigin}")).GetProperty("children").EnumerateArray().ShouldHaveSingleItem()
            .GetProperty("executionId").GetString().ShouldBe(child.Id);
        (await LinkTickAsync()).ShouldBe(1);
        (await LineageAsync(ParentClientHttp(), parent.Id)).GetProperty("root").GetProperty("links")[0].GetProperty("status").GetString().ShouldBe("halted");
        (await LinkTickAsync()).ShouldBe(0, "an ended child is not asked about again");
        (await LineageAsync(ChildClientHttp(), child.Id)).GetProperty("remoteParent").GetProperty("status").GetString().ShouldBe("halted");

        await ParentClient().ExportAndVerifyAsync();
        await ChildClient().ExportAndVerifyAsync();
        await LineageExportVerifiesAgainAsync(child.Id, records: 3);
    }

    /// <summary>
    /// The child's lineage export carries the attestation behind each of its cross-ledger records (intent, start, end), and
    /// the offline verifier, given the parent's key and full export, verifies each one again.
    /// </summary>
    private async Task LineageExportVerifiesAgainAsync(string childId, int records)
    {
        await ChildClient().SignCheckpointAsync();
        await ParentClient().SignCheckpointAsync();
        using var childHttp = _child.CreateClient();
        using var parentHttp = _parent.CreateClient();
        var lineage = await childHttp.GetByteArrayAsync(new Uri($"/v1/export?lineage={childId}", UriKind.Relative));
        Encoding.UTF8.GetString(lineage).Split("\"record\":\"attestation\"").Length.ShouldBe(records + 1);
        var full = await parentHttp.GetByteArrayAsync(new Uri("/v1/export", UriKind.Relative));
        var dir = Directory.CreateTempSubdirectory("ledger-links-audit-");
        try
        {
            var childFile = Path.Combine(dir.FullName, "child.ndjson");
            var parentFile = Path.Combine(dir.FullName, "parent.ndjson");
            await File.WriteAllBytesAsync(childFile, lineage);
            await File.WriteAllBytesAsync(parentFile, full);
            var childKey = (await childHttp.GetStringAsync(new Uri("/v1/log/key", UriKind.Relative))).Trim();
            var parentKey = (await parentHttp.GetStringAsync(new Uri("/v1/log/key", UriKind.Relative))).Trim();
            using var output = new StringWriter();
            var exit = Ledger.Verifier.Program.Run([childFile, parentFile, "--trust", childKey, "--trust", parentKey, "--json"], output, output);
            exit.ShouldBe(0, output.ToString());
            var federation = JsonDocument.Parse(output.ToString()).RootElement.GetProperty("federation");
            federation.GetProperty("records").GetInt64().ShouldBe(records);
            federation.GetProperty("attestationsVerified").GetInt64().ShouldBe(records, output.ToString());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_listing_proves_nothing_forged_attestations_and_executions_without_a_parent_here_are_not_linked()
    {
        var (parent, child) = await RunningParentAndChildAsync();
        var loner = new Story("loner-" + Guid.NewGuid().ToString("N")[..8], _child.Clock.GetUtcNow(), domain: "c.example");
        await ChildClient().StartExecutionAsync(loner);
        using var http = _child.CreateClient();
        var real = await http.GetStringAsync(new Uri($"/v1/executions/{child.Id}/attestation", UriKind.Relative));
        var forgedId = child.Id + "-forged";

        // The peer lists a made-up child (answered with the real child's attestation: signed, but of another execution), a
        // real execution whose intent names no parent here, and the real child.
        var listing = JsonSerializer.Serialize(new
        {
            ledger = ChildOrigin,
            children = new[]
            {
                new { executionId = forgedId, parentExecutionId = parent.Id, position = 1L },
                new { executionId = loner.Id, parentExecutionId = parent.Id, position = 2L },
                new { executionId = child.Id, parentExecutionId = parent.Id, position = 3L },
            },
            next = (long?)null,
        });
        var invoker = new HttpMessageInvoker(_child.Server.CreateHandler());
        _router.Route("c.test", request => request.RequestUri!.AbsolutePath switch
        {
            "/v1/federation/children" => Answer(listing, "application/json"),
            var path when path == $"/v1/executions/{forgedId}/attestation" => Answer(real, "text/plain"),
            _ => invoker.SendAsync(request, CancellationToken.None).GetAwaiter().GetResult(),
        });

        (await LinkTickAsync()).ShouldBe(1, "only the real child");
        var link = (await LineageAsync(ParentClientHttp(), parent.Id)).GetProperty("root").GetProperty("links").EnumerateArray().ShouldHaveSingleItem();
        link.GetProperty("executionId").GetString().ShouldBe(child.Id);

        // A peer that answers no listing at all: the links kept stay, nothing is written.
        _router.Route("c.test", _ => Answer("{\"children\": 7}", "application/json"));
        (await LinkTickAsync()).ShouldBe(0);
        (await LineageAsync(ParentClientHttp(), parent.Id)).GetProperty("root").GetProperty("links").GetArrayLength().ShouldBe(1);
        invoker.Dispose();
        await ParentClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_child_that_ended_on_the_peer_before_the_first_tick_is_shown_with_its_end_and_an_ended_child_is_not_asked_about_again()
    {
        var (parent, running) = await RunningParentAndChildAsync();
        var completed = ChildStory(parent, "completed");
        var halted = ChildStory(parent, "halted");
        await ChildClient().StartExecutionAsync(completed);
        await ChildClient().StartExecutionAsync(halted);
        await ChildClient().AppendCreatedAsync(completed.Stream, Story.Body(-1, completed.Verified(), completed.Completed()));
        await ChildClient().AppendCreatedAsync(halted.Stream, Story.Body(-1, halted.Halted()));
        using var counted = new CountingRoute(_router, "c.test", _child);

        (await LinkTickAsync()).ShouldBe(3);
        var links = (await LineageAsync(ParentClientHttp(), parent.Id)).GetProperty("root").GetProperty("links").EnumerateArray()
            .ToDictionary(l => l.GetProperty("executionId").GetString()!, l => l.GetProperty("status").GetString());
        links.ShouldBe(new Dictionary<string, string?> { [running.Id] = "running", [completed.Id] = "completed", [halted.Id] = "halted" }, ignoreOrder: true);

        // The next tick asks about the one still open, and for the listing after its cursor: nothing about the ended ones.
        counted.Clear();
        (await LinkTickAsync()).ShouldBe(1);
        counted.Attestations.ShouldBe([running.Id]);
        counted.Listings.ShouldHaveSingleItem().ShouldContain("&after=");

        await ParentClient().ExportAndVerifyAsync();
        await ChildClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task The_link_job_pages_the_listing_from_its_cursor_and_each_tick_asks_about_the_open_links_and_the_new_children_only()
    {
        var parent = new Story("parent-" + Guid.NewGuid().ToString("N")[..8], _parent.Clock.GetUtcNow());
        await ParentClient().StartExecutionAsync(parent);
        var children = Enumerable.Range(0, 7).Select(i => ChildStory(parent, "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        await ChildClient().StartExecutionsAsync(children, parallelism: 1);
        // The real listing, in pages of two.
        using var counted = new CountingRoute(_router, "c.test", _child, pageSize: 2);

        (await LinkTickAsync()).ShouldBe(7);
        counted.Listings.Count.ShouldBe(4, "7 children in pages of 2");
        counted.Attestations.Count.ShouldBe(7);
        (await LineageAsync(ParentClientHttp(), parent.Id)).GetProperty("root").GetProperty("links").GetArrayLength().ShouldBe(7);

        // Two end and two more come to be: the tick asks about the seven it shows open and the two new ones.
        await ChildClient().AppendCreatedAsync(children[0].Stream, Story.Body(-1, children[0].Halted()));
        await ChildClient().AppendCreatedAsync(children[5].Stream, Story.Body(-1, children[5].Halted()));
        var later = new[] { ChildStory(parent, "later0"), ChildStory(parent, "later1") };
        await ChildClient().StartExecutionsAsync(later, parallelism: 1);
        counted.Clear();
        (await LinkTickAsync()).ShouldBe(9);
        counted.Attestations.Count.ShouldBe(9);
        counted.Listings.Count.ShouldBe(1, "the two new ones fit one page after the cursor");

        // From now on the ended ones cost nothing: seven open links, one empty page.
        counted.Clear();
        (await LinkTickAsync()).ShouldBe(7);
        counted.Attestations.Count.ShouldBe(7);
        counted.Attestations.ShouldNotContain(children[0].Id);
        counted.Attestations.ShouldNotContain(children[5].Id);
        counted.Listings.Count.ShouldBe(1);
        var statuses = (await LineageAsync(ParentClientHttp(), parent.Id)).GetProperty("root").GetProperty("links").EnumerateArray()
            .ToDictionary(l => l.GetProperty("executionId").GetString()!, l => l.GetProperty("status").GetString());
        statuses.Count.ShouldBe(9);
        statuses[children[0].Id].ShouldBe("halted");
        statuses[later[1].Id].ShouldBe("running");

        await ParentClient().ExportAndVerifyAsync();
        await ChildClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_listing_that_names_a_child_under_another_parent_shows_it_only_under_the_parent_its_attestation_proves()
    {
        var (parent, child) = await RunningParentAndChildAsync();
        var other = new Story("other-" + Guid.NewGuid().ToString("N")[..8], _parent.Clock.GetUtcNow());
        await ParentClient().StartExecutionAsync(other);
        var othersChild = ChildStory(other, "child");
        await ChildClient().StartExecutionAsync(othersChild);
        var real = JsonDocument.Parse(await ChildrenStringAsync($"origin={ParentOrigin}")).RootElement.GetProperty("children");
        var positions = real.EnumerateArray().ToDictionary(c => c.GetProperty("executionId").GetString()!, c => c.GetProperty("position").GetInt64());

        // The peer claims both children are the parent's.
        var listing = JsonSerializer.Serialize(new
        {
            ledger = ChildOrigin,
            children = new[] { child.Id, othersChild.Id }.OrderBy(id => positions[id])
                .Select(id => new { executionId = id, parentExecutionId = parent.Id, position = positions[id] }),
            next = (long?)null,
        });
        using var invoker = new HttpMessageInvoker(_child.Server.CreateHandler());
        _router.Route("c.test", request => request.RequestUri!.AbsolutePath == "/v1/federation/children"
            ? Answer(listing, "application/json")
            : invoker.SendAsync(request, CancellationToken.None).GetAwaiter().GetResult());

        (await LinkTickAsync()).ShouldBe(2);
        (await LineageAsync(ParentClientHttp(), parent.Id)).GetProperty("root").GetProperty("links").EnumerateArray()
            .Select(l => l.GetProperty("executionId").GetString()).ShouldBe([child.Id], "the listing's word that the other child is this parent's is not taken");
        (await LineageAsync(ParentClientHttp(), other.Id)).GetProperty("root").GetProperty("links").EnumerateArray()
            .Select(l => l.GetProperty("executionId").GetString()).ShouldBe([othersChild.Id], "where its attestation proves it");
        await ParentClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_child_whose_attestation_cannot_be_had_holds_the_cursor_and_is_shown_once_it_can()
    {
        var (parent, first) = await RunningParentAndChildAsync();
        var second = ChildStory(parent, "second");
        var third = ChildStory(parent, "third");
        await ChildClient().StartExecutionAsync(second);
        await ChildClient().StartExecutionAsync(third);
        using var invoker = new HttpMessageInvoker(_child.Server.CreateHandler());
        var down = true;
        _router.Route("c.test", request => down && request.RequestUri!.AbsolutePath == $"/v1/executions/{second.Id}/attestation"
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            : invoker.SendAsync(request, CancellationToken.None).GetAwaiter().GetResult());

        (await LinkTickAsync()).ShouldBe(2, "the first and the third verify; the second could not be had");
        var shown = (await LineageAsync(ParentClientHttp(), parent.Id)).GetProperty("root").GetProperty("links").EnumerateArray()
            .Select(l => l.GetProperty("executionId").GetString()).ToList();
        shown.ShouldBe([first.Id, third.Id], ignoreOrder: true);

        // Its peer answers again: the listing is asked from before the second, which is now shown.
        down = false;
        await ChildClient().AppendCreatedAsync(first.Stream, Story.Body(-1, first.Halted()));
        (await LinkTickAsync()).ShouldBe(3, "the open first and third asked again, and the second");
        var links = (await LineageAsync(ParentClientHttp(), parent.Id)).GetProperty("root").GetProperty("links").EnumerateArray()
            .ToDictionary(l => l.GetProperty("executionId").GetString()!, l => l.GetProperty("status").GetString());
        links.ShouldBe(new Dictionary<string, string?> { [first.Id] = "halted", [second.Id] = "running", [third.Id] = "running" }, ignoreOrder: true);
        await ParentClient().ExportAndVerifyAsync();
        await ChildClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task The_children_listing_holds_open_and_ended_children_pages_by_first_position_and_refuses_bad_parameters()
    {
        var (parent, first) = await RunningParentAndChildAsync();
        var second = ChildStory(parent, "second");
        await ChildClient().StartExecutionAsync(second);
        await ChildClient().AppendCreatedAsync(first.Stream, Story.Body(-1, first.Verified(), first.Completed()));

        var page = await ChildrenAsync($"origin={ParentOrigin}&limit=1");
        page.GetProperty("ledger").GetString().ShouldBe(ChildOrigin);
        var listed = page.GetProperty("children").EnumerateArray().ShouldHaveSingleItem();
        listed.GetProperty("executionId").GetString().ShouldBe(first.Id, "ended, and still listed");
        listed.GetProperty("parentExecutionId").GetString().ShouldBe(parent.Id);
        var next = page.GetProperty("next").GetInt64();
        next.ShouldBe(listed.GetProperty("position").GetInt64());
        var last = await ChildrenAsync($"origin={ParentOrigin}&limit=1&after={next}");
        last.GetProperty("children")[0].GetProperty("executionId").GetString().ShouldBe(second.Id);
        last.GetProperty("children")[0].GetProperty("position").GetInt64().ShouldBeGreaterThan(next);
        last.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);
        (await ChildrenAsync($"origin={ParentOrigin}&after={last.GetProperty("children")[0].GetProperty("position").GetInt64()}")).GetProperty("children").GetArrayLength().ShouldBe(0);
        (await ChildrenAsync($"origin={ParentOrigin}")).GetProperty("children").GetArrayLength().ShouldBe(2);
        (await ChildrenAsync("origin=other.example/ledger")).GetProperty("children").GetArrayLength().ShouldBe(0);

        using var http = _child.CreateClient();
        foreach (var query in new[]
        {
            "", "origin=", "origin=a+b", "origin=a%20b", $"origin={new string('a', 257)}", $"origin={ParentOrigin}&limit=0", $"origin={ParentOrigin}&limit=501",
            $"origin={ParentOrigin}&after=bad%20id", $"origin={ParentOrigin}&after=-1", $"origin={ParentOrigin}&after=1.5", $"origin={ParentOrigin}&after=",
            $"origin={ParentOrigin}&after=9007199254740992", $"origin={ParentOrigin}&after=99999999999999999999",
        })
        {
            using var response = await http.GetAsync(new Uri("/v1/federation/children?" + query, UriKind.Relative));
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, query);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", query);
            (await response.Content.ReadAsStringAsync()).ShouldContain("out-of-range", Case.Sensitive, query);
        }

        await ChildClient().ExportAndVerifyAsync();
    }

    [Theory]
    [InlineData("{\"children\":[{\"executionId\":\"b\",\"position\":5},{\"executionId\":\"a\",\"position\":4}]}", -1, "positions out of order")]
    [InlineData("{\"children\":[{\"executionId\":\"b\",\"position\":5},{\"executionId\":\"a\",\"position\":5}]}", -1, "a position twice")]
    [InlineData("{\"children\":[{\"executionId\":\"a\",\"position\":5}],\"next\":9}", -1, "a cursor that is not the last position")]
    [InlineData("{\"children\":[{\"executionId\":\"a\",\"position\":5}],\"next\":\"5\"}", -1, "a cursor that is not a number")]
    [InlineData("{\"children\":[],\"next\":3}", -1, "a cursor on an empty page")]
    [InlineData("{\"children\":[{\"executionId\":\"a\",\"position\":5}]}", 5, "a position not after the cursor asked for")]
    [InlineData("{\"children\":[{\"executionId\":\"a\"}]}", -1, "no position")]
    [InlineData("{\"children\":[{\"executionId\":\"a\",\"position\":1.5}]}", -1, "a position that is not an integer")]
    [InlineData("{\"children\":[{\"executionId\":\"bad id\",\"position\":1}]}", -1, "an id that is not an execution id")]
    [InlineData("[1]", -1, "not an object")]
    [InlineData("{\"children\":[", -1, "not JSON")]
    public void A_listing_that_could_page_forever_or_is_not_a_listing_is_refused(string body, long after, string why) =>
        RemoteChildren.TryParseListing(body, after, out _).ShouldBeFalse(why);

    [Fact]
    public void A_listing_page_is_read_with_its_positions_and_whether_more_follows()
    {
        RemoteChildren.TryParseListing("{\"children\":[{\"executionId\":\"a\",\"position\":5},{\"executionId\":\"b\",\"position\":9}],\"next\":9}", 4, out var page).ShouldBeTrue();
        page!.Children.Select(c => (c.ExecutionId.Value, c.Position)).ShouldBe([("a", 5L), ("b", 9L)]);
        page.More.ShouldBeTrue();
        RemoteChildren.TryParseListing("{\"children\":[],\"next\":null}", 9, out var end).ShouldBeTrue();
        end!.Children.ShouldBeEmpty();
        end.More.ShouldBeFalse();
    }

    private async Task<(Story Parent, Story Child)> RunningParentAndChildAsync()
    {
        var parent = new Story("parent-" + Guid.NewGuid().ToString("N")[..8], _parent.Clock.GetUtcNow());
        await ParentClient().StartExecutionAsync(parent);
        var child = ChildStory(parent, "child");
        await ChildClient().StartExecutionAsync(child);
        return (parent, child);
    }

    private static Story ChildStory(Story parent, string name) =>
        new($"{parent.Id}-{name}", parent.Now, domain: "c.example", scope: ["invoices:read"], parent: (ParentOrigin, parent.Id), expiresAt: parent.ExpiresAt);

    private static Dictionary<string, string> Settings(string origin, string peer, string peerKey, string peerUrl) => new()
    {
        ["Ledger:Origin"] = origin,
        ["Ledger:FollowInterval"] = "01:00:00",
        ["Ledger:Peers:0:Origin"] = peer,
        ["Ledger:Peers:0:Key"] = peerKey,
        ["Ledger:Peers:0:Url"] = peerUrl,
    };

    private void Routed(IServiceCollection services) =>
        services.AddHttpClient(HttpPeerTransport.ClientName).ConfigurePrimaryHttpMessageHandler(_router.Handler);

    private Task<int> LinkTickAsync() => _parent.Services.GetRequiredService<LinkJob>().RunOnceAsync(CancellationToken.None);

    private async Task<JsonElement> ChildrenAsync(string query) => JsonDocument.Parse(await ChildrenStringAsync(query)).RootElement.Clone();

    private async Task<string> ChildrenStringAsync(string query)
    {
        using var http = _child.CreateClient();
        using var response = await http.GetAsync(new Uri("/v1/federation/children?" + query, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return text;
    }

    /// <summary>The lineage of <paramref name="execution"/>, once the read model holds it.</summary>
    private static async Task<JsonElement> LineageAsync(HttpClient http, string execution)
    {
        using (http)
        {
            var until = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                using var response = await http.GetAsync(new Uri($"/v1/executions/{execution}/lineage", UriKind.Relative));
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return JsonDocument.Parse(text).RootElement.Clone();
                }

                response.StatusCode.ShouldBe(HttpStatusCode.NotFound, text);
                DateTime.UtcNow.ShouldBeLessThan(until, "the read model did not catch up");
                await Task.Delay(50);
            }
        }
    }

    private static HttpResponseMessage Answer(string body, string mediaType) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    private HttpClient ParentClientHttp() => Authorized(_parent.CreateClient(), _parent.FirstStart.DevToken);

    private HttpClient ChildClientHttp() => Authorized(_child.CreateClient(), _childDevToken);

    private static HttpClient Authorized(HttpClient http, string token)
    {
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private LedgerClient ParentClient() => new(_parent.CreateClient(), _parent.FirstStart.DevToken, _parent.FirstStart.AdminToken);

    private LedgerClient ChildClient() => new(_child.CreateClient(), _childDevToken, _child.FirstStart.AdminToken);

    /// <summary>Routes a host to a real ledger, noting the listings and attestations asked for; optionally asks the listing for smaller pages.</summary>
    private sealed class CountingRoute : IDisposable
    {
        private readonly HttpMessageInvoker _invoker;
        private readonly List<string> _listings = [];
        private readonly List<string> _attestations = [];

        public CountingRoute(InProcessRouter router, string host, LedgerApp app, int? pageSize = null)
        {
            _invoker = new HttpMessageInvoker(app.Server.CreateHandler());
            router.Route(host, request =>
            {
                var path = request.RequestUri!.AbsolutePath;
                lock (_listings)
                {
                    if (path == "/v1/federation/children")
                    {
                        _listings.Add(request.RequestUri.Query);
                        if (pageSize is { } size)
                        {
                            request.RequestUri = new Uri(request.RequestUri.ToString().Replace(
                                $"limit={RemoteChildren.PageSize}", $"limit={size}", StringComparison.Ordinal));
                        }
                    }
                    else if (path.StartsWith("/v1/executions/", StringComparison.Ordinal) && path.EndsWith("/attestation", StringComparison.Ordinal))
                    {
                        _attestations.Add(path["/v1/executions/".Length..^"/attestation".Length]);
                    }
                }

                return _invoker.SendAsync(request, CancellationToken.None).GetAwaiter().GetResult();
            });
        }

        public IReadOnlyList<string> Listings
        {
            get
            {
                lock (_listings)
                {
                    return [.. _listings];
                }
            }
        }

        public IReadOnlyList<string> Attestations
        {
            get
            {
                lock (_listings)
                {
                    return [.. _attestations];
                }
            }
        }

        public void Clear()
        {
            lock (_listings)
            {
                _listings.Clear();
                _attestations.Clear();
            }
        }

        public void Dispose() => _invoker.Dispose();
    }
}
