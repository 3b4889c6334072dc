using System.Net;
using System.Text.Json;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Api.Tests.FailClosed;
using Ledger.Api.Tests.Federation;
using Ledger.Application.Executions;
using Ledger.Application.Federation;
using Ledger.Application.Hosting;
using Ledger.Application.Witnessing;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;
using Ledger.Domain.Witnessing;
using Ledger.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Api.Tests.Witness;

public abstract partial class WitnessSuite
{
    [Fact]
    public async Task A_forked_ledger_is_detected_with_both_signed_notes_as_evidence_never_cosigned_and_untrusted_from_then_on()
    {
        // Two stores of one ledger (same origin, same log key) that agree on 3 entries and then diverge.
        await using var a = new ForkedLog(await OpenBranchAsync("branch-a"), World.ForkSigner);
        await using var b = new ForkedLog(await OpenBranchAsync("branch-b"), World.ForkSigner);
        await a.AppendAsync("shared", 3);
        await b.AppendAsync("shared", 3);
        await a.AppendAsync("only-a", 2);
        await b.AppendAsync("only-b", 5);

        using (var cosigned = await SubmitAsync(await a.BodyAsync(0, 5)))
        {
            await CosignedAsync(cosigned, await a.CheckpointAsync(5));
        }

        // Branch b, from the size the witness holds, with b's own (valid-looking) proof: the proof leads to b's signed
        // root at 8 and, at 5, to a root other than the one the log signed there.
        var proven = await ProblemAsync(await SubmitAsync(await b.BodyAsync(5, 8)), (HttpStatusCode)422, "witness-inconsistent");
        proven.GetProperty("code").GetString().ShouldBe("inconsistent-proof");
        proven.GetProperty("splitView").GetBoolean().ShouldBeTrue();

        // Branch b at the size the witness holds: same size, another root, whatever old size is claimed.
        var sameSize = await ProblemAsync(await SubmitAsync(await b.BodyAsync(5, 5)), (HttpStatusCode)422, "witness-inconsistent");
        sameSize.GetProperty("code").GetString().ShouldBe("root-mismatch");
        sameSize.GetProperty("splitView").GetBoolean().ShouldBeTrue();
        await ConflictAsync(await SubmitAsync(await b.BodyAsync(0, 5)), 5);

        var evidence = await RecordsOfAsync(WitnessStreams.Federation, WitnessFixture.ForkOrigin);
        evidence.Select(e => e.Type).ShouldAllBe(t => t == "federation.split-view-detected.v1");
        evidence.Select(e => e.Data.GetProperty("kind").GetString()).ShouldBe(["proven-inconsistent", "same-size-different-root"]);
        var keys = new NoteVerifierSet(World.ForkSigner.Verifier);
        foreach (var e in evidence)
        {
            var held = SignedNote.Parse(e.Data.GetProperty("heldNote").GetString()!);
            var conflicting = SignedNote.Parse(e.Data.GetProperty("conflictingNote").GetString()!);
            keys.Verify(held).IsVerified.ShouldBeTrue("the held note is signed by the log");
            keys.Verify(conflicting).IsVerified.ShouldBeTrue("the conflicting note is signed by the log");
            Checkpoint.Parse(held.Text).RootHash.ToArray().ShouldBe(await a.Store.GetRootAsync(5));
            Checkpoint.Parse(conflicting.Text).RootHash.ToArray().ShouldNotBe(await a.Store.GetRootAsync(5));
            e.Data.GetProperty("source").GetString().ShouldBe("witness-submission");
        }

        evidence[0].Data.GetProperty("proof").GetArrayLength().ShouldBeGreaterThan(0);

        // Never cosigned: the witness still holds a's tree, and $witness vouches for a's checkpoint only.
        var view = await LogViewAsync(WitnessFixture.ForkOrigin);
        view.GetProperty("untrusted").GetBoolean().ShouldBeTrue();
        view.GetProperty("splitViewAt").GetString().ShouldNotBeNull();
        view.GetProperty("size").GetInt64().ShouldBe(5);
        view.GetProperty("root").GetString().ShouldBe(Convert.ToBase64String(await a.Store.GetRootAsync(5)));
        var vouched = await RecordsOfAsync(WitnessStreams.Witness, WitnessFixture.ForkOrigin);
        vouched.Select(r => r.Data.GetProperty("root").GetString()).ShouldBe([Convert.ToBase64String(await a.Store.GetRootAsync(5))]);

        // The flag is durable: a second node of the ledger reports it too.
        using var other = AnotherNode(App);
        using var http = other.CreateClient();
        (await http.GetStringAsync("/witness/logs")).ShouldContain("\"untrusted\":true");
    }

    [Fact]
    public async Task A_process_stopped_between_a_split_views_record_and_flagging_the_log_keeps_the_record_and_the_next_node_to_start_flags_it()
    {
        await using var a = new ForkedLog(await OpenBranchAsync("stopped-a", WitnessFixture.StoppedOrigin), World.StoppedSigner);
        await using var b = new ForkedLog(await OpenBranchAsync("stopped-b", WitnessFixture.StoppedOrigin), World.StoppedSigner);
        await a.AppendAsync("shared", 3);
        await b.AppendAsync("shared", 3);
        await a.AppendAsync("only-a", 2);
        await b.AppendAsync("only-b", 2);
        using (var cosigned = await SubmitAsync(await a.BodyAsync(0, 5)))
        {
            await CosignedAsync(cosigned, await a.CheckpointAsync(5));
        }

        // The witness over a store that stops the process at the flag: the evidence is appended, then the flag fails.
        var node = new LedgerNode(StopsAtTheMark.Over(App.Node.Store, nameof(IEventStore.MarkSplitViewAsync)), App.Node.Signer, App.Node.Options, App.Node.DataDir)
        {
            WitnessKey = App.Node.WitnessKey,
            WitnessedLogs = App.Node.WitnessedLogs,
            Peers = App.Node.Peers,
        };
        var writer = App.Services.GetRequiredService<LedgerWriter>();
        var records = new SplitViewRecords(node, writer, App.Services.GetRequiredService<LedgerClock>(), NullLogger<SplitViewRecords>.Instance);
        var witness = new WitnessService(node, writer, records, App.Clock);
        var sameSize = await b.BodyAsync(5, 5);
        await Should.ThrowAsync<IOException>(() => witness.AddCheckpointAsync(sameSize, CancellationToken.None));

        var evidence = (await RecordsOfAsync(WitnessStreams.Federation, WitnessFixture.StoppedOrigin)).ShouldHaveSingleItem();
        evidence.Data.GetProperty("kind").GetString().ShouldBe("same-size-different-root");
        (await LogViewAsync(WitnessFixture.StoppedOrigin)).GetProperty("untrusted").GetBoolean().ShouldBeFalse("the process stopped before the flag");

        // The next node to start flags the log from the record, at the record's time, and appends nothing.
        using (var restarted = AnotherNode(App))
        {
            using var http = restarted.CreateClient();
            using var document = JsonDocument.Parse(await http.GetStringAsync("/witness/logs"));
            var view = document.RootElement.GetProperty("logs").EnumerateArray().Single(l => l.GetProperty("origin").GetString() == WitnessFixture.StoppedOrigin);
            view.GetProperty("untrusted").GetBoolean().ShouldBeTrue();
            view.GetProperty("splitViewAt").GetDateTimeOffset().ShouldBe(evidence.RecordedAt);
        }

        (await LogViewAsync(WitnessFixture.StoppedOrigin)).GetProperty("untrusted").GetBoolean().ShouldBeTrue("the flag is in the shared store");
        (await RecordsOfAsync(WitnessStreams.Federation, WitnessFixture.StoppedOrigin)).ShouldHaveSingleItem();

        // Shown the split again, the witness refuses it as before and records nothing new (the same conflicting note).
        await ProblemAsync(await SubmitAsync(sameSize), (HttpStatusCode)422, "witness-inconsistent");
        (await RecordsOfAsync(WitnessStreams.Federation, WitnessFixture.StoppedOrigin)).ShouldHaveSingleItem();
        using var auditor = new LedgerClient(App.CreateClient(), App.FirstStart.DevToken, App.FirstStart.AdminToken);
        await auditor.ExportAndVerifyAsync();
    }

    [Fact]
    public async Task Setting_the_flags_of_recorded_split_views_again_changes_nothing_and_a_log_is_flagged_exactly_when_a_split_view_of_it_is_recorded()
    {
        var records = App.Services.GetRequiredService<SplitViewRecords>();
        var before = await Http.GetStringAsync("/witness/logs");
        var federation = await StreamAsync(WitnessStreams.Federation);

        var read = await records.FlagRecordedAsync(CancellationToken.None);

        read.ShouldBe(federation.Count(e => e.Type == "federation.split-view-detected.v1"));
        (await Http.GetStringAsync("/witness/logs")).ShouldBe(before, "flags are set once, at the first record's time, and never moved");
        (await StreamAsync(WitnessStreams.Federation)).Count.ShouldBe(federation.Count, "setting flags appends nothing");
        foreach (var origin in App.Node.WitnessedLogs.Origins)
        {
            var recorded = federation.Any(e => e.Type == "federation.split-view-detected.v1" && e.Data.GetProperty("origin").GetString() == origin);
            var held = await App.Node.Store.GetWitnessedAsync(origin);
            (held?.Untrusted ?? false).ShouldBe(recorded, origin);
        }
    }

    [Fact]
    public async Task A_federation_entry_that_is_no_federation_event_is_reported_as_corruption_and_nothing_is_flagged()
    {
        // A ledger of its own (the suite's is shared): its $federation stream given an entry the ledger never writes.
        using var app = new LedgerApp(Engine, Engine == "sqlite" ? null : await NewStoreAsync("corrupt-federation"), World.Settings());
        using (JsonDocument data = JsonDocument.Parse("""{"origin": "peer.example/cosign"}"""))
        {
            var statement = new EmitterStatement(
                WitnessStreams.Federation, "not-a-split-view", "federation.split-view-detected.v1", WitnessStreams.Federation, "$ledger", null, data.RootElement.Clone(), null);
            await app.Node.Store.AppendAsync(new AppendRequest(WitnessStreams.Federation, AppendRequest.AnyVersion, DateTimeOffset.UtcNow, [new ProposedEvent(statement, null)]));
        }

        var records = app.Services.GetRequiredService<SplitViewRecords>();
        var error = await Should.ThrowAsync<StoreCorruptedException>(() => records.FlagRecordedAsync(CancellationToken.None));

        error.Message.ShouldContain("$federation");
        error.Message.ShouldContain("not a federation event");
        (await app.Node.Store.GetWitnessedAsync(World.Cosign.Origin)).ShouldBeNull("nothing was flagged or created");
    }

    private async Task<IEventStore> OpenBranchAsync(string hint, string origin = WitnessFixture.ForkOrigin) =>
        await EventStoreFactory.OpenAsync(new StoreOptions { Engine = Engine, ConnectionString = await NewStoreAsync(hint), Origin = origin });
}
