using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>
/// A lineage bundle carries the attestation each <c>federation.parent-attested.v1</c> rests on (FORMAT §7.3), and
/// <c>ledger-verify</c> runs the attestation's verification (FORMAT §10.3) again offline with the peer's key and policy.
/// </summary>
public sealed class AttestationReplayTests : IDisposable
{
    private const string AwsOrigin = "aws.example/ledger";
    private const string AzureOrigin = "azure.example/ledger";
    private static readonly ExecutionId Parent = Id("p1");
    private static readonly ExecutionId Child = Id("c1");

    private readonly string _dir = Directory.CreateTempSubdirectory("ledger-verify-att-").FullName;
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
    public async Task An_honest_attestation_in_a_lineage_bundle_verifies_again_offline()
    {
        var aws = ParentLedger();
        var (azure, text, _) = ChildLedger(aws, (t, digest) => (t, digest));
        var bundle = await Write(await azure.LineageBundleAsync(Child), "azure-lineage");
        File.ReadAllText(bundle).ShouldContain("\"record\":\"attestation\"");

        var result = Harness.Run(bundle, await Write(await aws.FullBundleAsync(), "aws"), "--trust", aws.VerifierKey, "--trust", azure.VerifierKey, "--json");

        result.Exit.ShouldBe(0, result.Stdout + result.Stderr);
        var federation = result.Json.GetProperty("federation");
        federation.GetProperty("attestationsVerified").GetInt64().ShouldBe(1);
        federation.GetProperty("compared").GetInt64().ShouldBe(1);
        federation.GetProperty("findings").GetArrayLength().ShouldBe(0);
        text.ShouldStartWith("execution-attestation@v1\n");
    }

    [Fact]
    public async Task A_tampered_attestation_text_is_not_the_one_the_record_names()
    {
        var aws = ParentLedger();
        var (azure, _, _) = ChildLedger(aws, (t, digest) => (Tamper(t), digest));

        var finding = SingleFailure(Harness.Run(await Write(await azure.LineageBundleAsync(Child), "azure"), "--trust", aws.VerifierKey, "--trust", azure.VerifierKey, "--json"));

        finding.GetProperty("ledger").GetString().ShouldBe(AzureOrigin);
        finding.GetProperty("finding").GetProperty("code").GetString().ShouldBe("federation.attestation-digest-mismatch");
    }

    [Fact]
    public async Task A_tampered_attestation_recorded_under_its_own_digest_does_not_verify()
    {
        var aws = ParentLedger();
        var (azure, _, _) = ChildLedger(aws, (t, _) => (Tamper(t), ExecutionAttestation.DigestOf(Tamper(t))));

        var finding = SingleFailure(Harness.Run(await Write(await azure.LineageBundleAsync(Child), "azure"), "--trust", aws.VerifierKey, "--trust", azure.VerifierKey, "--json"));

        finding.GetProperty("finding").GetProperty("code").GetString().ShouldBe("federation.attestation-rejected");
        // §10.3 step 2: the statement no longer carries a valid signature by the peer's key.
        finding.GetProperty("finding").GetProperty("evidence").GetProperty("check").GetString().ShouldBe("attestation-wrong-key");
    }

    [Fact]
    public async Task An_attestation_checked_with_another_key_than_the_peers_is_refused()
    {
        var aws = ParentLedger();
        var (azure, _, _) = ChildLedger(aws, (t, digest) => (t, digest));
        using var impostor = NoteSigner.Create(AwsOrigin, SigningKey.GenerateEd25519());

        var finding = SingleFailure(Harness.Run(await Write(await azure.LineageBundleAsync(Child), "azure"), "--trust", impostor.Verifier.VerifierKey, "--trust", azure.VerifierKey, "--json"));

        finding.GetProperty("finding").GetProperty("code").GetString().ShouldBe("federation.attestation-rejected");
        finding.GetProperty("finding").GetProperty("evidence").GetProperty("check").GetString().ShouldBe("attestation-wrong-key");
    }

    [Fact]
    public async Task An_attestation_record_before_another_entry_is_misplaced()
    {
        var aws = ParentLedger();
        var (azure, text, _) = ChildLedger(aws, (t, digest) => (t, digest));
        var lines = File.ReadAllLines(await Write(await azure.LineageBundleAsync(Child), "azure")).ToList();
        var at = lines.FindIndex(l => l.Contains("\"record\":\"attestation\"", StringComparison.Ordinal));
        var record = lines[at];
        lines.RemoveAt(at);
        // Before the intent's inclusion record instead (the intent follows the attestation's entry).
        var intent = lines.FindLastIndex(l => l.Contains("execution.intent-declared.v1", StringComparison.Ordinal));
        lines.Insert(intent - 1, record);
        var moved = Path.Combine(_dir, "moved.ndjson");
        await File.WriteAllTextAsync(moved, string.Join("\n", lines) + "\n");

        var result = Harness.Run(moved, "--trust", aws.VerifierKey, "--trust", azure.VerifierKey, "--json");

        result.Exit.ShouldBe(1, result.Stdout);
        result.Stdout.ShouldContain("bundle.attestation-misplaced");
        text.ShouldNotBeEmpty();
    }

    private static string Tamper(string text)
    {
        // The statement restated with another status, under the same signature: the signature no longer matches.
        var attestation = ExecutionAttestation.Parse(text);
        var note = SignedNote.Parse(attestation.Statement.Format().Replace("status running", "status halted", StringComparison.Ordinal));
        return new ExecutionAttestation(note, attestation.CheckpointNote, attestation.Entries).Format();
    }

    private static System.Text.Json.JsonElement SingleFailure(Harness.CliResult result)
    {
        result.Exit.ShouldBe(1, result.Stdout + result.Stderr);
        var findings = result.Json.GetProperty("federation").GetProperty("findings");
        findings.GetArrayLength().ShouldBe(1, result.Stdout);
        findings[0].GetProperty("failure").GetBoolean().ShouldBeTrue();
        return findings[0];
    }

    // The parent's ledger: p1 started, checkpointed.
    private TestLog ParentLedger()
    {
        var log = Own(new TestLog(AwsOrigin, NoteSigner.Create(AwsOrigin, SigningKey.GenerateEd25519())));
        using (var s = new Scenario(log, signed: false))
        {
            s.Setup(T0);
            s.RunUntilStarted(Parent, T0.AddMinutes(1), parent: null, action: "deploy");
        }

        log.Checkpoint();
        return log;
    }

    // The attestation of p1 the parent's ledger serves at its latest checkpoint (FORMAT §10.1), signed at `at`.
    private static string Attestation(TestLog parentLog, DateTimeOffset at)
    {
        var note = parentLog.SignedCheckpoints[^1].SignedNote;
        var checkpoint = Checkpoint.Parse(SignedNote.Parse(note).Text);
        var positions = parentLog.PositionsOf(Parent.StreamName);
        var entries = positions.Select(p => new AttestedEntry(p, parentLog.Entry(p), parentLog.GetInclusionProofAsync(p, checkpoint.Size, default).Result)).ToList();
        var state = parentLog.Executions[Parent];
        var statement = new AttestationStatement(
            AwsOrigin, Parent, checkpoint.Size, checkpoint.RootHash.ToArray(), positions.Count, MerkleHash.HashLeaf(entries[^1].Entry), state.Status, at);
        return new ExecutionAttestation(SignedNote.Sign(statement.ToText(), parentLog.Signer), SignedNote.Parse(note), entries).Format();
    }

    // The child's ledger: c1 declared under aws's p1 on its attestation, the text kept as the ledger keeps it (altered by
    // the test, with the digest the record names), then checkpointed.
    private (TestLog Log, string Text, string Digest) ChildLedger(TestLog parentLog, Func<string, string, (string Kept, string Recorded)> alter)
    {
        var log = Own(new TestLog(AzureOrigin, NoteSigner.Create(AzureOrigin, SigningKey.GenerateEd25519())));
        var at = T0.AddMinutes(10);
        using var s = new Scenario(log, signed: false);
        s.Setup(T0);
        var text = Attestation(parentLog, at.AddSeconds(-1));
        var (kept, recorded) = alter(text, ExecutionAttestation.DigestOf(text));
        log.Attestations[recorded] = kept;
        var verified = AttestationVerifier.Verify(
            text, new PeerTrust(AwsOrigin, parentLog.Signer.Verifier, TlogPolicy.ForLogs([parentLog.Signer.Verifier])), Parent,
            new AttestationContext(at, TimeSpan.FromMinutes(5))).ShouldBeOfType<AttestationCheck.Verified>().Execution;
        var attested = new ParentAttested(AwsOrigin, Parent, recorded, verified.CheckpointNote, verified.Statement.Size, verified.Statement.Version,
            verified.State.Status, verified.State.GrantedScope, verified.State.ExpiresAt, verified.Statement.Time);
        log.AppendLedgerEvent(Child, attested, at, Aws);
        s.Submit(Child, s.Intent(Child, null) with { Parent = new ParentRef(AwsOrigin, Parent) }, at).ShouldBeOfType<Decision.Accepted>();
        log.Checkpoint();
        return (log, text, recorded);
    }

    private async Task<string> Write(byte[] bundle, string name)
    {
        var path = Path.Combine(_dir, name + ".ndjson");
        await File.WriteAllBytesAsync(path, bundle);
        return path;
    }

    private T Own<T>(T owned) where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }
}
