namespace Ledger.Api.Tests.EndToEnd;

/// <summary>A bad configuration stops the real process at start-up: one line on stderr, exit code 1, nothing created.</summary>
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
    [InlineData("--Ledger:FollowInterval", "00:00:00", "Ledger:FollowInterval and Ledger:PeerTimeout must be positive, not 00:00:00 and 00:00:10")]
    [InlineData("--Ledger:FollowInterval", "-00:00:01", "Ledger:FollowInterval and Ledger:PeerTimeout must be positive")]
    [InlineData("--Ledger:FollowInterval", "often", "ledger: invalid configuration: ")]
    [InlineData("--Ledger:HomeDomains:0", "Two Words", "Ledger:HomeDomains: 'Two Words' is not a domain name")]
    public async Task A_bad_setting_stops_the_start_with_one_line_on_stderr_and_creates_nothing(string option, string value, string expected)
    {
        var (exitCode, stdout, stderr) = await LedgerProcess.RunToExitAsync(
            _root, TimeSpan.FromSeconds(90), "--data-dir", DataDir, "--urls", "http://127.0.0.1:0", option, value);

        exitCode.ShouldBe(1, stdout + stderr);
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

        exitCode.ShouldBe(1, stdout + stderr);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, stderr);
        lines[0].ShouldContain("WitnessPolicy");
        stderr.ShouldNotContain("   at ");
    }

    [Theory]
    [InlineData("Origin", "a b", "Ledger:Peers:0:Origin: origin 'a b' has a space")]
    [InlineData("Origin", "ledger.local/log", "Ledger:Peers:0:Origin 'ledger.local/log' is this ledger's own origin")]
    [InlineData("Key", "not-a-key", "Ledger:Peers:0:Key is not a verifier key")]
    [InlineData("Key", "witness", "Ledger:Peers:0:Key is a cosignature/v1 (witness) key")]
    [InlineData("Url", "ftp://peer.example/", "Ledger:Peers:0:Url must be the peer's absolute http or https base URL, not 'ftp://peer.example/'")]
    [InlineData("Url", "peer.example", "Ledger:Peers:0:Url must be")]
    [InlineData("Policy", "missing", "Ledger:Peers:0:Policy: no file")]
    [InlineData("Policy", "other-key", "Ledger:Peers:0:Policy: the policy does not list the peer's key")]
    [InlineData("Policy", "malformed", "Ledger:Peers:0:Policy: Policy line 1")]
    [InlineData("HomeDomains:0", "two words", "Ledger:Peers:0:HomeDomains: 'two words' is not a domain name")]
    [InlineData("HomeDomains:0", "shared", "Ledger:Peers:1:HomeDomains: domain 'shared' already has a home ledger, 'peer.example/ledger'")]
    [InlineData("Origin", "twice", "Ledger:Peers:1:Origin 'peer.example/ledger' is configured twice")]
    [InlineData("LocalHome", "peer-domain", "Ledger:HomeDomains: domain 'peer-domain' is also a home domain of peer 'peer.example/ledger' (Ledger:Peers:0:HomeDomains); a domain has one home ledger")]
    public async Task A_bad_peer_stops_the_start_with_one_line_naming_the_setting(string setting, string value, string expected)
    {
        using var peerKey = Ledger.Domain.Notes.NoteSigner.Create("peer.example/ledger", Ledger.Domain.Crypto.SigningKey.GenerateEd25519());
        using var otherKey = Ledger.Domain.Notes.NoteSigner.Create("other.example/ledger", Ledger.Domain.Crypto.SigningKey.GenerateEd25519());
        var peer = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Origin"] = "peer.example/ledger",
            ["Key"] = peerKey.Verifier.VerifierKey,
            ["Url"] = "http://127.0.0.1:1",
            ["HomeDomains:0"] = "peer-domain",
        };
        var second = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Origin"] = "other.example/ledger",
            ["Key"] = otherKey.Verifier.VerifierKey,
            ["Url"] = "http://127.0.0.1:2",
        };
        var policy = Path.Combine(_root, "peer.policy");
        switch ((setting, value))
        {
            case ("Key", "witness"):
                using (var witness = Ledger.Domain.Notes.NoteSigner.CreateCosignatureV1("w", Ledger.Domain.Crypto.SigningKey.GenerateEd25519(), 0))
                {
                    peer["Key"] = witness.Verifier.VerifierKey;
                }

                break;
            case ("Policy", "missing"):
                peer["Policy"] = policy;
                break;
            case ("Policy", "other-key"):
                await File.WriteAllTextAsync(policy, $"log {otherKey.Verifier.VerifierKey}\nquorum none\n");
                peer["Policy"] = policy;
                break;
            case ("Policy", "malformed"):
                await File.WriteAllTextAsync(policy, "log\nquorum none\n");
                peer["Policy"] = policy;
                break;
            case ("HomeDomains:0", "shared"):
                second["HomeDomains:0"] = "shared";
                peer["HomeDomains:0"] = "shared";
                break;
            case ("Origin", "twice"):
                second["Origin"] = peer["Origin"];
                break;
            case ("LocalHome", _):
                break;
            default:
                peer[setting] = value;
                break;
        }

        var arguments = new List<string> { "--data-dir", DataDir, "--urls", "http://127.0.0.1:0" };
        if (setting == "LocalHome")
        {
            arguments.AddRange(["--Ledger:HomeDomains:0", value]);
        }

        foreach (var (i, settings) in new[] { (0, peer), (1, second) })
        {
            foreach (var (key, text) in settings)
            {
                arguments.AddRange([$"--Ledger:Peers:{i}:{key}", text]);
            }
        }

        var (exitCode, stdout, stderr) = await LedgerProcess.RunToExitAsync(_root, TimeSpan.FromSeconds(90), [.. arguments]);

        exitCode.ShouldBe(1, stdout + stderr);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, stderr);
        lines[0].ShouldStartWith("ledger: invalid configuration: ");
        lines[0].ShouldContain(expected);
        stderr.ShouldNotContain("   at ");
        Directory.Exists(DataDir).ShouldBeFalse("the data directory was created");
    }

    [Theory]
    [InlineData("not-a-key", "Ledger:Witness:Logs:0:Keys:0 is not a verifier key")]
    [InlineData("witness", "Ledger:Witness:Logs:0:Keys:0 is a cosignature/v1 (witness) key, not a log key")]
    [InlineData("twice", "Ledger:Witness:Logs:0:Keys:1 repeats the key 'peer.example/log'")]
    [InlineData("none", "Ledger:Witness:Logs:0:Keys must list at least one verifier key of the log 'peer.example/log'")]
    public async Task A_bad_witnessed_log_key_stops_the_start_with_one_line_and_creates_nothing(string key, string expected)
    {
        using var log = Ledger.Domain.Notes.NoteSigner.Create("peer.example/log", Ledger.Domain.Crypto.SigningKey.GenerateEd25519());
        using var witness = Ledger.Domain.Notes.NoteSigner.CreateCosignatureV1("w", Ledger.Domain.Crypto.SigningKey.GenerateEd25519(), 0);
        string[] keys = key switch
        {
            "not-a-key" => ["not-a-key"],
            "witness" => [witness.Verifier.VerifierKey],
            "twice" => [log.Verifier.VerifierKey, log.Verifier.VerifierKey],
            _ => [],
        };
        var arguments = new List<string> { "--data-dir", DataDir, "--urls", "http://127.0.0.1:0", "--Ledger:Witness:Logs:0:Origin", "peer.example/log" };
        for (var i = 0; i < keys.Length; i++)
        {
            arguments.AddRange([$"--Ledger:Witness:Logs:0:Keys:{i}", keys[i]]);
        }

        var (exitCode, stdout, stderr) = await LedgerProcess.RunToExitAsync(_root, TimeSpan.FromSeconds(90), [.. arguments]);

        AssertOneLineAndNothingCreated(exitCode, stdout, stderr, "ledger: invalid configuration: " + expected);
    }

    [Fact]
    public async Task A_store_of_another_origin_stops_the_start_with_one_line_and_is_left_as_it_was()
    {
        await using (var first = await LedgerProcess.StartAsync(DataDir, _root))
        {
            (await first.StopAsync()).ShouldBe(0, first.Output);
        }

        var before = Snapshot();

        var (exitCode, stdout, stderr) = await LedgerProcess.RunToExitAsync(
            _root, TimeSpan.FromSeconds(90), "--data-dir", DataDir, "--urls", "http://127.0.0.1:0", "--origin", "other.example/log");

        exitCode.ShouldBe(1, stdout + stderr);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, stderr);
        lines[0].ShouldStartWith("ledger: invalid configuration: Ledger:Origin is 'other.example/log', but the store holds the log of origin 'ledger.local/log'");
        stderr.ShouldNotContain("   at ");
        stdout.ShouldNotContain("Admin token");
        Snapshot().ShouldBe(before, "the data directory changed");

        // The ledger opens as it was under its own origin, and its log verifies.
        await using var again = await LedgerProcess.StartAsync(DataDir, _root);
        using var http = new HttpClient { BaseAddress = again.Address };
        var vkey = (await http.GetStringAsync("/v1/log/key")).Trim();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            // The checkpoint job covers the whole log before the export is taken.
            var size = long.Parse((await http.GetStringAsync("/v1/log/checkpoint")).Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);
            using var ready = await http.GetAsync("/healthz/ready");
            if (size == System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("treeSize").GetInt64())
            {
                break;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, "no checkpoint covered the log");
            await Task.Delay(250);
        }

        var bundle = Path.Combine(_root, "bundle.ndjson");
        await File.WriteAllBytesAsync(bundle, await http.GetByteArrayAsync("/v1/export"));
        using var report = new StringWriter();
        Ledger.Verifier.Program.Run([bundle, "--trust", vkey], report, report).ShouldBe(0, report.ToString());
    }

    private Dictionary<string, string> Snapshot() =>
        Directory.EnumerateFiles(DataDir, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(DataDir, f),
            f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public async Task A_port_in_use_stops_the_start_with_one_line_before_the_ledger_is_created()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var url = "http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, stdout, stderr) = await LedgerProcess.RunToExitAsync(_root, TimeSpan.FromSeconds(90), "--data-dir", DataDir, "--urls", url);

        AssertOneLineAndNothingCreated(exitCode, stdout, stderr, $"ledger: cannot listen on {url}: the port is already in use");
    }

    [Fact]
    public async Task An_unreachable_postgres_stops_the_start_with_one_line_before_the_ledger_is_created()
    {
        var port = LedgerProcess.FreePort(); // nothing listens there
        var connection = $"Host=127.0.0.1;Port={port};Database=ledger;Username=ledger;Password=secret-never-printed";

        var (exitCode, stdout, stderr) = await LedgerProcess.RunToExitAsync(
            _root, TimeSpan.FromSeconds(90), "--data-dir", DataDir, "--urls", "http://127.0.0.1:0", "--engine", "postgres", "--connection-string", connection);

        AssertOneLineAndNothingCreated(exitCode, stdout, stderr, $"ledger: Ledger:ConnectionString: cannot reach PostgreSQL at 127.0.0.1:{port}/ledger");
        stderr.ShouldNotContain("secret-never-printed");
    }

    [Fact]
    public async Task A_malformed_connection_string_stops_the_start_with_one_line()
    {
        var (exitCode, stdout, stderr) = await LedgerProcess.RunToExitAsync(
            _root, TimeSpan.FromSeconds(90), "--data-dir", DataDir, "--urls", "http://127.0.0.1:0", "--engine", "postgres", "--connection-string", "Hots=nowhere");

        AssertOneLineAndNothingCreated(exitCode, stdout, stderr, "ledger: Ledger:ConnectionString: not a PostgreSQL connection string");
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_stops_the_start_with_one_line()
    {
        var file = Path.Combine(_root, "a-file");
        await File.WriteAllTextAsync(file, "not a directory");

        var (exitCode, stdout, stderr) = await LedgerProcess.RunToExitAsync(
            _root, TimeSpan.FromSeconds(90), "--data-dir", Path.Combine(file, "data"), "--urls", "http://127.0.0.1:0");

        exitCode.ShouldBe(1, stdout + stderr);
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(1, stderr);
        stderr.ShouldStartWith("ledger: cannot use the data directory: ");
        stderr.ShouldNotContain("   at ");
        stdout.ShouldNotContain("Admin token");
    }

    [Fact]
    public async Task From_another_working_directory_appsettings_still_applies_and_the_admin_token_line_is_not_buried()
    {
        // The working directory is a temporary directory without appsettings.json: the file beside the assembly applies
        // (it quiets ASP.NET Core's per-request logs), and the data-protection keys live in the data directory.
        await using var ledger = await LedgerProcess.StartAsync(DataDir, _root);
        using var http = new HttpClient { BaseAddress = ledger.Address };
        for (var i = 0; i < 3; i++)
        {
            (await http.GetAsync("/healthz")).EnsureSuccessStatusCode();
        }

        (await ledger.StopAsync()).ShouldBe(0, ledger.Output);
        var output = ledger.Output;
        ledger.AdminToken.ShouldNotBeNull(output);
        output.ShouldNotContain("Request starting", Case.Sensitive, "appsettings.json was not applied");
        output.ShouldNotContain("DataProtection", Case.Sensitive, "data-protection warnings are back");
        output.ShouldContain("Content root path: " + Path.GetDirectoryName(Path.GetFullPath(LedgerProcess.ApiAssembly)));
        var warnings = output.Split('\n').Count(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal));
        warnings.ShouldBe(1, output); // the line with the admin token
        Directory.Exists(Path.Combine(DataDir, "data-protection")).ShouldBeTrue();
    }

    private void AssertOneLineAndNothingCreated(int exitCode, string stdout, string stderr, string expected)
    {
        exitCode.ShouldBe(1, stdout + stderr);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, stderr);
        lines[0].ShouldStartWith(expected);
        stderr.ShouldNotContain("   at ");
        stdout.ShouldNotContain("Admin token");
        stdout.ShouldNotContain("glt_");
        Directory.Exists(DataDir).ShouldBeFalse("the data directory was created");
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
