using System.Globalization;
using Ledger.Api.Federation;
using Ledger.Api.Tests.FailClosed;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Application.Jobs;
using Ledger.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Ledger.Api.Tests.Federation;

/// <summary>
/// The child's ledger as two nodes on one PostgreSQL database, following a parent on a peer (SQLite) every 100 ms on the
/// system clock: one node runs each follow tick, and each child of the halted parent ends exactly once.
/// </summary>
[Collection(PostgresTestGroup.Name)]
public sealed class FollowLeadershipTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const string ParentOrigin = "p.example/ledger";

    [Fact]
    public async Task Two_nodes_follow_one_peer_with_one_leader_per_tick_and_end_each_child_once()
    {
        var router = new InProcessRouter();
        await using var peer = new LedgerApp("sqlite", null, new Dictionary<string, string> { ["Ledger:Origin"] = ParentOrigin }, systemClock: true);
        using var peerHttp = peer.CreateClient();
        var key = (await peerHttp.GetStringAsync("/v1/log/key")).Trim();
        router.Route("p.test", peer);
        var settings = new Dictionary<string, string>
        {
            ["Ledger:FollowInterval"] = "00:00:00.100",
            ["Ledger:Peers:0:Origin"] = ParentOrigin,
            ["Ledger:Peers:0:Key"] = key,
            ["Ledger:Peers:0:Url"] = "http://p.test/",
        };
        void Routed(IServiceCollection s) => s.AddHttpClient(HttpPeerTransport.ClientName).ConfigurePrimaryHttpMessageHandler(router.Handler);
        var database = await postgres.Server.CreateDatabaseAsync("follow-leaders");
        await using var first = new LedgerApp("postgres", database, settings, systemClock: true, services: Routed);
        var tokens = first.FirstStart;
        await using var second = new LedgerApp("postgres", database, settings, dataDir: first.DataDir, systemClock: true, services: Routed);
        second.CreatedTheLedger.ShouldBeFalse();
        using var parentClient = new LedgerClient(peer.CreateClient(), peer.FirstStart.DevToken, peer.FirstStart.AdminToken);
        using var a = new LedgerClient(first.CreateClient(), tokens.DevToken, tokens.AdminToken);
        using var b = new LedgerClient(second.CreateClient(), tokens.DevToken, tokens.AdminToken);

        var started = DateTimeOffset.UtcNow;
        var parent = new Story("follow-parent", started);
        await parentClient.StartExecutionAsync(parent);
        var children = Enumerable.Range(0, 30)
            .Select(i => new Story(string.Create(CultureInfo.InvariantCulture, $"follow-child-{i}"), started, domain: "c.example", scope: ["invoices:read"],
                parent: (ParentOrigin, parent.Id), expiresAt: parent.ExpiresAt))
            .ToList();
        await Task.WhenAll(a.StartExecutionsAsync(children.Where((_, i) => i % 2 == 0), 4), b.StartExecutionsAsync(children.Where((_, i) => i % 2 == 1), 4));
        await parentClient.AppendCreatedAsync(parent.Stream, Story.Body(5, parent.Halted()));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await a.DecisionsAsync(children.Select(c => c.Id))).Any(d => d.Status != "halted"))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the follow job did not end every child");
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var entries = await a.EntriesAsync();
        foreach (var child in children)
        {
            entries.Count(e => e.Stream == child.Stream && e.Type == "execution.halted.v1").ShouldBe(1, child.Id);
        }

        var runs = new[] { first, second }
            .Select(n => n.Services.GetRequiredService<JobCoordinator>().RecentRuns.Where(r => r.Job == "follow" && r.Started >= started).ToList())
            .ToList();
        output.WriteLine($"follow: {runs[0].Count} ticks on the first node, {runs[1].Count} on the second, {runs.Sum(r => r.Sum(x => x.Done))} ended");
        (runs[0].Count + runs[1].Count).ShouldBeGreaterThan(5, "the follow job hardly ran");
        runs.Sum(r => r.Sum(x => x.Done)).ShouldBe(children.Count, "each child was ended by exactly one tick");
        runs[0].SelectMany(x => runs[1].Where(y => x.Started < y.Ended && y.Started < x.Ended)).ShouldBeEmpty("two nodes ran a follow tick at once");
        await a.ExportAndVerifyAsync();
        await parentClient.ExportAndVerifyAsync();
    }
}
