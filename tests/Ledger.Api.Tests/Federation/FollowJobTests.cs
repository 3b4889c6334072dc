using System.Net;
using System.Text;
using System.Text.Json;
using Ledger.Api.Federation;
using Ledger.Api.Tests.FailClosed;
using Ledger.Api.Tests.Infrastructure;
using Decision = Ledger.Api.Tests.FailClosed.Decision;
using Ledger.Application.Executions;
using Ledger.Application.Federation;
using Ledger.Application.Hosting;
using Ledger.Application.Jobs;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;
using Ledger.Domain.Witnessing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Api.Tests.Federation;

/// <summary>
/// The follow job's judgement in process (DESIGN §8.2): a parent ledger and a child ledger on test clocks, the child's
/// peer requests routed through <see cref="InProcessRouter"/> to the parent or to forged answers, and the job ticked by
/// the test (its interval is an hour, so only the test, or a notification, makes it pull).
/// </summary>
public sealed class FollowJobTests : IDisposable
{
    private const string ParentOrigin = "p.example/ledger";
    private const string ChildOrigin = "c.example/ledger";
    private readonly InProcessRouter _router = new();
    private readonly LedgerApp _parent = new("sqlite", null, new Dictionary<string, string> { ["Ledger:Origin"] = ParentOrigin });
    private LedgerApp? _child;
    private Dictionary<string, string>? _childSettings;

    private LedgerApp Child => _child ?? throw new InvalidOperationException("Not set up.");

    public void Dispose()
    {
        _child?.Dispose();
        _parent.Dispose();
    }

    [Fact]
    public async Task A_forged_attestation_proves_nothing_and_a_stale_one_lets_the_child_end_federation_sync_lost_after_max_peer_silence()
    {
        var (parent, child) = await RunningParentAndChildAsync();
        var real = await AttestationTextAsync(parent.Id);

        // Forged: the parent's attestation rewritten to say it halted. Not signed by the peer's key: nothing ends.
        _router.Route("p.test", _ => Text(real.Replace("status running", "status halted", StringComparison.Ordinal)));
        (await TickAsync()).ShouldBe(0);
        (await ChildClient().DecisionAsync(child.Id)).Allowed.ShouldBeTrue("within maxPeerSilence of the last proof");

        // Stale: the real attestation replayed after maxPeerSilence (5 minutes) proves nothing fresh.
        _router.Route("p.test", _ => Text(real));
        AdvanceClocks(TimeSpan.FromMinutes(6));
        (await ChildClient().DecisionAsync(child.Id)).ShouldBe(new Decision(child.Id, false, "running", "federation-sync-lost"), "the decision fails closed before the job ends it");
        (await TickAsync()).ShouldBe(1);

        (await ChildClient().DecisionAsync(child.Id)).ShouldBe(new Decision(child.Id, false, "halted", "federation-sync-lost"));
        (await TickAsync()).ShouldBe(0, "nothing is ended twice");
        await ChildClient().ExportAndVerifyAsync();
        await ParentClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_fresh_verified_attestation_keeps_the_child_allowed_past_max_peer_silence_of_its_intent()
    {
        var (_, child) = await RunningParentAndChildAsync();
        _router.Route("p.test", _parent);

        // Verified every four minutes (maxVerificationInterval is five), the child outlives its intent's attestation.
        AdvanceClocks(TimeSpan.FromMinutes(4));
        await ChildClient().AppendCreatedAsync(child.Stream, Story.Body(-1, child.Verified(1)));
        (await TickAsync()).ShouldBe(0);
        AdvanceClocks(TimeSpan.FromMinutes(4));
        await ChildClient().AppendCreatedAsync(child.Stream, Story.Body(-1, child.Verified(2)));

        (await ChildClient().DecisionAsync(child.Id)).Allowed.ShouldBeTrue("the follow job's proof at +4 minutes is read with the record");
        (await TickAsync()).ShouldBe(0);
        await ChildClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_peer_showing_a_split_view_is_recorded_untrusted_and_everything_under_it_ends()
    {
        var (parent, child) = await RunningParentAndChildAsync();
        _router.Route("p.test", _parent);
        (await TickAsync()).ShouldBe(0);
        var held = (await Child.Node.Store.ReadFollowedPeerAsync(ParentOrigin)).ShouldNotBeNull();
        held.SplitViewAt.ShouldBeNull();
        var follow = (await Child.Node.Store.ReadRemoteFollowAsync(new ParentRef(ParentOrigin, ExecutionId.Parse(parent.Id)))).ShouldNotBeNull();
        follow.Status.ShouldBe(ExecutionStatus.Running);
        follow.CheckpointSize.ShouldBe(held.Size);

        // The peer's own key signs another tree of the size already held: two views of one log.
        var forged = SplitView(await AttestationTextAsync(parent.Id), held.Size);
        _router.Route("p.test", _ => Text(forged));
        (await TickAsync()).ShouldBe(1);

        (await ChildClient().DecisionAsync(child.Id)).ShouldBe(new Decision(child.Id, false, "halted", "peer-split-view"));
        (await Child.Node.Store.ReadFollowedPeerAsync(ParentOrigin))!.SplitViewAt.ShouldNotBeNull();
        var recorded = (await Child.Node.Store.ReadStreamAsync(WitnessStreams.Federation, 1, Store.ReadDirection.Forward, 10)).ShouldHaveSingleItem();
        recorded.Type.ShouldBe("federation.split-view-detected.v1");
        var split = FederationEventCodec.TryParse(recorded.Type, recorded.Data, out var parsed, out _) ? parsed.ShouldBeOfType<SplitViewDetected>() : throw new InvalidOperationException("not parsed");
        split.Kind.ShouldBe(SplitViewKind.SameSizeDifferentRoot);
        split.HeldNote.ShouldBe(held.Note);
        split.Source.ShouldBe("execution-attestation");

        // From now on the peer is not asked: a new child under it is refused there and then, even with the real peer back.
        _router.Route("p.test", _parent);
        var late = ChildStory(parent, "late");
        using var refused = await ChildClient().AppendAsync(late.Stream, Story.Body(0, late.Intent()));
        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("peer-split-view");
        await ChildClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_split_view_seen_by_an_intent_is_recorded_before_the_refusal_and_the_peer_is_not_asked_again()
    {
        var (parent, _) = await RunningParentAndChildAsync();
        _router.Route("p.test", _parent);
        (await TickAsync()).ShouldBe(0);
        var held = (await Child.Node.Store.ReadFollowedPeerAsync(ParentOrigin)).ShouldNotBeNull();

        // No tick: the new child's intent is the first to see the peer's second view.
        var forged = SplitView(await AttestationTextAsync(parent.Id), held.Size);
        _router.Route("p.test", _ => Text(forged));
        var late = ChildStory(parent, "sees-split");
        using var refused = await ChildClient().AppendAsync(late.Stream, Story.Body(0, late.Intent()));

        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("peer-split-view");
        (await Child.Node.Store.ReadFollowedPeerAsync(ParentOrigin))!.SplitViewAt.ShouldNotBeNull();
        var recorded = (await Child.Node.Store.ReadStreamAsync(WitnessStreams.Federation, 1, Store.ReadDirection.Forward, 10)).ShouldHaveSingleItem();
        var split = FederationEventCodec.TryParse(recorded.Type, recorded.Data, out var parsed, out _) ? parsed.ShouldBeOfType<SplitViewDetected>() : throw new InvalidOperationException("not parsed");
        split.Source.ShouldBe("execution-attestation");
        split.HeldNote.ShouldBe(held.Note);
        await ChildClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_process_stopped_between_a_split_views_record_and_marking_the_peer_leaves_the_record_and_the_peer_is_marked_when_it_shows_the_views_again()
    {
        var (parent, forged, _) = await SplitViewRecordedAndNotMarkedAsync();
        await ChildClient().ExportAndVerifyAsync();

        // Asked again, the peer shows the same two views: the record is not repeated, and now the peer is marked.
        _router.Route("p.test", _ => Text(forged));
        var late = ChildStory(parent, "after-stop");
        using var refused = await ChildClient().AppendAsync(late.Stream, Story.Body(0, late.Intent()));

        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("peer-split-view");
        (await Child.Node.Store.ReadFollowedPeerAsync(ParentOrigin))!.SplitViewAt.ShouldNotBeNull();
        (await Child.Node.Store.ReadStreamAsync(WitnessStreams.Federation, 1, Store.ReadDirection.Forward, 10)).ShouldHaveSingleItem();
        await ChildClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_node_started_after_a_process_stopped_between_a_split_views_record_and_marking_the_peer_marks_the_peer_from_the_record()
    {
        var (parent, _, record) = await SplitViewRecordedAndNotMarkedAsync();

        // Another node of the child ledger starts: the peer is marked from the record, at the record's time, and the
        // parent, still serving its real attestation, is not asked again: a new child under it is refused at once.
        using (var restarted = AnotherChildNode(Child.DataDir))
        {
            _ = restarted.Services;
            (await Child.Node.Store.ReadFollowedPeerAsync(ParentOrigin))!.SplitViewAt.ShouldBe(record.RecordedAt);
        }

        _router.Route("p.test", _parent);
        var late = ChildStory(parent, "after-restart");
        using var refused = await ChildClient().AppendAsync(late.Stream, Story.Body(0, late.Intent()));
        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("peer-split-view");
        (await Child.Node.Store.ReadStreamAsync(WitnessStreams.Federation, 1, Store.ReadDirection.Forward, 10)).ShouldHaveSingleItem();
        await ChildClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_notification_makes_the_job_pull_at_once_and_a_remote_halt_ends_the_child_with_its_evidence()
    {
        var (parent, child) = await RunningParentAndChildAsync();
        _router.Route("p.test", _parent);
        await ParentClient().AppendCreatedAsync(parent.Stream, Story.Body(5, parent.Halted()));

        using var http = Child.CreateClient();
        using var notify = await http.PostAsync("/v1/federation/notify", new StringContent("{\"executionId\": \"whatever\", \"status\": \"ignored\"}", Encoding.UTF8, "application/json"));
        notify.StatusCode.ShouldBe(HttpStatusCode.Accepted, await notify.Content.ReadAsStringAsync());

        var until = DateTime.UtcNow.AddSeconds(30);
        Decision decision;
        while (!(decision = await ChildClient().DecisionAsync(child.Id)).Ended && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        decision.ShouldBe(new Decision(child.Id, false, "halted", "parent-halted"));
        var stream = await Child.Node.Store.ReadStreamAsync(child.Stream, 1, Store.ReadDirection.Forward, 100);
        stream[^2].Type.ShouldBe("federation.parent-attested.v1");
        ExecutionEventCodec.TryParse(stream[^2].Type, stream[^2].Data, out var evidence, out _).ShouldBeTrue();
        evidence.ShouldBeOfType<ParentAttested>().Status.ShouldBe(ExecutionStatus.Halted);
        stream[^1].Type.ShouldBe("execution.halted.v1");
        (await TickAsync()).ShouldBe(0, "nothing is ended twice");
        await ChildClient().ExportAndVerifyAsync();
        await ParentClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task Readiness_and_metrics_report_what_the_job_last_saw_of_each_peer()
    {
        var (parent, _) = await RunningParentAndChildAsync();
        var before = await PeerReadinessAsync();
        before.GetProperty("origin").GetString().ShouldBe(ParentOrigin);
        before.GetProperty("lastPullAt").ValueKind.ShouldBe(JsonValueKind.Null, "the job has not ticked");

        _router.Route("p.test", _parent);
        (await TickAsync()).ShouldBe(0);
        var verified = await PeerReadinessAsync();
        var held = (await Child.Node.Store.ReadFollowedPeerAsync(ParentOrigin)).ShouldNotBeNull();
        verified.GetProperty("heldCheckpointSize").GetInt64().ShouldBe(held.Size);
        verified.GetProperty("parentsFollowed").GetInt32().ShouldBe(1);
        verified.GetProperty("lastVerifiedAt").ValueKind.ShouldBe(JsonValueKind.String);
        verified.GetProperty("lastError").ValueKind.ShouldBe(JsonValueKind.Null);
        verified.GetProperty("splitViewAt").ValueKind.ShouldBe(JsonValueKind.Null);

        // A peer that stops answering: the failure is reported; the last verified attestation stays what it was.
        _router.Route("p.test", _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        (await TickAsync()).ShouldBe(0);
        var failing = await PeerReadinessAsync();
        failing.GetProperty("lastError").GetString().ShouldNotBeNullOrEmpty();
        failing.GetProperty("lastVerifiedAt").GetString().ShouldBe(verified.GetProperty("lastVerifiedAt").GetString());

        // A split view is kept durably and reported from the store.
        var forged = SplitView(await AttestationTextAsync(parent.Id), held.Size);
        _router.Route("p.test", _ => Text(forged));
        (await TickAsync()).ShouldBe(1);
        (await PeerReadinessAsync()).GetProperty("splitViewAt").ValueKind.ShouldBe(JsonValueKind.String);

        var metrics = await MetricsAsync(text => text.Contains("ledger_follow_ends_total", StringComparison.Ordinal));
        metrics.ShouldContain("result=\"verified\"");
        metrics.ShouldContain("result=\"failed\"");
        metrics.ShouldContain("result=\"split-view\"");
        metrics.ShouldContain("reason=\"peer-split-view\"");
        await ChildClient().ExportAndVerifyAsync();
    }

    private async Task<JsonElement> PeerReadinessAsync()
    {
        using var http = Child.CreateClient();
        using var response = await http.GetAsync("/healthz/ready");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("peers").EnumerateArray().ShouldHaveSingleItem().Clone();
    }

    private async Task<string> MetricsAsync(Func<string, bool> until)
    {
        using var http = Child.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var text = await http.GetStringAsync("/metrics");
            if (until(text) || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(200);
        }
    }

    // A running parent and child, the parent's attestation followed once; then the child's split-view records over a store
    // that stops the process at the mark: the evidence is appended, the mark fails. Returns the forged attestation (the
    // parent's, showing a second view at the held size) and the record.
    private async Task<(Story Parent, string Forged, LedgerEntry Record)> SplitViewRecordedAndNotMarkedAsync()
    {
        var (parent, _) = await RunningParentAndChildAsync();
        _router.Route("p.test", _parent);
        (await TickAsync()).ShouldBe(0);
        var held = (await Child.Node.Store.ReadFollowedPeerAsync(ParentOrigin)).ShouldNotBeNull();
        var forged = SplitView(await AttestationTextAsync(parent.Id), held.Size);
        var conflicting = ExecutionAttestation.Parse(forged).CheckpointNote.Format();
        var node = new LedgerNode(StopsAtTheMark.Over(Child.Node.Store), Child.Node.Signer, Child.Node.Options, Child.Node.DataDir)
        {
            WitnessKey = Child.Node.WitnessKey,
            WitnessedLogs = Child.Node.WitnessedLogs,
            Peers = Child.Node.Peers,
        };
        var records = new SplitViewRecords(
            node, Child.Services.GetRequiredService<LedgerWriter>(), Child.Services.GetRequiredService<LedgerClock>(), NullLogger<SplitViewRecords>.Instance);
        var split = new AttestationCheck.SplitView(SplitViewKind.SameSizeDifferentRoot, held.Note, conflicting, []);
        await Should.ThrowAsync<IOException>(() => records.RecordPeerAsync(ParentOrigin, split, "execution-attestation", CancellationToken.None));

        var record = (await Child.Node.Store.ReadStreamAsync(WitnessStreams.Federation, 1, Store.ReadDirection.Forward, 10)).ShouldHaveSingleItem();
        record.Type.ShouldBe("federation.split-view-detected.v1");
        (await Child.Node.Store.ReadFollowedPeerAsync(ParentOrigin))!.SplitViewAt.ShouldBeNull("the process stopped before the mark: the peer is still asked");
        return (parent, forged, record);
    }

    // A node of the child ledger: the first (a new data directory) or another over the first one's.
    private LedgerApp AnotherChildNode(string? dataDir) =>
        new("sqlite", null, _childSettings ?? throw new InvalidOperationException("Not set up."), dataDir: dataDir,
            services: s => s.AddHttpClient(HttpPeerTransport.ClientName).ConfigurePrimaryHttpMessageHandler(_router.Handler));

    private async Task<(Story Parent, Story Child)> RunningParentAndChildAsync()
    {
        using (var http = _parent.CreateClient())
        {
            var key = (await http.GetStringAsync("/v1/log/key")).Trim();
            _childSettings = new Dictionary<string, string>
            {
                ["Ledger:Origin"] = ChildOrigin,
                ["Ledger:FollowInterval"] = "01:00:00",
                ["Ledger:Peers:0:Origin"] = ParentOrigin,
                ["Ledger:Peers:0:Key"] = key,
                ["Ledger:Peers:0:Url"] = "http://p.test/",
            };
            _child = AnotherChildNode(dataDir: null);
        }

        _router.Route("p.test", _parent);
        var now = DateTimeOffset.UtcNow;
        var parent = new Story("parent-" + Guid.NewGuid().ToString("N")[..8], now);
        await ParentClient().StartExecutionAsync(parent);
        var child = ChildStory(parent, "child");
        await ChildClient().StartExecutionAsync(child);
        return (parent, child);
    }

    private static Story ChildStory(Story parent, string name) =>
        new($"{parent.Id}-{name}", parent.Now, domain: "c.example", scope: ["invoices:read"], parent: (ParentOrigin, parent.Id), expiresAt: parent.ExpiresAt);

    private Task<int> TickAsync() => Child.Services.GetRequiredService<FollowJob>().RunOnceAsync(CancellationToken.None);

    private void AdvanceClocks(TimeSpan by)
    {
        _parent.Clock.Advance(by);
        Child.Clock.Advance(by);
    }

    private async Task<string> AttestationTextAsync(string execution)
    {
        using var http = _parent.CreateClient();
        return await http.GetStringAsync($"/v1/executions/{execution}/attestation");
    }

    /// <summary>The attestation restated, with the peer's own key, over another root at <paramref name="size"/>.</summary>
    private string SplitView(string text, long size)
    {
        var attestation = ExecutionAttestation.Parse(text);
        AttestationStatement.TryParse(attestation.Statement.Text, out var statement, out _).ShouldBeTrue();
        var otherRoot = Enumerable.Repeat((byte)7, 32).ToArray();
        var signer = _parent.Node.Signer;
        var checkpoint = SignedNote.Parse(new Checkpoint(ParentOrigin, size, otherRoot).Sign(signer).Format());
        var restated = SignedNote.Sign((statement! with { Size = size, Root = otherRoot }).ToText(), signer);
        return new ExecutionAttestation(restated, checkpoint, attestation.Entries).Format();
    }

    private static HttpResponseMessage Text(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };

    private LedgerClient ParentClient() => new(_parent.CreateClient(), _parent.FirstStart.DevToken, _parent.FirstStart.AdminToken);

    private LedgerClient ChildClient() => new(Child.CreateClient(), Child.FirstStart.DevToken, Child.FirstStart.AdminToken);
}
