using System.Text.RegularExpressions;
using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;

namespace Ledger.Cli.Tests;

// tlog-proof "Verifying" step 2: the log's own signature is required; a policy adds its witness quorum.
[Collection(LedgerApiGroup.Name)]
public sealed partial class ReceiptTrustTests(LedgerApiFixture api) : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Ed25519SigningKey _witnessKey = SigningKey.GenerateEd25519();
    private readonly Ed25519SigningKey _otherWitnessKey = SigningKey.GenerateEd25519();

    public void Dispose()
    {
        _dir.Dispose();
        _witnessKey.Dispose();
        _otherWitnessKey.Dispose();
    }

    private NoteSigner Witness(long? at = null) =>
        NoteSigner.CreateCosignatureV1("witness.example/w1", _witnessKey, at ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5);

    private NoteSigner OtherWitness() =>
        NoteSigner.CreateCosignatureV1("witness.example/w2", _otherWitnessKey, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5);

    private string LogVkey => api.Node.Signer.Verifier.VerifierKey;

    [Fact]
    public async Task A_receipt_signed_only_by_a_witness_is_refused_when_the_witness_key_is_trusted()
    {
        var proof = await ReceiptAsync("trust-witness-only");
        var file = Save("witness-only.tlog-proof", Resigned(proof, proof.CheckpointNote.Text, Witness()));

        var result = await Cli.RunAsync("receipt", "--file", file, "--trust", Witness().Verifier.VerifierKey);

        result.ExitCode.ShouldBe(ExitCodes.VerificationFailed, result.ToString());
        result.Error.ShouldContain("receipt-no-log-signature");
        result.Error.ShouldContain("a witness's cosignature never replaces the log's signature");
    }

    [Fact]
    public async Task A_receipt_signed_by_the_log_and_a_witness_verifies_with_both_keys_trusted()
    {
        var proof = await ReceiptAsync("trust-both");
        var file = Save("both.tlog-proof", Cosigned(proof, Witness()));

        var result = await Cli.RunAsync("receipt", "--file", file, "--trust", LogVkey, "--trust", Witness().Verifier.VerifierKey);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
    }

    [Fact]
    public async Task With_a_policy_a_receipt_cosigned_to_the_quorum_verifies()
    {
        var proof = await ReceiptAsync("policy-met");
        var file = Save("met.tlog-proof", Cosigned(proof, Witness()));

        var result = await Cli.RunAsync("receipt", "--file", file, "--policy", Policy("any"));

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Output.ShouldContain("witness.example/w1");
    }

    [Fact]
    public async Task With_a_policy_a_receipt_signed_by_the_log_alone_is_refused_for_its_quorum()
    {
        var proof = await ReceiptAsync("policy-unmet");
        var file = Save("unmet.tlog-proof", proof.Format());

        var result = await Cli.RunAsync("receipt", "--file", file, "--policy", Policy("any"));

        result.ExitCode.ShouldBe(ExitCodes.VerificationFailed, result.ToString());
        result.Error.ShouldContain("receipt-policy-rejected: checkpoint-quorum-not-met");
        result.Error.ShouldContain("the witness quorum 'W' is not met");
    }

    [Fact]
    public async Task With_a_two_of_two_policy_one_cosignature_is_not_enough_and_two_are()
    {
        var proof = await ReceiptAsync("policy-two");
        var one = Save("one.tlog-proof", Cosigned(proof, Witness()));
        var two = Save("two.tlog-proof", Cosigned(proof, Witness(), OtherWitness()));

        (await Cli.RunAsync("receipt", "--file", one, "--policy", Policy("all"))).ExitCode.ShouldBe(ExitCodes.VerificationFailed);
        var result = await Cli.RunAsync("receipt", "--file", two, "--policy", Policy("all"));
        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
    }

    [Fact]
    public async Task With_a_policy_a_receipt_signed_only_by_the_witnesses_is_refused()
    {
        var proof = await ReceiptAsync("policy-witness-only");
        var file = Save("policy-witness-only.tlog-proof", Resigned(proof, proof.CheckpointNote.Text, Witness(), OtherWitness()));

        var result = await Cli.RunAsync("receipt", "--file", file, "--policy", Policy("all"));

        result.ExitCode.ShouldBe(ExitCodes.VerificationFailed, result.ToString());
        result.Error.ShouldContain("checkpoint-no-log-signature");
        result.Error.ShouldContain("only witnesses signed it");
    }

    [Fact]
    public async Task With_a_policy_a_cosignature_from_the_future_does_not_count()
    {
        var proof = await ReceiptAsync("policy-future");
        var file = Save("future.tlog-proof", Cosigned(proof, Witness(DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds())));

        var result = await Cli.RunAsync("receipt", "--file", file, "--policy", Policy("any"));

        result.ExitCode.ShouldBe(ExitCodes.VerificationFailed, result.ToString());
        result.Error.ShouldContain("later than the verifier's clock");
    }

    [Fact]
    public async Task A_malformed_policy_is_a_usage_error_naming_its_line()
    {
        var proof = await ReceiptAsync("policy-malformed");
        var file = Save("m.tlog-proof", proof.Format());
        var policy = _dir.Write("bad.policy", $"log {LogVkey}\nwitness A {Witness().Verifier.VerifierKey}\ngroup G 3 A\nquorum G\n");

        var result = await Cli.RunAsync("receipt", "--file", file, "--policy", policy);

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("Policy line 3: group 'G' has threshold 3");
    }

    private string Policy(string threshold) => _dir.Write(
        "policy-" + threshold + "-" + Guid.NewGuid().ToString("N")[..6],
        $"""
        # the ledger and its two witnesses
        log {LogVkey}
        witness A {Witness().Verifier.VerifierKey}
        witness B {OtherWitness().Verifier.VerifierKey}
        group W {threshold} A B
        quorum W

        """);

    private string Save(string name, string text) => _dir.Write(name, text);

    private static string Cosigned(TlogProof proof, params NoteSigner[] witnesses) =>
        new TlogProof(proof.Index, proof.InclusionProof, proof.CheckpointNote.AddSignatures(witnesses), proof.Extra!.Value.ToArray()).Format();

    private static string Resigned(TlogProof proof, string text, params NoteSigner[] signers) =>
        new TlogProof(proof.Index, proof.InclusionProof, SignedNote.Sign(text, signers), proof.Extra!.Value.ToArray()).Format();

    private async Task<TlogProof> ReceiptAsync(string executionId)
    {
        var execution = new Lifecycle(executionId + "-" + Guid.NewGuid().ToString("N")[..6]);
        var body = _dir.Write(execution.Stream + ".json", Lifecycle.Body(0, execution.Intent()));
        var appended = await api.DevAsync("append", "--stream", execution.Stream, "--file", body);
        appended.ExitCode.ShouldBe(ExitCodes.Ok, appended.ToString());
        var position = PositionPattern().Match(appended.Output).Groups[1].Value;
        (await api.AdminAsync("checkpoint", "--sign")).ExitCode.ShouldBe(ExitCodes.Ok);
        var receipt = await api.RunAsync("receipt", position);
        receipt.ExitCode.ShouldBe(ExitCodes.Ok, receipt.ToString());
        return TlogProof.Parse(receipt.Output);
    }

    [GeneratedRegex(@"position (\d+) ")]
    private static partial Regex PositionPattern();
}
