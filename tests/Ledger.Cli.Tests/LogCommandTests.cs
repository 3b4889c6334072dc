using System.Text.RegularExpressions;
using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;

namespace Ledger.Cli.Tests;

[Collection(LedgerApiGroup.Name)]
public sealed partial class LogCommandTests(LedgerApiFixture api) : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Checkpoint_sign_signs_the_current_tree_and_checkpoint_fetches_it()
    {
        await AppendAsync("log-cp");
        var size = await api.TreeSizeAsync();

        var signed = await api.AdminAsync("checkpoint", "--sign");
        var fetched = await api.RunAsync("checkpoint");

        signed.ExitCode.ShouldBe(ExitCodes.Ok, signed.ToString());
        fetched.ExitCode.ShouldBe(ExitCodes.Ok, fetched.ToString());
        fetched.Output.ShouldBe(signed.Output);
        var check = new NoteVerifierSet(api.Node.Signer.Verifier).Open(fetched.Output);
        check.ShouldBeOfType<NoteCheck.Verified>();
        Checkpoint.Parse(SignedNote.Parse(fetched.Output).Text).Size.ShouldBeGreaterThanOrEqualTo(size);
    }

    [Fact]
    public async Task Checkpoint_sign_with_an_emitter_token_is_refused()
    {
        var result = await api.DevAsync("checkpoint", "--sign");

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("HTTP 403");
    }

    [Fact]
    public async Task Key_prints_the_ledgers_verifier_key()
    {
        var result = await api.RunAsync("key");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Output.Trim().ShouldBe(api.Node.Signer.Verifier.VerifierKey);
    }

    [Fact]
    public async Task A_fetched_receipt_verifies_offline_against_the_ledger_key()
    {
        var position = await AppendAsync("log-receipt");
        await api.AdminAsync("checkpoint", "--sign");

        var result = await api.RunAsync("receipt", position, "--verify", "--trust", api.Node.Signer.Verifier.VerifierKey);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Output.ShouldContain($"verified: position {position} is in the log {api.Node.Origin}");
        result.Output.ShouldContain("execution-log-receipt v1 execution.intent-declared.v1 log-receipt-intent");
    }

    [Fact]
    public async Task A_saved_receipt_verifies_without_a_server_with_the_key_in_a_file()
    {
        var position = await AppendAsync("log-saved");
        await api.AdminAsync("checkpoint", "--sign");
        var receipt = _dir.File("receipt.txt");
        var saved = await api.RunAsync("receipt", position, "--out", receipt);
        saved.ExitCode.ShouldBe(ExitCodes.Ok, saved.ToString());
        var keyFile = _dir.Write("ledger.vkey", api.Node.Signer.Verifier.VerifierKey + "\n");

        var result = await Cli.RunAsync("receipt", "--file", receipt, "--trust", keyFile, "--origin", api.Node.Origin);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Output.ShouldContain($"verified: position {position}");
    }

    [Fact]
    public async Task A_fetched_receipt_is_printed_as_tlog_proof_text()
    {
        var position = await AppendAsync("log-print");
        await api.AdminAsync("checkpoint", "--sign");

        var result = await api.RunAsync("receipt", position);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        TlogProof.Parse(result.Output).Index.ShouldBe(long.Parse(position, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_receipt_checked_against_an_untrusted_key_does_not_verify()
    {
        var position = await AppendAsync("log-untrusted");
        await api.AdminAsync("checkpoint", "--sign");
        using var other = SigningKey.GenerateEcdsaP256();
        var otherKey = NoteSigner.Create(api.Node.Origin, other).Verifier.VerifierKey;

        var result = await api.RunAsync("receipt", position, "--trust", otherKey);

        result.ExitCode.ShouldBe(ExitCodes.VerificationFailed, result.ToString());
        result.Error.ShouldContain("receipt does NOT verify: receipt-checkpoint-rejected");
    }

    [Fact]
    public async Task A_tampered_receipt_does_not_verify()
    {
        var position = await AppendAsync("log-tampered");
        await api.AdminAsync("checkpoint", "--sign");
        var text = (await api.RunAsync("receipt", position)).Output;
        var lines = text.Split('\n');
        var index = Array.FindIndex(lines, l => l.StartsWith("index ", StringComparison.Ordinal));
        lines[index + 1] = Convert.ToBase64String(new byte[32]);
        var file = _dir.Write("tampered.txt", string.Join('\n', lines));

        var result = await Cli.RunAsync("receipt", "--file", file, "--trust", api.Node.Signer.Verifier.VerifierKey);

        result.ExitCode.ShouldBe(ExitCodes.VerificationFailed, result.ToString());
        result.Error.ShouldContain("receipt-inclusion-failed");
    }

    [Fact]
    public async Task A_receipt_for_another_origin_does_not_verify()
    {
        var position = await AppendAsync("log-origin");
        await api.AdminAsync("checkpoint", "--sign");

        var result = await api.RunAsync("receipt", position, "--trust", api.Node.Signer.Verifier.VerifierKey, "--origin", "other.example/log");

        result.ExitCode.ShouldBe(ExitCodes.VerificationFailed, result.ToString());
        result.Error.ShouldContain("receipt-origin-mismatch");
    }

    [Fact]
    public async Task A_file_that_is_not_a_receipt_does_not_verify()
    {
        var file = _dir.Write("junk.txt", "hello\n");

        var result = await Cli.RunAsync("receipt", "--file", file, "--trust", api.Node.Signer.Verifier.VerifierKey);

        result.ExitCode.ShouldBe(ExitCodes.VerificationFailed, result.ToString());
        result.Error.ShouldContain("receipt-malformed");
    }

    [Fact]
    public async Task A_receipt_beyond_the_log_is_refused_as_not_found()
    {
        var result = await api.RunAsync("receipt", "999999");

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("HTTP 404");
        result.Error.ShouldContain("999999");
    }

    [Fact]
    public async Task Verify_without_a_trusted_key_is_a_usage_error()
    {
        var result = await api.RunAsync("receipt", "0", "--verify");

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("--trust");
    }

    [Fact]
    public async Task A_trusted_key_that_is_not_a_verifier_key_is_a_usage_error()
    {
        var result = await api.RunAsync("receipt", "0", "--trust", "ledger+zz+notbase64");

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("is not a verifier key");
    }

    [Fact]
    public async Task Both_a_position_and_a_file_is_a_usage_error()
    {
        var result = await api.RunAsync("receipt", "0", "--file", _dir.Write("r.txt", "x"));

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
    }

    [Fact]
    public async Task Export_writes_the_full_log_as_a_bundle()
    {
        await AppendAsync("log-export");
        await api.AdminAsync("checkpoint", "--sign");
        var path = _dir.File("log.bundle");

        var result = await api.RunAsync("export", "--out", path);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        var lines = File.ReadAllLines(path);
        lines[0].ShouldStartWith("{\"format\":\"ledger-bundle\"");
        lines.Length.ShouldBeGreaterThan(3);
        result.Error.ShouldContain($"wrote {path}");
    }

    [Fact]
    public async Task Export_of_one_lineage_writes_a_bundle()
    {
        await AppendAsync("log-lineage");
        await api.AdminAsync("checkpoint", "--sign");
        var path = _dir.File("lineage.bundle");

        var result = await api.RunAsync("export", "--out", path, "--lineage", "log-lineage");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        File.ReadAllText(path).ShouldContain("log-lineage-intent");
    }

    [Fact]
    public async Task Export_of_an_unknown_execution_is_refused_and_writes_nothing()
    {
        await AppendAsync("log-export-known");
        await api.AdminAsync("checkpoint", "--sign");
        var path = _dir.File("none.bundle");

        var result = await api.RunAsync("export", "--out", path, "--lineage", "no-such-execution");

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("There is no execution 'no-such-execution'");
        result.Error.ShouldNotContain("no export endpoint");
        File.Exists(path).ShouldBeFalse();
    }

    private async Task<string> AppendAsync(string executionId)
    {
        var execution = new Lifecycle(executionId);
        var file = _dir.Write(executionId + ".json", Lifecycle.Body(0, execution.Intent()));
        var result = await api.DevAsync("append", "--stream", execution.Stream, "--file", file);
        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        return PositionPattern().Match(result.Output).Groups[1].Value;
    }

    [GeneratedRegex(@"position (\d+) ")]
    private static partial Regex PositionPattern();

    public void Dispose() => _dir.Dispose();
}
