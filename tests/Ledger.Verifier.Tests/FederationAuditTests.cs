using System.Text.Json;
using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;
using Ledger.Domain.Notes;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>
/// <c>ledger-verify</c> over several ledgers' bundles: every <c>federation.parent-attested.v1</c> is checked against the
/// peer's trusted key and, when the peer's bundle is given, against the peer's own log; each failure names the ledger it
/// belongs to.
/// </summary>
public sealed class FederationAuditTests : IDisposable
{
    private const string AwsOrigin = "aws.example/ledger";
    private const string AzureOrigin = "azure.example/ledger";
    private static readonly ExecutionId Parent = Id("p1");
    private static readonly ExecutionId Child = Id("c1");

    private readonly string _dir = Directory.CreateTempSubdirectory("ledger-verify-fed-").FullName;
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_child_decided_on_a_true_attestation_verifies_with_its_parents_bundle()
    {
        var (aws, awsFile) = await ParentLedger("deploy");
        var (azure, azureFile) = await ChildLedger(aws, attested => attested);

        var result = Harness.Run(awsFile, azureFile, "--trust", aws.VerifierKey, "--trust", azure.VerifierKey, "--json");

        result.Exit.ShouldBe(0, result.Stdout + result.Stderr);
        var json = result.Json;
        json.GetProperty("verdict").GetString().ShouldBe("valid");
        json.GetProperty("bundles").GetArrayLength().ShouldBe(2);
        var federation = json.GetProperty("federation");
        federation.GetProperty("records").GetInt64().ShouldBe(1);
        federation.GetProperty("checked").GetInt64().ShouldBe(1);
        federation.GetProperty("compared").GetInt64().ShouldBe(1);
        federation.GetProperty("findings").GetArrayLength().ShouldBe(0);
        azure.Executions[Child].Status.ShouldBe(ExecutionStatus.Declared);
    }

    [Fact]
    public async Task The_text_report_names_the_ledger_of_each_failure()
    {
        var (aws, awsFile) = await ParentLedger("deploy");
        var (azure, azureFile) = await ChildLedger(aws, attested => attested with { StreamVersion = attested.StreamVersion + 1 });

        var result = Harness.Run(awsFile, azureFile, "--trust", aws.VerifierKey, "--trust", azure.VerifierKey);

        result.Exit.ShouldBe(1);
        result.Stdout.ShouldContain($"FAILURES of ledger '{AzureOrigin}': 1");
        result.Stdout.ShouldContain("federation.attested-state-mismatch");
        result.Stdout.ShouldContain("INVALID — 2 bundles, cross-ledger checks failed");
    }

    [Fact]
    public async Task A_recorded_state_the_parents_log_does_not_hold_is_the_childs_ledgers_failure()
    {
        var (aws, awsFile) = await ParentLedger("deploy");
        var (azure, azureFile) = await ChildLedger(aws, attested => attested with { GrantedScope = ["read", "admin"] });

        var finding = SingleFailure(Harness.Run(awsFile, azureFile, "--trust", aws.VerifierKey, "--trust", azure.VerifierKey, "--json"));

        finding.GetProperty("ledger").GetString().ShouldBe(AzureOrigin);
        finding.GetProperty("finding").GetProperty("code").GetString().ShouldBe("federation.attested-state-mismatch");
        finding.GetProperty("finding").GetProperty("evidence").GetProperty("recorded scope").GetString().ShouldBe("read admin");
    }

    [Fact]
    public async Task A_checkpoint_not_signed_by_the_peers_trusted_key_is_refused()
    {
        var (aws, awsFile) = await ParentLedger("deploy");
        using var impostor = new TestLog(AwsOrigin, NoteSigner.Create(AwsOrigin, SigningKey.GenerateEcdsaP256()));
        var (azure, azureFile) = await ChildLedger(aws, attested => attested with
        {
            Checkpoint = Checkpoint.Parse(SignedNote.Parse(aws.Checkpoint()).Text).Sign(impostor.Signer).Format(),
        });

        var finding = SingleFailure(Harness.Run(awsFile, azureFile, "--trust", aws.VerifierKey, "--trust", azure.VerifierKey, "--json"));

        finding.GetProperty("ledger").GetString().ShouldBe(AzureOrigin);
        finding.GetProperty("finding").GetProperty("code").GetString().ShouldBe("federation.checkpoint-rejected");
    }

    [Fact]
    public async Task A_checkpoint_of_another_size_than_recorded_is_refused()
    {
        var (aws, awsFile) = await ParentLedger("deploy");
        var (_, azureFile) = await ChildLedger(aws, attested => attested with { CheckpointSize = attested.CheckpointSize - 1 });

        var finding = SingleFailure(Harness.Run(awsFile, azureFile, "--trust", aws.VerifierKey, "--policy", PolicyFile(AzureOrigin), "--json"));

        finding.GetProperty("finding").GetProperty("code").GetString().ShouldBe("federation.checkpoint-mismatch");
    }

    [Fact]
    public async Task A_peer_that_signed_another_view_for_the_child_is_the_peers_failure()
    {
        // The peer signs, with its real key, a checkpoint of a log that differs from the one it exports (another action).
        var (aws, awsFile) = await ParentLedger("deploy");
        using var forked = new TestLog(AwsOrigin, aws.Signer);
        using (var s = new Scenario(forked, signed: false))
        {
            s.Setup(T0);
            s.RunUntilStarted(Parent, T0.AddMinutes(1), parent: null, action: "delete");
        }

        forked.Size.ShouldBe(aws.Size);
        var (azure, azureFile) = await ChildLedger(aws, attested => attested with { Checkpoint = forked.Checkpoint() });

        var result = Harness.Run(awsFile, azureFile, "--trust", aws.VerifierKey, "--trust", azure.VerifierKey, "--json");

        var finding = SingleFailure(result);
        finding.GetProperty("ledger").GetString().ShouldBe(AwsOrigin);
        finding.GetProperty("finding").GetProperty("code").GetString().ShouldBe("federation.split-view");
        result.Json.GetProperty("bundles")[0].GetProperty("verdict").GetString().ShouldBe("valid");
        result.Json.GetProperty("bundles")[1].GetProperty("verdict").GetString().ShouldBe("valid");
    }

    [Fact]
    public async Task Without_the_peers_key_the_record_is_reported_not_checked_and_the_bundle_stays_valid()
    {
        var (aws, _) = await ParentLedger("deploy");
        var (azure, azureFile) = await ChildLedger(aws, attested => attested);

        var result = Harness.Run(azureFile, "--trust", azure.VerifierKey, "--json");

        result.Exit.ShouldBe(0, result.Stdout);
        var federation = result.Json.GetProperty("federation");
        federation.GetProperty("notTrusted").GetInt64().ShouldBe(1);
        var warning = federation.GetProperty("findings")[0];
        warning.GetProperty("failure").GetBoolean().ShouldBeFalse();
        warning.GetProperty("finding").GetProperty("code").GetString().ShouldBe("federation.peer-not-trusted");
    }

    [Fact]
    public async Task With_the_peers_key_but_not_its_bundle_the_signature_is_still_checked()
    {
        var (aws, _) = await ParentLedger("deploy");
        var (azure, azureFile) = await ChildLedger(aws, attested => attested);

        var result = Harness.Run(azureFile, "--trust", azure.VerifierKey, "--trust", aws.VerifierKey, "--json");

        result.Exit.ShouldBe(0, result.Stdout);
        var federation = result.Json.GetProperty("federation");
        federation.GetProperty("checked").GetInt64().ShouldBe(1);
        federation.GetProperty("compared").GetInt64().ShouldBe(0);
    }

    [Fact]
    public void Standard_input_cannot_be_one_of_several_bundles() =>
        GarbageTests.ShouldBeUnusable(Harness.Run("-", "b.ndjson", "--trust", "x"), "standard input (-) can only be verified alone");

    [Fact]
    public void The_same_bundle_twice_is_a_usage_error() =>
        GarbageTests.ShouldBeUnusable(Harness.Run("a.ndjson", "a.ndjson", "--trust", "x"), "the bundle 'a.ndjson' is given twice");

    [Fact]
    public void The_same_policy_twice_is_a_usage_error() =>
        GarbageTests.ShouldBeUnusable(Harness.Run("a.ndjson", "--policy", "p", "--policy", "p"), "--policy 'p' is given twice");

    private static JsonElement SingleFailure(Harness.CliResult result)
    {
        result.Exit.ShouldBe(1, result.Stdout + result.Stderr);
        var findings = result.Json.GetProperty("federation").GetProperty("findings");
        findings.GetArrayLength().ShouldBe(1, result.Stdout);
        findings[0].GetProperty("failure").GetBoolean().ShouldBeTrue();
        return findings[0];
    }

    private string PolicyFile(string origin)
    {
        var log = _owned.OfType<TestLog>().Single(l => l.Origin == origin);
        var path = Path.Combine(_dir, origin.Replace('/', '_') + ".policy");
        File.WriteAllText(path, $"log {log.VerifierKey}\nquorum none\n");
        return path;
    }

    // The parent's ledger: p1 started, checkpointed; its full export written to a file.
    private async Task<(TestLog Log, string File)> ParentLedger(string action)
    {
        var log = Own(new TestLog(AwsOrigin, NoteSigner.Create(AwsOrigin, SigningKey.GenerateEcdsaP256())));
        using (var s = new Scenario(log, signed: false))
        {
            s.Setup(T0);
            s.RunUntilStarted(Parent, T0.AddMinutes(1), parent: null, action: action);
        }

        log.Checkpoint();
        return (log, await Write(log, "aws"));
    }

    // The child's ledger: c1 declared under aws's p1, on the attestation of p1 at aws's latest checkpoint (as the
    // ledger records it, altered by the test), then checkpointed and exported.
    private async Task<(TestLog Log, string File)> ChildLedger(TestLog parentLog, Func<ParentAttested, ParentAttested> alter)
    {
        var log = Own(new TestLog(AzureOrigin, NoteSigner.Create(AzureOrigin, SigningKey.GenerateEcdsaP256())));
        var at = T0.AddMinutes(10);
        using var s = new Scenario(log, signed: false);
        s.Setup(T0);
        var parent = parentLog.Executions[Parent];
        var attested = new ParentAttested(AwsOrigin, Parent, "sha256:" + new string('e', 64), parentLog.Checkpoint(), parentLog.Size,
            parentLog.PositionsOf(Parent.StreamName).Count, parent.Status, parent.GrantedScope, parent.ExpiresAt, at.AddSeconds(-1));
        log.AttestParent(Child, alter(attested), Aws, at);
        var decision = s.Submit(Child, s.Intent(Child, null) with { Parent = new ParentRef(AwsOrigin, Parent) }, at);
        decision.ShouldBeOfType<Decision.Accepted>();
        log.Checkpoint();
        return (log, await Write(log, "azure"));
    }

    private async Task<string> Write(TestLog log, string name)
    {
        var path = Path.Combine(_dir, name + ".ndjson");
        await File.WriteAllBytesAsync(path, await log.FullBundleAsync());
        return path;
    }

    private T Own<T>(T owned) where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }
}
