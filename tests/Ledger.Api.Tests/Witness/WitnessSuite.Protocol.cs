using System.Net;
using System.Text;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Crypto;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;
using Ledger.Domain.Witnessing;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Api.Tests.Witness;

public abstract partial class WitnessSuite
{
    [Fact]
    public async Task A_consistent_checkpoint_is_cosigned_recorded_in_the_witness_stream_and_served_back()
    {
        var log = World.Cosign.Grow(5);

        var first = log.Checkpoint();
        using (var response = await SubmitAsync(AddCheckpointRequest.Format(0, [], first)))
        {
            await CosignedAsync(response, first);
        }

        log.Grow(3);
        NoteSignature cosignature;
        using (var response = await SubmitAsync(log.Body(5)))
        {
            cosignature = await CosignedAsync(response, log.Checkpoint());
        }

        // Resubmitting the tree the witness holds is cosigned again, and not recorded twice.
        using (var again = await SubmitAsync(log.Body(8, 8)))
        {
            await CosignedAsync(again, log.Checkpoint());
        }

        var records = await RecordsOfAsync(WitnessStreams.Witness, log.Origin);
        records.Select(r => r.Data.GetProperty("size").GetInt64()).ShouldBe([5L, 8L]);
        records.ShouldAllBe(r => r.Type == "witness.checkpoint-cosigned.v1" && r.Emitter == "$ledger");
        var last = records[^1].Data;
        last.GetProperty("root").GetString().ShouldBe(Convert.ToBase64String(log.Root(8)));
        var recorded = SignedNote.Parse(last.GetProperty("note").GetString()!);
        recorded.Text.ShouldBe(SignedNote.Parse(log.Checkpoint()).Text);
        recorded.Signatures.Select(s => s.Name).ShouldBe([log.Origin, "witness.example/w1"]);
        last.GetProperty("cosignedAt").GetInt64().ShouldBe(CosignatureV1.TryGetTimestamp(cosignature, out var t) ? t : -1);

        var view = await LogViewAsync(log.Origin);
        view.GetProperty("size").GetInt64().ShouldBe(8);
        view.GetProperty("root").GetString().ShouldBe(Convert.ToBase64String(log.Root(8)));
        view.GetProperty("untrusted").GetBoolean().ShouldBeFalse();
        var served = await Http.GetStringAsync($"/witness/{WitnessStreams.OriginHash(log.Origin)}/checkpoint");
        var servedNote = SignedNote.Parse(served);
        new NoteVerifierSet(log.Signer.Verifier).Verify(servedNote).IsVerified.ShouldBeTrue();
        new NoteVerifierSet(NoteVerifier.Parse((await Http.GetStringAsync("/witness/key")).TrimEnd())).Verify(servedNote).IsVerified.ShouldBeTrue();
    }

    [Fact]
    public async Task Every_refusal_has_the_status_and_body_tlog_witness_prescribes_and_cosigns_nothing()
    {
        var log = World.Refusals.Grow(6);
        using (var ok = await SubmitAsync(log.Body(0)))
        {
            await CosignedAsync(ok, log.Checkpoint());
        }

        log.Grow(4); // 10 leaves; the witness holds 6.
        var witnessed = await RecordsOfAsync(WitnessStreams.Witness, log.Origin);

        // 404: an origin the witness does not witness.
        using var stranger = new TestLog("stranger.example/log");
        stranger.Grow(2);
        (await ProblemAsync(await SubmitAsync(stranger.Body(0)), HttpStatusCode.NotFound, "witness-unknown-log"))
            .GetProperty("origin").GetString().ShouldBe("stranger.example/log");

        // 403: signed by another key under the log's name; by nobody the witness trusts; a trusted signature that fails.
        using var impostor = new TestLog(log.Origin);
        impostor.Grow(10);
        await ProblemAsync(await SubmitAsync(AddCheckpointRequest.Format(6, log.Proof(6, 10), log.Checkpoint(10, impostor.Signer))), HttpStatusCode.Forbidden, "witness-not-signed-by-log");
        var genuine = SignedNote.Parse(log.Checkpoint(10));
        var bytes = genuine.Signatures[0].Signature.ToArray();
        bytes[^1] ^= 0x01;
        var tampered = SignedNote.Parse(genuine.Text + "\n" + new NoteSignature(genuine.Signatures[0].Name, genuine.Signatures[0].KeyId, bytes).Line + "\n").Format();
        (await ProblemAsync(await SubmitAsync(AddCheckpointRequest.Format(6, log.Proof(6, 10), tampered)), HttpStatusCode.Forbidden, "witness-not-signed-by-log"))
            .GetProperty("detail").GetString()!.ShouldContain("does not verify");

        // 400: old size above the checkpoint's size.
        await ProblemAsync(await SubmitAsync(AddCheckpointRequest.Format(11, [], log.Checkpoint(10))), HttpStatusCode.BadRequest, "witness-old-size-above-checkpoint");

        // 400: malformed bodies.
        var note = log.Checkpoint(10);
        var proofLines = string.Concat(log.Proof(6, 10).Select(h => Convert.ToBase64String(h) + "\n"));
        foreach (var body in new[]
        {
            "old 06\n" + proofLines + "\n" + note,
            "old  6\n" + proofLines + "\n" + note,
            "new 6\n" + proofLines + "\n" + note,
            "old 6\n" + proofLines + note,
            "old 6\n" + "not base64!\n\n" + note,
            "old 6\n" + string.Concat(Enumerable.Repeat(Convert.ToBase64String(new byte[32]) + "\n", 64)) + "\n" + note,
            "old 6\n" + proofLines + "\n" + "example\n10\n\n",
            "old 6",
        })
        {
            await ProblemAsync(await SubmitAsync(body), HttpStatusCode.BadRequest, "witness-malformed-request");
        }

        // 409: an old size that is not the latest cosigned one; the body is that size.
        await ConflictAsync(await SubmitAsync(AddCheckpointRequest.Format(0, [], log.Checkpoint(10))), 6);
        await ConflictAsync(await SubmitAsync(log.Body(5, 10)), 6);

        // 422: a proof that does not verify; a proof between equal sizes.
        var bad = log.Proof(6, 10).Select(h => (byte[])h.Clone()).ToList();
        bad[0][0] ^= 0x80;
        var inconsistent = await ProblemAsync(await SubmitAsync(AddCheckpointRequest.Format(6, bad, log.Checkpoint(10))), (HttpStatusCode)422, "witness-inconsistent");
        inconsistent.GetProperty("code").GetString().ShouldBe("inconsistent-proof");
        inconsistent.GetProperty("splitView").GetBoolean().ShouldBeFalse();
        (await ProblemAsync(await SubmitAsync(AddCheckpointRequest.Format(6, log.Proof(5, 6), log.Checkpoint(6))), (HttpStatusCode)422, "witness-inconsistent"))
            .GetProperty("code").GetString().ShouldBe("inconsistent-proof");

        // 413: a body above the limit.
        await ProblemAsync(await SubmitAsync(new string('x', 64 * 1024 + 1)), HttpStatusCode.RequestEntityTooLarge, "body-too-large");

        (await RecordsOfAsync(WitnessStreams.Witness, log.Origin)).Count.ShouldBe(witnessed.Count, "a refusal recorded a cosigning");
        (await LogViewAsync(log.Origin)).GetProperty("size").GetInt64().ShouldBe(6);
        (await RecordsOfAsync(WitnessStreams.Federation, log.Origin)).ShouldBeEmpty("a bad proof is not a split view");

        // And the right proof is cosigned.
        using var right = await SubmitAsync(log.Body(6, 10));
        await CosignedAsync(right, log.Checkpoint(10));
    }

    [Fact]
    public async Task The_empty_tree_rules_hold_and_an_empty_tree_may_be_cosigned()
    {
        var log = World.Empty;
        var wrongRoot = new Checkpoint(log.Origin, 0, new byte[32]).Sign(log.Signer).Format();
        (await ProblemAsync(await SubmitAsync(AddCheckpointRequest.Format(0, [], wrongRoot)), (HttpStatusCode)422, "witness-inconsistent"))
            .GetProperty("code").GetString().ShouldBe("bad-empty-tree");
        log.Grow(4);
        (await ProblemAsync(await SubmitAsync(AddCheckpointRequest.Format(0, [new byte[32]], log.Checkpoint(4))), (HttpStatusCode)422, "witness-inconsistent"))
            .GetProperty("code").GetString().ShouldBe("proof-from-empty-tree");

        using (var empty = await SubmitAsync(AddCheckpointRequest.Format(0, [], log.Checkpoint(0))))
        {
            await CosignedAsync(empty, log.Checkpoint(0));
        }

        MerkleHash.EmptyRoot().ShouldBe(log.Root(0));
        using (var grown = await SubmitAsync(log.Body(0, 4)))
        {
            await CosignedAsync(grown, log.Checkpoint(4));
        }

        (await RecordsOfAsync(WitnessStreams.Witness, log.Origin)).Select(r => r.Data.GetProperty("size").GetInt64()).ShouldBe([0L, 4L]);
    }

    [Fact]
    public async Task The_witness_key_is_an_ed25519_cosignature_key_kept_in_the_data_directory()
    {
        var vkey = (await Http.GetStringAsync("/witness/key")).TrimEnd('\n');
        var verifier = NoteVerifier.Parse(vkey);

        verifier.Name.ShouldBe("witness.example/w1");
        verifier.SignatureType.ShouldBe(NoteSignatureType.CosignatureV1);
        verifier.PublicKey.ShouldBeOfType<Ed25519VerificationKey>();
        var file = await File.ReadAllTextAsync(Path.Combine(App.DataDir, "witness.key"));
        var key = PrivateKeyText.Import(file, out var name);
        name.ShouldBe("witness.example/w1");
        NoteVerifier.CreateCosignatureV1(name!, (Ed25519VerificationKey)key.VerificationKey).VerifierKey.ShouldBe(vkey);
        key.Dispose();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(Path.Combine(App.DataDir, "witness.key")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        (await Http.GetStringAsync("/v1/log/key")).TrimEnd('\n').ShouldNotBe(vkey, "the witness key is not the log key");
    }

    [Fact]
    public void A_bad_witness_configuration_fails_at_start_with_one_line_naming_the_key()
    {
        using var app = new LedgerApp("sqlite", null, new Dictionary<string, string>
        {
            ["Ledger:Witness:Logs:0:Origin"] = "peer.example/log",
            ["Ledger:Witness:Logs:0:Keys:0"] = "peer.example/log+00000000+notakey",
        });

        // The start-up validation refuses it before the host is built, so nothing is opened or created (the line on
        // stderr and the exit code: StartupValidationTests, in a real process).
        var error = Should.Throw<InvalidOperationException>(() => app.Services.GetRequiredService<Ledger.Application.Hosting.LedgerNode>());
        error.Message.ShouldContain("without ever building an IHost");
        var options = new Ledger.Application.Hosting.LedgerOptions();
        options.Witness.Logs.Add(new Ledger.Application.Witnessing.WitnessedLogOptions { Origin = "peer.example/log", Keys = ["peer.example/log+00000000+notakey"] });

        var problem = Ledger.Application.Hosting.LedgerOptionsValidator.Check(options).ShouldHaveSingleItem();

        problem.ShouldStartWith("Ledger:Witness:Logs:0:Keys:0 is not a verifier key");
        problem.ShouldNotContain("\n");
    }
}
