using System.Net;
using Ledger.Domain.Notes;
using Ledger.Domain.Witnessing;
using Ledger.Store;

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

    private async Task<IEventStore> OpenBranchAsync(string hint) =>
        await EventStoreFactory.OpenAsync(new StoreOptions { Engine = Engine, ConnectionString = await NewStoreAsync(hint), Origin = WitnessFixture.ForkOrigin });
}
