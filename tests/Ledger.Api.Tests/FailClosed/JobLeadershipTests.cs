using System.Globalization;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Application.Jobs;
using Ledger.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Ledger.Api.Tests.FailClosed;

/// <summary>
/// Two nodes of one ledger on one PostgreSQL database, in process and on the system clock, every job on a short
/// interval: each tick runs on exactly one node, so the ticks of one job on the two nodes never overlap in time.
/// </summary>
[Collection(PostgresTestGroup.Name)]
public sealed class JobLeadershipTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Two_nodes_on_one_database_never_run_ticks_of_the_same_job_at_the_same_time()
    {
        var settings = new Dictionary<string, string>
        {
            ["Ledger:CheckpointInterval"] = "00:00:00.100",
            ["Ledger:SweepInterval"] = "00:00:00.100",
            ["Ledger:CascadeInterval"] = "00:00:00.100",
            ["Ledger:ProofInterval"] = "00:00:00.100",
        };
        var database = await postgres.Server.CreateDatabaseAsync("leaders");
        await using var first = new LedgerApp("postgres", database, settings, systemClock: true);
        var tokens = first.FirstStart;
        await using var second = new LedgerApp("postgres", database, settings, dataDir: first.DataDir, systemClock: true);
        second.CreatedTheLedger.ShouldBeFalse();
        using var a = new LedgerClient(first.CreateClient(), tokens.DevToken, tokens.AdminToken);
        using var b = new LedgerClient(second.CreateClient(), tokens.DevToken, tokens.AdminToken);

        // Work for every job: a tree to cascade (through both nodes), checkpoints to sign, a finished tree to prove.
        var started = DateTimeOffset.UtcNow;
        var parent = new Story("leader-parent", started);
        await a.StartExecutionAsync(parent);
        var children = Enumerable.Range(0, 200)
            .Select(i => new Story(string.Create(CultureInfo.InvariantCulture, $"leader-child-{i}"), started, parent: ("ledger.local/log", parent.Id), expiresAt: parent.ExpiresAt))
            .ToList();
        await Task.WhenAll(a.StartExecutionsAsync(children.Where((_, i) => i % 2 == 0), 8), b.StartExecutionsAsync(children.Where((_, i) => i % 2 == 1), 8));
        await b.AppendCreatedAsync(parent.Stream, Story.Body(5, parent.Halted()));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await a.DecisionsAsync(children.Select(c => c.Id))).Any(d => d.Status != "halted"))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the cascade did not finish");
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        var runs = new[] { first, second }.Select(n => n.Services.GetRequiredService<JobCoordinator>().RecentRuns.Where(r => r.Started >= started).ToList()).ToList();

        foreach (var job in new[] { "cascade", "sweep", "checkpoint", "proof" })
        {
            var ofFirst = runs[0].Where(r => r.Job == job).ToList();
            var ofSecond = runs[1].Where(r => r.Job == job).ToList();
            output.WriteLine($"{job}: {ofFirst.Count} ticks on the first node, {ofSecond.Count} on the second, {ofFirst.Concat(ofSecond).Sum(r => r.Done)} done");
            (ofFirst.Count + ofSecond.Count).ShouldBeGreaterThan(5, $"the {job} job hardly ran");
            var overlapping = ofFirst.SelectMany(x => ofSecond.Where(y => x.Started < y.Ended && y.Started < x.Ended).Select(y => (x, y))).ToList();
            overlapping.ShouldBeEmpty($"ticks of {job} ran on both nodes at once: {string.Join("; ", overlapping.Take(3))}");
            ofFirst.Concat(ofSecond).Where(r => r.Error is not null).ShouldBeEmpty();
        }

        runs.ShouldAllBe(r => r.Count > 0, "each node leads some ticks");
        await a.ExportAndVerifyAsync();
    }
}
