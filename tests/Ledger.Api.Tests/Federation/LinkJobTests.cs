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

        // The parent halts; the child's ledger follows and ends the child; the child is no longer listed as open, and the
        // link, last proven running, is asked about again and shows the end.
        await ParentClient().AppendCreatedAsync(parent.Stream, Story.Body(5, parent.Halted()));
        (await _child.Services.GetRequiredService<FollowJob>().RunOnceAsync(CancellationToken.None)).ShouldBe(1);
        (await ChildrenAsync($"origin={ParentOrigin}")).GetProperty("children").GetArrayLength().ShouldBe(0);
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
            children = new[] { new { executionId = child.Id, parentExecutionId = parent.Id }, new { executionId = forgedId, parentExecutionId = parent.Id }, new { executionId = loner.Id, parentExecutionId = parent.Id } }
                .OrderBy(c => c.executionId, StringComparer.Ordinal),
            next = (string?)null,
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
    public async Task The_children_listing_pages_by_execution_id_and_refuses_bad_parameters()
    {
        var (parent, first) = await RunningParentAndChildAsync();
        var second = ChildStory(parent, "second");
        await ChildClient().StartExecutionAsync(second);

        var page = await ChildrenAsync($"origin={ParentOrigin}&limit=1");
        page.GetProperty("ledger").GetString().ShouldBe(ChildOrigin);
        page.GetProperty("children")[0].GetProperty("executionId").GetString().ShouldBe(first.Id);
        page.GetProperty("children")[0].GetProperty("parentExecutionId").GetString().ShouldBe(parent.Id);
        var next = page.GetProperty("next").GetString().ShouldNotBeNull();
        var last = await ChildrenAsync($"origin={ParentOrigin}&limit=1&after={next}");
        last.GetProperty("children")[0].GetProperty("executionId").GetString().ShouldBe(second.Id);
        last.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);
        (await ChildrenAsync("origin=other.example/ledger")).GetProperty("children").GetArrayLength().ShouldBe(0);

        using var http = _child.CreateClient();
        foreach (var query in new[] { "", "origin=", "origin=a+b", "origin=a%20b", $"origin={ParentOrigin}&limit=0", $"origin={ParentOrigin}&limit=501", $"origin={ParentOrigin}&after=bad%20id" })
        {
            using var response = await http.GetAsync(new Uri("/v1/federation/children?" + query, UriKind.Relative));
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, query);
            (await response.Content.ReadAsStringAsync()).ShouldContain("out-of-range", Case.Sensitive, query);
        }

        await ChildClient().ExportAndVerifyAsync();
    }

    [Theory]
    [InlineData("{\"children\":[{\"executionId\":\"b\"},{\"executionId\":\"a\"}]}", null, "ids out of order")]
    [InlineData("{\"children\":[{\"executionId\":\"a\"}],\"next\":\"z\"}", null, "a cursor that is not the last id")]
    [InlineData("{\"children\":[],\"next\":\"a\"}", null, "a cursor on an empty page")]
    [InlineData("{\"children\":[{\"executionId\":\"a\"}]}", "a", "an id not after the cursor asked for")]
    [InlineData("{\"children\":[{\"executionId\":\"bad id\"}]}", null, "an id that is not an execution id")]
    [InlineData("[1]", null, "not an object")]
    [InlineData("{\"children\":[", null, "not JSON")]
    public void A_listing_that_could_page_forever_or_is_not_a_listing_is_refused(string body, string? after, string why) =>
        RemoteChildren.TryParseListing(body, after, out _, out _).ShouldBeFalse(why);

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

    private async Task<JsonElement> ChildrenAsync(string query)
    {
        using var http = _child.CreateClient();
        using var response = await http.GetAsync(new Uri("/v1/federation/children?" + query, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
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
}
