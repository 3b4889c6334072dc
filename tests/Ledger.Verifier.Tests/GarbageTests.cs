using System.Text;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>Input that is not a bundle: exit 2, a clear message, no stack trace.</summary>
public sealed class GarbageTests : IDisposable
{
    private readonly TestLog _log = new();

    public void Dispose() => _log.Dispose();

    internal static void ShouldBeUnusable(Harness.CliResult result, string reason)
    {
        result.Exit.ShouldBe(2, result.Stdout + result.Stderr);
        (result.Stdout + result.Stderr).ShouldContain(reason);
        (result.Stdout + result.Stderr).ShouldNotContain("   at ");
        (result.Stdout + result.Stderr).ShouldNotContain("Exception");
    }

    [Fact]
    public void Random_bytes_are_not_a_bundle()
    {
        var bytes = new byte[100_000];
        new Random(3).NextBytes(bytes);
        ShouldBeUnusable(Harness.Cli(bytes, "--trust", _log.VerifierKey), "not a ledger bundle");
    }

    [Fact]
    public void An_empty_file_is_not_a_bundle() =>
        ShouldBeUnusable(Harness.Cli([], "--trust", _log.VerifierKey), "empty");

    [Fact]
    public void An_unknown_version_is_named() =>
        ShouldBeUnusable(
            Harness.Cli(Encoding.UTF8.GetBytes("{\"format\":\"ledger-bundle\",\"version\":7}\n"), "--trust", _log.VerifierKey),
            "unknown bundle version 7");

    [Fact]
    public void A_100_MB_line_is_refused_after_16_MiB_without_reading_the_rest()
    {
        var path = Path.Combine(Path.GetTempPath(), "ledger-verify-long-" + Guid.NewGuid().ToString("N"));
        using (var file = File.Create(path))
        {
            file.Write("{\"format\":\"ledger-bundle\",\"version\":1}\n"u8);
            var chunk = Encoding.ASCII.GetBytes(new string('x', 1 << 20));
            for (var i = 0; i < 100; i++)
            {
                file.Write(chunk);
            }

            file.Write("\n"u8);
        }

        try
        {
            var result = Harness.Run(path, "--trust", _log.VerifierKey, "--json");
            ShouldBeUnusable(result, "longer than 16777216 bytes");
            result.Json.GetProperty("verdict").GetString().ShouldBe("unusable");
            result.Json.GetProperty("counts").GetProperty("bytes").GetInt64().ShouldBeLessThan(100L << 20);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_truncated_bundle_is_unusable()
    {
        using var scenario = Standard(_log, signed: false);
        var bundle = await _log.FullBundleAsync();
        ShouldBeUnusable(Harness.Cli(bundle[..(bundle.Length / 2)], "--trust", _log.VerifierKey), "truncated");
    }

    [Fact]
    public void A_missing_file_is_unusable() =>
        ShouldBeUnusable(Harness.Run("/nonexistent/bundle.ndjson", "--trust", _log.VerifierKey), "cannot read");

    [Fact]
    public void A_directory_is_unusable() =>
        ShouldBeUnusable(Harness.Run(Path.GetTempPath(), "--trust", _log.VerifierKey), "cannot read");

    [Fact]
    public void No_trusted_key_is_a_usage_error() =>
        ShouldBeUnusable(Harness.Run("bundle.ndjson"), "no --trust key");

    [Fact]
    public void A_trusted_key_that_is_not_a_vkey_is_a_usage_error() =>
        ShouldBeUnusable(Harness.Run("bundle.ndjson", "--trust", "not-a-key"), "is not a verifier key");

    [Fact]
    public void An_unknown_option_is_a_usage_error() =>
        ShouldBeUnusable(Harness.Run("bundle.ndjson", "--trust", _log.VerifierKey, "--fast"), "unknown option '--fast'");

    [Fact]
    public void Of_several_bundles_the_first_unreadable_one_is_named() =>
        ShouldBeUnusable(Harness.Run("a", "b", "--trust", _log.VerifierKey), "cannot read 'a'");

    [Theory]
    [InlineData("0")]
    [InlineData("many")]
    public void A_bad_thread_count_is_a_usage_error(string threads) =>
        ShouldBeUnusable(Harness.Run("a", "--trust", _log.VerifierKey, "--threads", threads), "--threads takes a number");

    [Fact]
    public void A_trailing_option_without_its_value_is_a_usage_error() =>
        ShouldBeUnusable(Harness.Run("a", "--trust"), "--trust needs a value");

    [Fact]
    public void The_same_trusted_key_twice_is_a_usage_error() =>
        ShouldBeUnusable(Harness.Run("a", "--trust", _log.VerifierKey, "--trust", _log.VerifierKey), "given twice");

    [Fact]
    public void Help_prints_the_usage_and_exits_0()
    {
        var result = Harness.Run("--help");
        result.Exit.ShouldBe(0);
        result.Stdout.ShouldContain("usage: ledger-verify BUNDLE [BUNDLE ...] --trust VKEY");
    }
}
