using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>The command line's reports and exit codes.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TestLog _log = new();
    private readonly Scenario _scenario;

    public CliTests() => _scenario = Standard(_log, signed: true);

    public void Dispose()
    {
        _scenario.Dispose();
        _log.Dispose();
    }

    [Fact]
    public async Task A_valid_bundle_exits_0_with_a_human_report()
    {
        var result = Harness.Cli(await _log.FullBundleAsync(), "--trust", _log.VerifierKey);

        result.Exit.ShouldBe(0, result.Stdout + result.Stderr);
        result.Stdout.ShouldContain("ledger-verify: VALID");
        result.Stdout.ShouldContain($"full export of positions [0, {_log.Size})");
        result.Stdout.ShouldContain("Every check passed.");
        result.Stderr.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_valid_bundle_gives_one_JSON_document_with_json()
    {
        var result = Harness.Cli(await _log.FullBundleAsync(), "--trust", _log.VerifierKey, "--json");

        result.Exit.ShouldBe(0);
        var json = result.Json;
        json.GetProperty("verdict").GetString().ShouldBe("valid");
        json.GetProperty("exitCode").GetInt32().ShouldBe(0);
        json.GetProperty("header").GetProperty("kind").GetString().ShouldBe("full");
        json.GetProperty("counts").GetProperty("entries").GetInt64().ShouldBe(_log.Size);
        json.GetProperty("failures").GetArrayLength().ShouldBe(0);
        json.GetProperty("trustedKeys")[0].GetString()!.ShouldStartWith("ledger.example+");
    }

    [Fact]
    public async Task An_invalid_bundle_exits_1_and_names_the_position_with_its_evidence()
    {
        var lines = BundleLines.Of(await _log.FullBundleAsync());
        lines.Lines.RemoveAt(lines.IndexOfEntry(10));

        var result = Harness.Cli(lines.ToBytes(), "--trust", _log.VerifierKey, "--json");

        result.Exit.ShouldBe(1);
        var failure = result.Json.GetProperty("failures")[0];
        failure.GetProperty("code").GetString().ShouldBe("entry.position-mismatch");
        failure.GetProperty("position").GetInt64().ShouldBe(10);
        failure.GetProperty("evidence").GetProperty("expected position").GetString().ShouldBe("10");
        failure.GetProperty("evidence").GetProperty("found position").GetString().ShouldBe("11");

        var text = Harness.Cli(lines.ToBytes(), "--trust", _log.VerifierKey);
        text.Exit.ShouldBe(1);
        text.Stdout.ShouldContain("ledger-verify: INVALID");
        text.Stdout.ShouldContain("position 10 (line ");
        text.Stdout.ShouldContain("expected position: 10");
    }

    [Fact]
    public async Task Keys_in_the_bundle_are_never_trusted_only_the_auditors()
    {
        using var other = NoteSigner.Create("ledger.example", SigningKey.GenerateEcdsaP256());

        var result = Harness.Cli(await _log.FullBundleAsync(), "--trust", other.Verifier.VerifierKey, "--json");

        result.Exit.ShouldBe(1);
        result.Json.GetProperty("failures").EnumerateArray().ShouldAllBe(f => f.GetProperty("code").GetString() == "checkpoint.untrusted");
    }

    [Fact]
    public async Task A_second_trusted_key_that_signed_nothing_changes_nothing()
    {
        using var other = NoteSigner.Create("witness.example", SigningKey.GenerateEcdsaP256());

        Harness.Cli(await _log.FullBundleAsync(), "--trust", other.Verifier.VerifierKey, "--trust", _log.VerifierKey).Exit.ShouldBe(0);
    }

    [Fact]
    public async Task Hashes_only_and_one_thread_are_accepted_options()
    {
        var result = Harness.Cli(await _log.FullBundleAsync(), "--trust", _log.VerifierKey, "--hashes-only", "--threads", "1");

        result.Exit.ShouldBe(0);
        result.Stdout.ShouldContain("hashes only");
    }

    [Fact]
    public void A_large_bundle_shows_its_progress_on_a_terminal_and_not_elsewhere()
    {
        var path = Path.Combine(Path.GetTempPath(), "ledger-verify-large-" + Guid.NewGuid().ToString("N"));
        using (var file = File.Create(path))
        {
            file.Write("{\"format\":\"ledger-bundle\",\"version\":1}\n{\"from\":0,\"kind\":\"full\",\"origin\":\"o\",\"record\":\"header\",\"to\":1}\n"u8);
            var line = System.Text.Encoding.ASCII.GetBytes("{\"data\":" + new string('x', 4000) + "\n");
            for (var i = 0; i < 17_500; i++)
            {
                file.Write(line);
            }
        }

        try
        {
            var stdout = new StringWriter();
            var terminal = new StringWriter();
            Program.Run([path, "--trust", _log.VerifierKey], stdout, terminal, stderrIsRedirected: false).ShouldBe(1);
            terminal.ToString().ShouldContain("verifying: ");
            terminal.ToString().ShouldContain("% of 66 MiB");
            terminal.ToString().ShouldContain(" left");

            var redirected = new StringWriter();
            Program.Run([path, "--trust", _log.VerifierKey], new StringWriter(), redirected, stderrIsRedirected: true).ShouldBe(1);
            redirected.ToString().ShouldBeEmpty();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0, 100, 10, "verifying: 0.0% of 100 MiB, 0 MiB/s, about unknown left")]
    [InlineData(25, 100, 5, "verifying: 25.0% of 100 MiB, 5 MiB/s, about 15s left")]
    [InlineData(10, 1000, 60, "verifying: 1.0% of 1000 MiB, 0 MiB/s, about 1h 39m left")]
    [InlineData(500, 1000, 100, "verifying: 50.0% of 1000 MiB, 5 MiB/s, about 1m 40s left")]
    public void Progress_shows_the_share_read_the_rate_and_the_time_left(long readMiB, long totalMiB, int seconds, string expected)
    {
        Program.ProgressText(readMiB * 1024 * 1024, totalMiB * 1024 * 1024, TimeSpan.FromSeconds(seconds)).ShouldBe(expected);
    }
}
