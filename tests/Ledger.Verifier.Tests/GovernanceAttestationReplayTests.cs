using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;
using Ledger.Domain.Publications;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>
/// A lineage bundle carries the governance attestation each <c>federation.governance-attested.v1</c> rests on (FORMAT
/// §7.3), and <c>ledger-verify</c> runs its verification (FORMAT §10.8) again offline with the home ledger's key and
/// compares what it proves with the record.
/// </summary>
public sealed class GovernanceAttestationReplayTests : IDisposable
{
    private const string HomeOrigin = "azure.example/ledger";
    private const string ClaimingOrigin = "aws.example/ledger";
    private static readonly ExecutionId Claimed = Id("g1");
    private static readonly string Other = "sha256:" + new string('e', 64);

    private readonly string _dir = Directory.CreateTempSubdirectory("ledger-verify-gov-").FullName;
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
    public async Task An_honest_governance_attestation_in_a_lineage_bundle_verifies_again_offline()
    {
        var home = HomeLedger();
        var claiming = ClaimingLedger(home, (text, digest) => (text, digest), evidence => evidence);

        var result = Harness.Run(await Write(await claiming.LineageBundleAsync(Claimed), "claiming"), "--trust", home.VerifierKey, "--trust", claiming.VerifierKey, "--json");

        result.Exit.ShouldBe(0, result.Stdout + result.Stderr);
        var federation = result.Json.GetProperty("federation");
        federation.GetProperty("governanceRecords").GetInt64().ShouldBe(1);
        federation.GetProperty("governanceChecked").GetInt64().ShouldBe(1);
        federation.GetProperty("attestationsVerified").GetInt64().ShouldBe(1);
        federation.GetProperty("findings").GetArrayLength().ShouldBe(0, result.Stdout);
    }

    [Fact]
    public async Task A_record_stating_another_publication_than_its_attestation_proves_is_a_mismatch()
    {
        var home = HomeLedger();
        // The ledger recorded (and decided on) a publication the attestation does not prove: both digests agree with the claim.
        var claiming = ClaimingLedger(home, (text, digest) => (text, digest),
            evidence => evidence with { Publications = [evidence.Publications[0] with { PolicyDigest = Policy, Position = 99 }] });

        var finding = SingleFailure(Harness.Run(await Write(await claiming.LineageBundleAsync(Claimed), "claiming"), "--trust", home.VerifierKey, "--trust", claiming.VerifierKey, "--json"));

        finding.GetProperty("ledger").GetString().ShouldBe(ClaimingOrigin);
        finding.GetProperty("finding").GetProperty("code").GetString().ShouldBe("federation.attestation-mismatch");
    }

    [Fact]
    public async Task A_tampered_governance_attestation_recorded_under_its_own_digest_does_not_verify()
    {
        var home = HomeLedger();
        var claiming = ClaimingLedger(home, (text, _) => (Tamper(text), ExecutionAttestation.DigestOf(Tamper(text))), evidence => evidence);

        var finding = SingleFailure(Harness.Run(await Write(await claiming.LineageBundleAsync(Claimed), "claiming"), "--trust", home.VerifierKey, "--trust", claiming.VerifierKey, "--json"));

        finding.GetProperty("finding").GetProperty("code").GetString().ShouldBe("federation.attestation-rejected");
        finding.GetProperty("finding").GetProperty("evidence").GetProperty("check").GetString().ShouldBe("attestation-wrong-key");
    }

    [Fact]
    public async Task A_governance_attestation_checked_with_another_key_than_the_home_ledgers_is_refused()
    {
        var home = HomeLedger();
        var claiming = ClaimingLedger(home, (text, digest) => (text, digest), evidence => evidence);
        using var impostor = NoteSigner.Create(HomeOrigin, SigningKey.GenerateEd25519());

        var finding = SingleFailure(Harness.Run(await Write(await claiming.LineageBundleAsync(Claimed), "claiming"), "--trust", impostor.Verifier.VerifierKey, "--trust", claiming.VerifierKey, "--json"));

        finding.GetProperty("finding").GetProperty("code").GetString().ShouldBe("federation.attestation-rejected");
    }

    private static string Tamper(string text)
    {
        // The statement restated with another version, under the same signature: the signature no longer matches.
        GovernanceAttestation.TryParse(text, out var attestation, out _).ShouldBeTrue();
        var note = SignedNote.Parse(attestation.Statement.Format().Replace("version 2", "version 3", StringComparison.Ordinal));
        return new GovernanceAttestation(note, attestation.CheckpointNote, attestation.Entries).Format();
    }

    private static System.Text.Json.JsonElement SingleFailure(Harness.CliResult result)
    {
        result.Exit.ShouldBe(1, result.Stdout + result.Stderr);
        var findings = result.Json.GetProperty("federation").GetProperty("findings");
        findings.GetArrayLength().ShouldBe(1, result.Stdout);
        findings[0].GetProperty("failure").GetBoolean().ShouldBeTrue();
        return findings[0];
    }

    // The home ledger: home for azure, azure's policy published, checkpointed.
    private TestLog HomeLedger()
    {
        var log = Own(new TestLog(HomeOrigin, NoteSigner.Create(HomeOrigin, SigningKey.GenerateEd25519())));
        using (var s = new Scenario(log, signed: false))
        {
            s.Setup(T0);
        }

        log.ConfigureHomes([Azure], T0);
        log.Publish(Azure, Other, T0.AddMinutes(1));
        log.Checkpoint();
        return log;
    }

    // The $governance attestation the home ledger serves at its latest checkpoint (FORMAT §10.6), signed at `at`.
    private static string Attestation(TestLog home, DateTimeOffset at)
    {
        var note = home.SignedCheckpoints[^1].SignedNote;
        var checkpoint = Checkpoint.Parse(SignedNote.Parse(note).Text);
        var positions = home.PositionsOf(GovernanceBook.StreamName);
        var entries = positions.Select(p => new AttestedEntry(p, home.Entry(p), home.GetInclusionProofAsync(p, checkpoint.Size, default).Result)).ToList();
        var statement = new GovernanceStatement(HomeOrigin, checkpoint.Size, checkpoint.RootHash.ToArray(), positions.Count, MerkleHash.HashLeaf(entries[^1].Entry), at);
        return new GovernanceAttestation(SignedNote.Sign(statement.ToText(), home.Signer), SignedNote.Parse(note), entries).Format();
    }

    // The claiming ledger: g1 declared, the home's attestation verified and recorded (the text kept as the ledger keeps it,
    // altered by the test, with the digest and record the test chooses), the claim decided on it, then checkpointed.
    private TestLog ClaimingLedger(TestLog home, Func<string, string, (string Kept, string Recorded)> alter, Func<GovernanceAttested, GovernanceAttested> record)
    {
        var log = Own(new TestLog(ClaimingOrigin, NoteSigner.Create(ClaimingOrigin, SigningKey.GenerateEd25519())));
        var at = T0.AddMinutes(10);
        using var s = new Scenario(log, signed: false);
        s.Setup(T0);
        s.Submit(Claimed, s.Intent(Claimed, null), at.AddMinutes(-1)).ShouldBeOfType<Decision.Accepted>();
        var text = Attestation(home, at.AddSeconds(-1));
        var (kept, recorded) = alter(text, ExecutionAttestation.DigestOf(text));
        log.Attestations[recorded] = kept;
        var verified = GovernanceAttestationVerifier.Verify(
            text, new PeerTrust(HomeOrigin, home.Signer.Verifier, TlogPolicy.ForLogs([home.Signer.Verifier])), new AttestationContext(at, TimeSpan.FromMinutes(5)))
            .ShouldBeOfType<AttestationCheck.GovernanceVerified>().Governance;
        var evidence = record(GovernanceAttested.Of(HomeOrigin, verified, [Azure]) with { AttestationDigest = recorded });
        log.AppendLedgerEvent(Claimed, evidence, at, Aws);
        var claim = new GovernanceSynchronized("policy-1", evidence.Publications[0].PolicyDigest,
            [new SyncedDomain(Aws, evidence.Publications[0].PolicyDigest, at), new SyncedDomain(Azure, evidence.Publications[0].PolicyDigest, at)]);
        s.Submit(Claimed, claim, at, azure: true).ShouldBeOfType<Decision.Accepted>();
        log.Checkpoint();
        return log;
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
