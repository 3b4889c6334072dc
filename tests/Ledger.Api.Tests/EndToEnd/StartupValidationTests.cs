namespace Ledger.Api.Tests.EndToEnd;

/// <summary>A bad configuration stops the real process at start-up: one line on stderr, exit code 2, nothing created.</summary>
public sealed class StartupValidationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ledger-startup-").FullName;

    private string DataDir => Path.Combine(_root, "data");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in the temporary directory.
        }
    }

    [Theory]
    [InlineData("--Ledger:Origin", "a b", "Ledger:Origin: origin 'a b' has a space")]
    [InlineData("--origin", "ledger.example/log+1", "Ledger:Origin: origin 'ledger.example/log+1' has a space, a '+'")]
    [InlineData("--Ledger:Origin", "https://ledger.example/log", "Ledger:Origin: origin 'https://ledger.example/log' has a URL scheme")]
    [InlineData("--Ledger:Origin", "ledger.example/\u3000log", "has a space")]
    [InlineData("--Ledger:KeyName", "my key", "Ledger:KeyName: key name 'my key' is empty or has a space")]
    [InlineData("--Ledger:KeyAlgorithm", "rsa", "Ledger:KeyAlgorithm: 'rsa' is not one of ed25519, ecdsa-p256")]
    [InlineData("--Ledger:Engine", "mysql", "Ledger:Engine: 'mysql' is not one of sqlite, postgres")]
    [InlineData("--Ledger:CheckpointInterval", "soon", "ledger: invalid configuration: ")]
    public async Task A_bad_setting_stops_the_start_with_one_line_on_stderr_and_creates_nothing(string option, string value, string expected)
    {
        var (exitCode, stdout, stderr) = await LedgerProcess.RunToExitAsync(
            _root, TimeSpan.FromSeconds(90), "--data-dir", DataDir, "--urls", "http://127.0.0.1:0", option, value);

        exitCode.ShouldBe(2, stdout + stderr);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, stderr);
        lines[0].ShouldStartWith("ledger: invalid configuration: ");
        lines[0].ShouldContain(expected);
        stderr.ShouldNotContain("   at ");
        stdout.ShouldNotContain("Admin token");
        Directory.Exists(DataDir).ShouldBeFalse("the data directory was created");
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("quorum nobody\n")]
    [InlineData("witness w not-a-key http://127.0.0.1:1/witness\nquorum w\n")]
    public async Task A_witness_policy_that_is_missing_or_malformed_stops_the_start_with_one_line(string content)
    {
        var policy = Path.Combine(_root, "witnesses.policy");
        if (content != "missing")
        {
            await File.WriteAllTextAsync(policy, content);
        }

        var (exitCode, stdout, stderr) = await LedgerProcess.RunToExitAsync(
            _root, TimeSpan.FromSeconds(90), "--data-dir", DataDir, "--urls", "http://127.0.0.1:0", "--Ledger:WitnessPolicy", policy);

        exitCode.ShouldBe(2, stdout + stderr);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, stderr);
        lines[0].ShouldContain("WitnessPolicy");
        stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task A_valid_origin_starts_and_a_fresh_ledger_signs_with_ed25519()
    {
        await using var ledger = await LedgerProcess.StartAsync(DataDir, _root, "--origin", "ledger.example.com/eu-1");
        using var http = new HttpClient { BaseAddress = ledger.Address };
        var vkey = (await http.GetStringAsync("/v1/log/key")).Trim();

        var verifier = Ledger.Domain.Notes.NoteVerifier.Parse(vkey);
        verifier.Name.ShouldBe("ledger.example.com/eu-1");
        verifier.SignatureType.ShouldBe(Ledger.Domain.Notes.NoteSignatureType.Ed25519);
    }
}
