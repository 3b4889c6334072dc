using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>The option surface auditors paste from the README: --trust takes a key or a file, --version.</summary>
public sealed class TrustOptionTests : IDisposable
{
    private readonly TestLog _log = new();
    private readonly Scenario _scenario;
    private readonly string _keyFile = Path.GetTempFileName();

    public TrustOptionTests() => _scenario = Standard(_log, signed: true);

    public void Dispose()
    {
        _scenario.Dispose();
        _log.Dispose();
        File.Delete(_keyFile);
    }

    [Fact]
    public async Task Trust_takes_a_file_holding_the_key_as_curl_saves_it()
    {
        await File.WriteAllTextAsync(_keyFile, _log.VerifierKey + "\n");

        var result = Harness.Cli(await _log.FullBundleAsync(), "--trust", _keyFile);

        result.Exit.ShouldBe(0, result.Stdout + result.Stderr);
        result.Stdout.ShouldContain("ledger-verify: VALID");
    }

    [Fact]
    public async Task A_trust_file_without_a_key_is_unusable_input()
    {
        await File.WriteAllTextAsync(_keyFile, "not a key\n");

        var result = Harness.Cli(await _log.FullBundleAsync(), "--trust", _keyFile);

        result.Exit.ShouldBe(2);
        result.Stderr.ShouldContain("is not a verifier key (nor a file holding one)");
    }

    [Fact]
    public void Version_prints_the_verifiers_version_and_exits_0()
    {
        var result = Harness.Run("--version");

        result.Exit.ShouldBe(0);
        result.Stdout.ShouldStartWith("ledger-verify ");
        result.Stdout.Trim().Length.ShouldBeGreaterThan("ledger-verify ".Length);
    }
}
