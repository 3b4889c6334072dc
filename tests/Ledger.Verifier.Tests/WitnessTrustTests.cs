using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>The log's own signature is required on every checkpoint; a policy adds its witness quorum.</summary>
public sealed class WitnessTrustTests : IDisposable
{
    private readonly TestLog _log = new();
    private readonly Scenario _scenario;
    private readonly Ed25519SigningKey _witnessKey = SigningKey.GenerateEd25519();
    private readonly string _dir = Directory.CreateTempSubdirectory("ledger-verify-policy-").FullName;

    public WitnessTrustTests() => _scenario = Standard(_log, signed: true);

    public void Dispose()
    {
        _scenario.Dispose();
        _log.Dispose();
        _witnessKey.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private NoteSigner Witness(long? at = null) =>
        NoteSigner.CreateCosignatureV1("witness.example/w1", _witnessKey, at ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60);

    private string WitnessVkey => Witness().Verifier.VerifierKey;

    [Fact]
    public async Task A_witness_key_given_as_trust_is_refused_as_unusable_input()
    {
        var result = Harness.Cli(await _log.FullBundleAsync(), "--trust", WitnessVkey);

        result.Exit.ShouldBe(2, result.Stdout + result.Stderr);
        result.Stderr.ShouldContain("is a witness cosignature key (type 0x04)");
    }

    [Fact]
    public async Task A_bundle_whose_checkpoints_only_a_witness_signed_is_invalid_under_a_policy()
    {
        var bundle = Rewrite(await _log.FullBundleAsync(), note => SignedNote.Sign(note.Text, Witness()));

        var result = Harness.Cli(bundle, "--policy", PolicyFile($"log {_log.VerifierKey}\nwitness W {WitnessVkey}\nquorum W\n"), "--json");

        result.Exit.ShouldBe(1, result.Stdout + result.Stderr);
        var failures = result.Json.GetProperty("failures").EnumerateArray().ToList();
        failures.ShouldNotBeEmpty();
        failures.ShouldAllBe(f => f.GetProperty("code").GetString() == "checkpoint.untrusted");
        failures[0].GetProperty("message").GetString()!.ShouldContain("only witnesses signed this checkpoint");
    }

    [Fact]
    public async Task A_policy_with_no_log_and_no_trust_key_is_unusable()
    {
        var result = Harness.Cli(await _log.FullBundleAsync(), "--policy", PolicyFile($"witness W {WitnessVkey}\nquorum W\n"));

        result.Exit.ShouldBe(2, result.Stdout + result.Stderr);
        result.Stderr.ShouldContain("lists no log");
    }

    [Fact]
    public async Task A_bundle_whose_checkpoints_are_cosigned_meets_the_policy()
    {
        var bundle = Rewrite(await _log.FullBundleAsync(), note => note.AddSignatures(Witness()));

        var result = Harness.Cli(bundle, "--policy", PolicyFile($"log {_log.VerifierKey}\nwitness W {WitnessVkey}\nquorum W\n"));

        result.Exit.ShouldBe(0, result.Stdout + result.Stderr);
        result.Stdout.ShouldContain("quorum:   every checkpoint cosigned to meet 'W'");
    }

    [Fact]
    public async Task A_policy_log_may_be_given_with_trust_beside_the_policy()
    {
        var bundle = Rewrite(await _log.FullBundleAsync(), note => note.AddSignatures(Witness()));

        var result = Harness.Cli(bundle, "--trust", _log.VerifierKey, "--policy", PolicyFile($"witness W {WitnessVkey}\nquorum W\n"));

        result.Exit.ShouldBe(0, result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task A_bundle_without_cosignatures_does_not_meet_a_policy_quorum()
    {
        var result = Harness.Cli(await _log.FullBundleAsync(), "--policy", PolicyFile($"log {_log.VerifierKey}\nwitness W {WitnessVkey}\nquorum W\n"), "--json");

        result.Exit.ShouldBe(1, result.Stdout + result.Stderr);
        var failure = result.Json.GetProperty("failures")[0];
        failure.GetProperty("code").GetString().ShouldBe("checkpoint.quorum-not-met");
        failure.GetProperty("message").GetString()!.ShouldContain("the witness quorum 'W' is not met");
    }

    [Fact]
    public async Task A_cosignature_from_the_future_does_not_count_towards_the_quorum()
    {
        var bundle = Rewrite(await _log.FullBundleAsync(), note => note.AddSignatures(Witness(DateTimeOffset.UtcNow.AddDays(2).ToUnixTimeSeconds())));

        var result = Harness.Cli(bundle, "--policy", PolicyFile($"log {_log.VerifierKey}\nwitness W {WitnessVkey}\nquorum W\n"), "--json");

        result.Exit.ShouldBe(1, result.Stdout + result.Stderr);
        var failure = result.Json.GetProperty("failures")[0];
        failure.GetProperty("code").GetString().ShouldBe("checkpoint.quorum-not-met");
        failure.GetProperty("message").GetString()!.ShouldContain("later than the verifier's clock");
    }

    [Fact]
    public async Task A_quorum_none_policy_needs_only_the_logs_signature()
    {
        var result = Harness.Cli(await _log.FullBundleAsync(), "--policy", PolicyFile($"log {_log.VerifierKey}\nquorum none\n"));

        result.Exit.ShouldBe(0, result.Stdout + result.Stderr);
    }

    [Theory]
    [InlineData("log {0}\n", "no quorum line")]
    [InlineData("log {0}\nwitness W {0}\nquorum W\n", "Policy line 2: witness 'W' has a key of signature type")]
    [InlineData("log {0}\nquorum X\n", "Policy line 2: the quorum 'X'")]
    public async Task A_malformed_policy_is_unusable_input_naming_its_line(string policy, string expected)
    {
        var result = Harness.Cli(await _log.FullBundleAsync(), "--policy", PolicyFile(policy.Replace("{0}", _log.VerifierKey, StringComparison.Ordinal)));

        result.Exit.ShouldBe(2, result.Stdout + result.Stderr);
        result.Stderr.ShouldContain(expected);
    }

    [Fact]
    public async Task A_missing_policy_file_is_unusable_input()
    {
        var result = Harness.Cli(await _log.FullBundleAsync(), "--policy", Path.Combine(_dir, "absent.policy"));

        result.Exit.ShouldBe(2, result.Stdout + result.Stderr);
        result.Stderr.ShouldContain("cannot read the policy");
    }

    private string PolicyFile(string text)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".policy");
        File.WriteAllText(path, text);
        return path;
    }

    private static byte[] Rewrite(byte[] bundle, Func<SignedNote, SignedNote> rewrite)
    {
        var lines = BundleLines.Of(bundle);
        foreach (var (index, _) in lines.Checkpoints().ToList())
        {
            lines.Lines[index] = BundleLines.CheckpointLine(rewrite(SignedNote.Parse(BundleLines.Note(lines.Lines[index]))).Format());
        }

        return lines.ToBytes();
    }
}
