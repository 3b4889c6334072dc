using Ledger.Domain.Executions;
using Ledger.Domain.Notes;
using Ledger.Projections.Reading;
using Ledger.Projections.Storage;
using Ledger.Projections.Tests.Infrastructure;
using static Ledger.Projections.Tests.Infrastructure.Story;

namespace Ledger.Projections.Tests;

public abstract partial class ProjectionSuite
{
    [Fact]
    public async Task The_dashboard_counts_executions_per_cloud_and_status_and_refusals_per_bucket_of_the_window()
    {
        var (ledger, _) = await StoryAsync();
        var models = ledger.Engine.ReadModels;

        var all = await models.GetDashboardAsync(new ExecutionScope(null, null), At(30), TimeSpan.FromHours(1), 24, TimeSpan.FromHours(1), 10);

        all.Position.ShouldBe(await ledger.Store.GetTreeSizeAsync());
        Counts(all).ShouldBe([
            "(none) none 1",
            "aws completed 1", "aws declared 1", "aws denied 1", "aws halted 1",
            "gcp declared 1", "gcp denied 1", "gcp halted 1", "gcp running 2",
        ]);
        // The 24 hourly buckets end with the one holding now (12:30): the last bucket is 12:00–13:00.
        all.WindowStart.ShouldBe(new DateTimeOffset(2025, 5, 31, 13, 0, 0, TimeSpan.Zero));
        Refusals(all).ShouldBe([
            "denied governance-stale 23 1", "denied parent-halted 23 1", "halted emitter-reported 23 1", "halted parent-halted 23 1",
        ]);
        all.Domains.ShouldBe([Aws, Gcp]);

        // root-1 runs on aws but concerns gcp too (a target domain): it counts in gcp's scope under its own cloud.
        var gcp = await models.GetDashboardAsync(new ExecutionScope(Gcp, null), At(30), TimeSpan.FromHours(1), 24, TimeSpan.FromHours(1), 10);
        Counts(gcp).ShouldBe(["aws halted 1", "gcp declared 1", "gcp denied 1", "gcp halted 1", "gcp running 2"]);
        Refusals(gcp).ShouldBe(["denied parent-halted 23 1", "halted emitter-reported 23 1", "halted parent-halted 23 1"]);
        var gcpOnGcp = await models.GetDashboardAsync(new ExecutionScope(Gcp, "gcp"), At(30), TimeSpan.FromHours(1), 24, TimeSpan.FromHours(1), 10);
        Refusals(gcpOnGcp).ShouldBe(["denied parent-halted 23 1", "halted parent-halted 23 1"]);
        var awsCloud = await models.GetDashboardAsync(new ExecutionScope(null, "aws"), At(30), TimeSpan.FromHours(1), 24, TimeSpan.FromHours(1), 10);
        Refusals(awsCloud).ShouldBe(["denied governance-stale 23 1", "halted emitter-reported 23 1"]);

        // Day buckets: the week ends with the day holding now (June 1st), so the refusals are in the last of seven.
        var week = await models.GetDashboardAsync(new ExecutionScope(null, null), At(30), TimeSpan.FromDays(1), 7, TimeSpan.FromHours(1), 10);
        week.WindowStart.ShouldBe(new DateTimeOffset(2025, 5, 26, 0, 0, 0, TimeSpan.Zero));
        Refusals(week).ShouldBe([
            "denied governance-stale 6 1", "denied parent-halted 6 1", "halted emitter-reported 6 1", "halted parent-halted 6 1",
        ]);

        // Two days later the hourly window holds none of them; the counts are the same.
        var later = await models.GetDashboardAsync(new ExecutionScope(null, null), At(30).AddDays(2), TimeSpan.FromHours(1), 24, TimeSpan.FromHours(1), 10);
        later.Refusals.ShouldBeEmpty();
        Counts(later).ShouldBe(Counts(all));

        var nowhere = await models.GetDashboardAsync(new ExecutionScope("nowhere", null), At(30), TimeSpan.FromHours(1), 24, TimeSpan.FromHours(1), 10);
        (nowhere.Counts.Count, nowhere.Refusals.Count).ShouldBe((0, 0));
    }

    [Fact]
    public async Task Dashboard_buckets_that_are_not_whole_hours_are_refused()
    {
        var (ledger, _) = await StoryAsync();
        var models = ledger.Engine.ReadModels;
        var scope = new ExecutionScope(null, null);

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => models.GetDashboardAsync(scope, At(30), TimeSpan.FromMinutes(90), 24, TimeSpan.Zero, 10));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => models.GetDashboardAsync(scope, At(30), TimeSpan.Zero, 24, TimeSpan.Zero, 10));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => models.GetDashboardAsync(scope, At(30), TimeSpan.FromHours(1), 0, TimeSpan.Zero, 10));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => models.GetDashboardAsync(scope, At(30), TimeSpan.FromHours(1), 367, TimeSpan.Zero, 10));
    }

    [Fact]
    public async Task The_dashboard_kept_by_the_projection_equals_counting_every_execution_of_the_scope()
    {
        var ledger = await NewLedgerAsync(batch: 97);
        var workload = await RunWorkloadAsync(ledger, chunks: 4, eventsPerChunk: 600, seed: 43);
        var models = ledger.Engine.ReadModels;
        var now = workload.Now;
        var everything = await models.GetDashboardAsync(new ExecutionScope(null, null), now, TimeSpan.FromHours(1), 24, TimeSpan.Zero, 1);
        everything.Refusals.ShouldNotBeEmpty("the workload refuses executions");
        var clouds = everything.Counts.Select(c => c.Cloud).OfType<string>().Distinct().ToList();
        clouds.Count.ShouldBeGreaterThan(1);

        foreach (var domain in everything.Domains.Prepend(null))
        {
            var executions = await AllExecutionsAsync(models, domain);
            foreach (var cloud in clouds.Prepend(null))
            {
                foreach (var (bucket, buckets) in new[] { (TimeSpan.FromHours(1), 24), (TimeSpan.FromDays(1), 30) })
                {
                    var view = await models.GetDashboardAsync(new ExecutionScope(domain, cloud), now, bucket, buckets, TimeSpan.Zero, 1);
                    var what = $"domain {domain ?? "(all)"}, cloud {cloud ?? "(all)"}, {buckets} × {bucket}";

                    // Counts cover every cloud of the domain; refusals only the scope's cloud.
                    Counts(view).ShouldBe(
                        [.. executions.GroupBy(e => (e.Cloud, e.Status)).Select(g => Line(g.Key.Cloud, g.Key.Status, g.Count())).Order(StringComparer.Ordinal)], what);
                    var end = view.WindowStart + (bucket * buckets);
                    Refusals(view).ShouldBe(
                        [.. executions
                            .Where(e => e.Status is "denied" or "halted" && (cloud is null || e.Cloud == cloud) && e.EndedAt >= view.WindowStart && e.EndedAt < end)
                            .GroupBy(e => (e.Status, e.Reason, Bucket: (int)((e.EndedAt!.Value - view.WindowStart) / bucket)))
                            .Select(g => $"{g.Key.Status} {g.Key.Reason} {g.Key.Bucket} {g.Count()}")
                            .Order(StringComparer.Ordinal)],
                        what);
                    (now - view.WindowStart).ShouldBeLessThanOrEqualTo(bucket * buckets, what);
                    (end - now).ShouldBeLessThanOrEqualTo(bucket, what);
                }
            }
        }
    }

    [Fact]
    public async Task Read_models_of_schema_version_2_gain_the_dashboard_tables_by_a_rebuild()
    {
        var ledger = await NewLedgerAsync();
        await new Workload.Workload(ledger.Store, seed: 44).AppendAsync(400);
        await ledger.Engine.CatchUpAsync();
        var before = await ReadModelDump.TakeAsync(ledger.Engine);
        await using (var connection = await ledger.Engine.Database.OpenAsync(CancellationToken.None))
        {
            // What a database written by the previous build holds: no dashboard tables, version 2.
            await Sql.ExecuteAsync(connection, null, "DROP TABLE proj_scope_counts", CancellationToken.None);
            await Sql.ExecuteAsync(connection, null, "DROP TABLE proj_refusal_hours", CancellationToken.None);
            await Sql.ExecuteAsync(connection, null, "UPDATE proj_positions SET schema_version = 2 WHERE name = 'executions'", CancellationToken.None);
        }

        var upgraded = await OpenEngineAsync(ledger.Store, ledger.ProjectionsDatabase);

        (await upgraded.GetStatusAsync()).Single(s => s.Name == "executions").Position.ShouldBe(0);
        await upgraded.CatchUpAsync();
        (await ReadModelDump.TakeAsync(upgraded)).ShouldMatch(before, "after the upgrade from version 2");
    }

    [Fact]
    public async Task Each_peer_shows_how_many_attestations_were_recorded_and_the_latest()
    {
        // One entry per batch: a peer's count and latest carry across batches.
        var ledger = await NewLedgerAsync(batch: 1);
        var story = new Story(ledger.Store);
        const string PeerA = "a.example/ledger";
        const string PeerB = "b.example/ledger";
        var signer = NewSigner();
        ParentAttested Attested(string peer, string parent, int minute, long size) => new(
            peer, ExecutionId.Parse(parent), Digest(parent + minute), new Checkpoint(peer, size, new byte[32]).Sign(signer).Format(), size, 3,
            ExecutionStatus.Running, ["read"], At(120), At(minute));
        await story.AppendAsync("kid-1", Intent("kid-1", Aws, [Aws], new ParentRef(PeerA, ExecutionId.Parse("up-1"))), Aws, 0);
        await story.AppendAsync("kid-1", Attested(PeerA, "up-1", 1, 40), Aws, 1, "$ledger");
        await story.AppendAsync("kid-2", Intent("kid-2", Aws, [Aws], new ParentRef(PeerB, ExecutionId.Parse("up-9"))), Aws, 2);
        await story.AppendAsync("kid-2", Attested(PeerB, "up-9", 2, 7), Aws, 3, "$ledger");
        var last = await story.AppendAsync("kid-1", Attested(PeerA, "up-1", 4, 52), Aws, 5, "$ledger");
        await ledger.Engine.CatchUpAsync();

        var peers = await ledger.Engine.ReadModels.ListPeerAttestationsAsync();

        peers.Select(p => (p.Ledger, p.Attestations)).ShouldBe([(PeerA, 2L), (PeerB, 1L)]);
        peers[0].ShouldBe(new PeerAttestationView(PeerA, 2, last.Position, last.RecordedAt, At(4), "kid-1", 52));
        peers[1].LastCheckpointSize.ShouldBe(7);
        (await ReadModelDump.TakeAsync(ledger.Engine)).ShouldMatch(await ReferenceDumpAsync(ledger.Store), "one entry per batch against all in one");
    }

    [Fact]
    public async Task A_child_of_a_remote_parent_keeps_its_intent_s_resources_and_cloud_though_the_ledger_s_attestation_comes_first()
    {
        var ledger = await NewLedgerAsync(batch: 1);
        var story = new Story(ledger.Store);
        const string Peer = "aws.example/ledger";
        var signer = NewSigner();
        var attested = new ParentAttested(
            Peer, ExecutionId.Parse("up-1"), Digest("up-1"), new Checkpoint(Peer, 40, new byte[32]).Sign(signer).Format(), 40, 5,
            ExecutionStatus.Running, ["read"], At(120), At(1));
        // As the ledger appends them: the attestation of the remote parent just before the intent it decided.
        await story.AppendAsync("kid-remote", attested, Gcp, 1, "$ledger");
        var intent = Intent("kid-remote", Gcp, [Gcp], new ParentRef(Peer, ExecutionId.Parse("up-1")));
        await story.AppendAsync("kid-remote", intent, Gcp, 1);
        await ledger.Engine.CatchUpAsync();

        var kid = (await ledger.Engine.ReadModels.GetExecutionAsync("kid-remote"))!;

        kid.Resources.ShouldBe(intent.Resources);
        kid.Resources.ShouldNotBeEmpty();
        (kid.Cloud, kid.ParentLedger, kid.ParentId, kid.Status).ShouldBe(("gcp", Peer, "up-1", "declared"));
        (await ReadModelDump.TakeAsync(ledger.Engine)).ShouldMatch(await ReferenceDumpAsync(ledger.Store), "one entry per batch against all in one");
    }

    private static async Task<List<ExecutionSummary>> AllExecutionsAsync(ReadModels models, string? domain)
    {
        var all = new List<ExecutionSummary>();
        long? cursor = null;
        do
        {
            var page = await models.ListExecutionsAsync(new ExecutionQuery { Domain = domain, Limit = ReadModels.MaxPageSize, Before = cursor });
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return all;
    }

    private static string Line(string? cloud, string status, long executions) => $"{cloud ?? "(none)"} {status} {executions}";

    private static List<string> Counts(DashboardView view) =>
        [.. view.Counts.Select(c => Line(c.Cloud, c.Status, c.Executions)).Order(StringComparer.Ordinal)];

    private static List<string> Refusals(DashboardView view) =>
        [.. view.Refusals.Select(r => $"{r.Status} {r.Reason} {r.Bucket} {r.Executions}").Order(StringComparer.Ordinal)];
}
