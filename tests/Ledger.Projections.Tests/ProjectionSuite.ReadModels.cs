using Ledger.Domain.Emitters;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;
using Ledger.Domain.Parameters;
using Ledger.Projections.Reading;
using Ledger.Projections.Tests.Infrastructure;
using static Ledger.Projections.Tests.Infrastructure.Story;

namespace Ledger.Projections.Tests;

public abstract partial class ProjectionSuite
{
    private const string Aws = "aws.us-east-1";
    private const string Gcp = "gcp.europe-west1";
    private static readonly ParentRef RootRef = new(Workload.Workload.Origin, ExecutionId.Parse("root-1"));

    [Fact]
    public async Task Executions_are_folded_with_their_lineage_place_cloud_and_refusal_evidence()
    {
        var (ledger, _) = await StoryAsync();
        var models = ledger.Engine.ReadModels;

        var root = (await models.GetExecutionAsync("root-1"))!;
        root.Status.ShouldBe("halted");
        root.Phase.ShouldBe("verification");
        root.Reason.ShouldBe("emitter-reported");
        root.EndedBy.ShouldBe("emitter-aws");
        root.Cloud.ShouldBe("aws");
        root.RootId.ShouldBe("root-1");
        root.Depth.ShouldBe(0);
        root.TargetDomains.ShouldBe([Aws, Gcp]);
        root.VerificationCount.ShouldBe(1);
        root.StartedAt.ShouldBe(At(4));
        root.EndedAt.ShouldBe(At(13));
        root.Events.Select(e => e.Type).ShouldBe([
            "execution.intent-declared.v1", "execution.governance-synchronized.v1", "execution.authorization-issued.v1",
            "execution.runtime-trust-established.v1", "execution.started.v1", "execution.runtime-verified.v1", "execution.halted.v1"]);
        var stored = await ledger.Store.GetEntryAsync(root.Events[2].Position);
        root.Events[2].LeafHash.ShouldBe(Convert.ToBase64String(stored!.LeafHash));
        root.LastPosition.ShouldBe(root.Events[^1].Position);

        var child = (await models.GetExecutionAsync("child-1"))!;
        (child.Status, child.Reason, child.EndedBy, child.RootId, child.Depth, child.ParentId, child.Cloud)
            .ShouldBe(("halted", "parent-halted", "$ledger", "root-1", 1L, "root-1", "gcp"));
        var grandchild = (await models.GetExecutionAsync("grand-1"))!;
        (grandchild.Status, grandchild.Phase, grandchild.Reason, grandchild.RootId, grandchild.Depth).ShouldBe(("denied", "intent", "parent-halted", "root-1", 2L));

        var denied = (await models.GetExecutionAsync("denied-1"))!;
        denied.Reason.ShouldBe("governance-stale");
        denied.Rejected.ShouldBe(new RejectedView("evt-stale", "execution.governance-synchronized.v1", Digest("stale")));

        var remote = (await models.GetExecutionAsync("remote-1"))!;
        (remote.RootId, remote.Depth, remote.ParentLedger, remote.ParentId).ShouldBe(("remote-1", 0L, "other.example/log", "up-1"));
        (await models.GetExecutionAsync("nobody")).ShouldBeNull();
    }

    [Fact]
    public async Task An_entry_that_is_no_execution_event_is_recorded_without_being_folded()
    {
        var (ledger, _) = await StoryAsync();

        var garbage = (await ledger.Engine.ReadModels.GetExecutionAsync("garbage"))!;

        (garbage.Status, garbage.Phase, garbage.OriginDomain, garbage.FirstDomain).ShouldBe(("none", "none", null, Aws));
        garbage.Events.ShouldHaveSingleItem().Type.ShouldBe("execution.unknown.v1");
    }

    [Fact]
    public async Task Executions_are_listed_newest_first_with_filters_and_cursor_paging()
    {
        var (ledger, _) = await StoryAsync();
        var models = ledger.Engine.ReadModels;
        async Task<IEnumerable<string>> Ids(ExecutionQuery query) => (await models.ListExecutionsAsync(query)).Items.Select(e => e.ExecutionId);

        (await Ids(new ExecutionQuery { Status = "halted" })).ShouldBe(["child-1", "root-1"]);
        (await Ids(new ExecutionQuery { Domain = Gcp, Status = "running" })).ShouldBe(["fresh-1", "late-1"]);
        (await Ids(new ExecutionQuery { Cloud = "gcp", Phase = "intent" })).ShouldBe(["grand-1", "stuck-1"]);
        (await Ids(new ExecutionQuery { Reason = "parent-halted" })).ShouldBe(["grand-1", "child-1"]);
        (await Ids(new ExecutionQuery { RootId = "root-1" })).ShouldBe(["grand-1", "child-1", "root-1"]);
        (await Ids(new ExecutionQuery { Since = At(14), Until = At(17), Domain = Aws })).ShouldBe(["remote-1", "denied-1"]);

        var all = await Ids(new ExecutionQuery { Limit = 500 });
        var paged = new List<string>();
        long? cursor = null;
        do
        {
            var page = await models.ListExecutionsAsync(new ExecutionQuery { Limit = 4, Before = cursor });
            page.Position.ShouldBe(await ledger.Store.GetTreeSizeAsync());
            paged.AddRange(page.Items.Select(e => e.ExecutionId));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        paged.ShouldBe(all);
        paged.Count.ShouldBe(10);
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => models.ListExecutionsAsync(new ExecutionQuery { Limit = 0 }));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => models.ListExecutionsAsync(new ExecutionQuery { Limit = ReadModels.MaxPageSize + 1 }));
    }

    [Fact]
    public async Task A_lineage_tree_nests_descendants_across_domains_with_their_entries_and_its_digest()
    {
        var (ledger, entries) = await StoryAsync();

        var tree = (await ledger.Engine.ReadModels.GetLineageAsync("grand-1", proofs: false))!;

        tree.RootId.ShouldBe("root-1");
        tree.Nodes.ShouldBe(3);
        tree.Root.Execution.ExecutionId.ShouldBe("root-1");
        var child = tree.Root.Children.ShouldHaveSingleItem();
        child.Execution.ExecutionId.ShouldBe("child-1");
        child.Execution.OriginDomain.ShouldBe(Gcp);
        child.Children.ShouldHaveSingleItem().Execution.ExecutionId.ShouldBe("grand-1");
        child.Events.Select(e => e.Position).ShouldBe(entries.Where(e => e.Stream == "execution-child-1").Select(e => e.Position));
        tree.Digest.ShouldBe(ExpectedDigest(entries, ("root-1", null), ("child-1", "root-1"), ("grand-1", "child-1")));
        tree.Anchored.ShouldBeFalse();
        tree.Checkpoint.ShouldBeNull();
        tree.Root.Events.ShouldAllBe(e => e.Proof == null);
    }

    [Fact]
    public async Task Lineage_proofs_verify_against_the_latest_signed_checkpoint()
    {
        var (ledger, _) = await StoryAsync();
        var size = (await ledger.Store.GetLatestCheckpointAsync())!.Size;
        var extra = await new Story(ledger.Store).AppendAsync("root-2", Intent("root-2", Aws, [Aws]), Aws, 40);
        await ledger.Engine.CatchUpAsync();

        var tree = (await ledger.Engine.ReadModels.GetLineageAsync("child-1", proofs: true))!;
        var lone = (await ledger.Engine.ReadModels.GetLineageAsync("root-2", proofs: true))!;

        tree.Checkpoint.ShouldNotBeNull();
        tree.Checkpoint.Size.ShouldBe(size);
        var root = Convert.FromBase64String(tree.Checkpoint.RootHash);
        root.ShouldBe(await ledger.Store.GetRootAsync(size));
        foreach (var e in Flatten(tree.Root).SelectMany(n => n.Events))
        {
            e.Proof.ShouldNotBeNull();
            MerkleVerifier.VerifyInclusion(e.Position, size, Convert.FromBase64String(e.LeafHash), [.. e.Proof.Hashes.Select(Convert.FromBase64String)], root)
                .IsValid.ShouldBeTrue();
        }

        lone.Root.Events.ShouldHaveSingleItem().Position.ShouldBe(extra.Position);
        lone.Root.Events[0].Proof.ShouldBeNull("the checkpoint does not cover it yet");
    }

    [Fact]
    public async Task A_proven_tree_shows_the_digest_its_proofs_carry()
    {
        var (ledger, entries) = await StoryAsync();

        var tree = (await ledger.Engine.ReadModels.GetLineageAsync("solo-1", proofs: false))!;
        var solo = (await ledger.Engine.ReadModels.GetExecutionAsync("solo-1"))!;

        tree.Anchored.ShouldBeTrue();
        tree.AnchoredDigest.ShouldBe(tree.Digest);
        tree.AnchoredCheckpointSize.ShouldBe(solo.ProofCheckpointSize);
        (solo.Phase, solo.Status, solo.Outcome, solo.Proven).ShouldBe(("proof", "completed", "succeeded", true));
        solo.ProofPosition.ShouldBe(entries.Single(e => e.Type == "execution.proof-persisted.v1").Position);
        solo.LastPosition.ShouldBeLessThan(solo.ProofPosition!.Value);
        (await ledger.Engine.ReadModels.ProvableLineagesAsync(long.MaxValue, 100)).ShouldNotContain("solo-1");
    }

    [Fact]
    public async Task Finished_trees_become_provable_once_a_checkpoint_covers_them()
    {
        var (ledger, entries) = await StoryAsync();
        var models = ledger.Engine.ReadModels;
        var rootEnd = entries.Where(e => e.Stream.StartsWith("execution-", StringComparison.Ordinal) && e.Stream != "execution-garbage")
            .Where(e => e.Stream is "execution-root-1" or "execution-child-1" or "execution-grand-1").Max(e => e.Position);

        (await models.ProvableLineagesAsync(rootEnd, 100)).ShouldNotContain("root-1");
        (await models.ProvableLineagesAsync(rootEnd + 1, 100)).ShouldContain("root-1");
        (await models.ProvableLineagesAsync(long.MaxValue, 100)).ShouldBe(["root-1", "denied-1"], "open trees and proven ones are left out");
    }

    [Fact]
    public async Task The_compliance_view_counts_by_status_and_reason_and_lists_what_is_overdue_or_expiring()
    {
        var (ledger, entries) = await StoryAsync();

        var view = await ledger.Engine.ReadModels.GetComplianceAsync(Gcp, At(30), TimeSpan.FromHours(1), 10);

        view.Position.ShouldBe(await ledger.Store.GetTreeSizeAsync());
        view.Parameters.ShouldBe(new ParametersView("PT24H", "PT24H", "PT10M", "PT20M", view.Parameters.Position));
        view.Parameters.Position.ShouldNotBeNull();
        view.Statuses.ShouldBe(new Dictionary<string, long> { ["declared"] = 1, ["denied"] = 1, ["halted"] = 2, ["running"] = 2 });
        view.Halted.ShouldBe([new ReasonCount("emitter-reported", 1), new ReasonCount("parent-halted", 1)]);
        view.Denied.ShouldBe([new ReasonCount("parent-halted", 1)]);
        view.Running.Total.ShouldBe(2);
        view.Running.Items.Select(i => i.Execution.ExecutionId).ShouldBe(["fresh-1", "late-1"]);
        var overdue = view.VerificationOverdue.Items.ShouldHaveSingleItem();
        (overdue.Execution.ExecutionId, overdue.At).ShouldBe(("late-1", At(5 + 10)));
        var intent = view.IntentsOverdue.Items.ShouldHaveSingleItem();
        // The store never writes a recordedAt earlier than the entry before it: the intent's time is as recorded.
        var declared = entries.Single(e => e.Stream == "execution-stuck-1" && e.Type == "execution.intent-declared.v1").RecordedAt;
        (intent.Execution.ExecutionId, intent.At).ShouldBe(("stuck-1", declared.AddMinutes(20)));
        var expiring = view.AuthorizationsExpiring.Items.ShouldHaveSingleItem();
        (expiring.Execution.ExecutionId, expiring.At).ShouldBe(("fresh-1", At(40)));

        var aws = await ledger.Engine.ReadModels.GetComplianceAsync(Aws, At(30), TimeSpan.FromHours(1), 10);
        aws.Denied.ShouldBe([new ReasonCount("governance-stale", 1)]);
        aws.Statuses["completed"].ShouldBe(1);
        aws.Statuses["none"].ShouldBe(1);
        aws.VerificationOverdue.Total.ShouldBe(0);

        var nobody = await ledger.Engine.ReadModels.GetComplianceAsync("nowhere", At(30), TimeSpan.Zero, 10);
        nobody.Statuses.ShouldBeEmpty();
        (nobody.Running.Total, nobody.Running.Items.Count).ShouldBe((0L, 0));
    }

    [Fact]
    public async Task Emitters_and_checkpoints_are_read_models_too()
    {
        var (ledger, entries) = await StoryAsync();

        var emitters = await ledger.Engine.ReadModels.ListEmittersAsync();
        var checkpoints = await ledger.Engine.ReadModels.ListCheckpointsAsync(10);

        emitters.Select(e => e.Name).ShouldBe(["$ledger", "emitter-aws", "emitter-gcp", "emitter-old"]);
        var gcp = emitters.Single(e => e.Name == "emitter-gcp");
        (gcp.Registered, gcp.Revoked, gcp.Domains.Single()).ShouldBe((true, false, Gcp));
        gcp.Events.ShouldBe(entries.Count(e => e.Emitter == "emitter-gcp"));
        gcp.LastPosition.ShouldBe(entries.Last(e => e.Emitter == "emitter-gcp").Position);
        var old = emitters.Single(e => e.Name == "emitter-old");
        (old.Registered, old.Revoked, old.RevokedReason, old.Events).ShouldBe((true, true, "key rotated", 0L));
        emitters.Single(e => e.Name == "$ledger").Registered.ShouldBeFalse();

        var checkpoint = checkpoints.ShouldHaveSingleItem();
        checkpoint.Signers.ShouldBe([Workload.Workload.Origin]);
        Convert.FromBase64String(checkpoint.RootHash).ShouldBe(await ledger.Store.GetRootAsync(checkpoint.Size));
    }

    [Fact]
    public async Task A_checkpoint_signed_while_the_log_is_idle_is_recorded()
    {
        var (ledger, _) = await StoryAsync();
        var size = await ledger.Store.GetTreeSizeAsync();
        var root = await ledger.Store.GetRootAsync(size);
        await ledger.Store.StoreCheckpointAsync(size, root, new Checkpoint(ledger.Store.Origin, size, root).Sign(NewSigner()).Format());

        await ledger.Engine.CatchUpAsync();

        (await ledger.Engine.ReadModels.ListCheckpointsAsync(1)).ShouldHaveSingleItem().Size.ShouldBe(size);
    }

    [Fact]
    public async Task Lag_is_the_log_size_minus_the_position()
    {
        var ledger = await NewLedgerAsync(batch: 100);
        await new Workload.Workload(ledger.Store, seed: 31).AppendAsync(450);
        var size = await ledger.Store.GetTreeSizeAsync();

        var before = await ledger.Engine.GetStatusAsync();
        await ledger.Engine.CatchUpAsync();
        var after = await ledger.Engine.GetStatusAsync();

        before.Select(s => s.Name).ShouldBe(["checkpoints", "emitters", "executions"]);
        before.ShouldAllBe(s => s.Position == 0 && s.Lag == size && s.LogSize == size && s.UpdatedAt == null);
        after.ShouldAllBe(s => s.Position == size && s.Lag == 0 && s.UpdatedAt != null && s.Rebuild == null && s.LastError == null);
    }

    private static IEnumerable<LineageTreeNode> Flatten(LineageTreeNode node) => node.Children.SelectMany(Flatten).Prepend(node);

    private static string ExpectedDigest(List<LedgerEntry> entries, params (string Id, string? Parent)[] nodes) =>
        LineageDigest.Compute(nodes.Select(n => new LineageNode(
            ExecutionId.Parse(n.Id),
            n.Parent is null ? null : ExecutionId.Parse(n.Parent),
            [.. entries.Where(e => e.Stream == "execution-" + n.Id && e.Type != "execution.proof-persisted.v1")
                .Select(e => new LineageEvent(e.Position, MerkleHash.HashLeaf(e.ToCanonicalBytes())))])));

    /// <summary>A small ledger told event by event (see the test names for what it shows), projected.</summary>
    private async Task<(Ledger Ledger, List<LedgerEntry> Entries)> StoryAsync()
    {
        var ledger = await NewLedgerAsync(batch: 7);
        var story = new Story(ledger.Store);
        var entries = new List<LedgerEntry>
        {
            await story.AppendRawAsync(LedgerParameters.StreamName, LedgerParametersCodec.Type,
                LedgerParametersCodec.ToData(new PolicyConfigured(TimeSpan.FromHours(24), TimeSpan.FromHours(24), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20))),
                "$ledger", T0, "$ledger"),
        };
        foreach (var (name, domain) in new[] { ("emitter-aws", Aws), ("emitter-gcp", Gcp), ("emitter-old", Aws) })
        {
            entries.Add(await story.AppendRawAsync(EmitterRegistry.StreamName, WireNames.Of<EmitterRegistered>(),
                EmitterEventCodec.ToData(new EmitterRegistered(name, [domain], null, false)), "$emitters", T0, "$ledger"));
        }

        entries.Add(await story.AppendRawAsync(EmitterRegistry.StreamName, WireNames.Of<EmitterRevoked>(),
            EmitterEventCodec.ToData(new EmitterRevoked("emitter-old", "key rotated")), "$emitters", T0, "$ledger"));
        await story.RunningAsync("root-1", Aws, 0, 120, targets: [Aws, Gcp]);
        await story.AppendAsync("root-1", new RuntimeVerified(Digest("m"), VerificationVerdict.Ok), Aws, 5);
        await story.RunningAsync("late-1", Gcp, 1, 200);
        await story.AppendAsync("stuck-1", Intent("stuck-1", Gcp, [Gcp]), Gcp, 2);
        await story.RunningAsync("solo-1", Aws, 3, 100);
        await story.AppendAsync("solo-1", new RuntimeVerified(Digest("m"), VerificationVerdict.Ok), Aws, 8);
        await story.AppendAsync("solo-1", new ExecutionCompleted(ExecutionOutcome.Succeeded, [Digest("o")]), Aws, 9);
        await story.RunningAsync("child-1", Gcp, 6, 60, RootRef, new { cloud = "GCP" });
        await story.AppendAsync("grand-1", Intent("grand-1", Gcp, [Gcp], new ParentRef(Workload.Workload.Origin, ExecutionId.Parse("child-1"))), Gcp, 12);
        await story.AppendAsync("root-1", new ExecutionHalted(Reason.EmitterReported, "stop"), Aws, 13);
        await story.AppendAsync("child-1", new ExecutionHalted(Reason.ParentHalted, "parent ended"), Gcp, 13, "$ledger");
        await story.AppendAsync("grand-1", new ExecutionDenied(Reason.ParentHalted, "ancestor ended"), Gcp, 13, "$ledger");
        await story.AppendAsync("denied-1", Intent("denied-1", Aws, [Aws]), Aws, 14);
        await story.AppendAsync("denied-1", new ExecutionDenied(Reason.GovernanceStale, "synced 3 days ago",
            new RejectedEvent("evt-stale", "execution.governance-synchronized.v1", Digest("stale"))), Aws, 15, "$ledger");
        await story.AppendAsync("remote-1", Intent("remote-1", Aws, [Aws], new ParentRef("other.example/log", ExecutionId.Parse("up-1"))), Aws, 16);
        await story.RunningAsync("fresh-1", Gcp, 20, 40);
        await story.AppendAsync("fresh-1", new RuntimeVerified(Digest("m"), VerificationVerdict.Ok), Gcp, 25);
        await story.AppendRawAsync("execution-garbage", "execution.unknown.v1", System.Text.Json.JsonSerializer.SerializeToElement(new { }), Aws, At(26));

        await foreach (var stored in ledger.Store.ReadLogAsync(0, 10_000))
        {
            if (entries.All(e => e.Position != stored.Position))
            {
                entries.Add(LedgerEntry.Parse(stored.Entry));
            }
        }

        entries.Sort((a, b) => a.Position.CompareTo(b.Position));
        var size = await ledger.Store.GetTreeSizeAsync();
        var root = await ledger.Store.GetRootAsync(size);
        await ledger.Store.StoreCheckpointAsync(size, root, new Checkpoint(ledger.Store.Origin, size, root).Sign(NewSigner()).Format());
        var digest = ExpectedDigest(entries, ("solo-1", null));
        entries.Add(await story.AppendAsync(
            "solo-1",
            new ProofPersisted(size, Convert.ToBase64String(root), [.. entries.Where(e => e.Stream == "execution-solo-1").Select(e => e.Position)], digest),
            Aws,
            30,
            "$ledger"));
        await ledger.Engine.CatchUpAsync();
        return (ledger, entries);
    }
}
