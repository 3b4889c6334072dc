using Ledger.Domain.Crypto;
using Ledger.Domain.Federation;
using Ledger.Domain.Notes;
using Ledger.Domain.Publications;
using Ledger.Domain.Tests.Executions;

namespace Ledger.Domain.Tests.Federation;

public sealed class GovernanceAttestationVerifierTests : IDisposable
{
    private const string Digest7 = "sha256:7777777777777777777777777777777777777777777777777777777777777777";
    private const string Digest8 = "sha256:8888888888888888888888888888888888888888888888888888888888888888";
    private static readonly DateTimeOffset Now = Sample.At(10);
    private static readonly AttestationContext Context = new(Now, TimeSpan.FromMinutes(5));
    private readonly AttestationLog _log = new();

    public GovernanceAttestationVerifierTests()
    {
        _log.Append(new HomesConfigured(["aws", "aws.edge"]), Sample.At(0));
        _log.Append(new PolicyPublished("aws", "policy-7", Digest7), Sample.At(1));
        _log.Append(new PolicyPublished("aws", "policy-8", Digest8), Sample.At(2));
    }

    public void Dispose() => _log.Dispose();

    private AttestationCheck Verify(GovernanceAttestation attestation, AttestationContext? context = null, PeerTrust? trust = null) =>
        GovernanceAttestationVerifier.Verify(attestation.Format(), trust ?? _log.Trust, context ?? Context);

    [Fact]
    public void A_served_attestation_verifies_and_proves_the_homes_and_the_latest_publication()
    {
        var attestation = _log.AttestGovernance(Sample.At(9));

        var verified = Verify(attestation).ShouldBeOfType<AttestationCheck.GovernanceVerified>().Governance;

        verified.Book.HomeDomains.Order(StringComparer.Ordinal).ShouldBe(["aws", "aws.edge"]);
        var latest = verified.Book.Latest("aws").ShouldNotBeNull();
        (latest.PolicyId, latest.PolicyDigest, latest.PublishedAt).ShouldBe(("policy-8", Digest8, Sample.At(2)));
        verified.Book.Latest("aws.edge").ShouldBeNull();
        verified.Statement.Version.ShouldBe(3);
        verified.Digest.ShouldBe(ExecutionAttestation.DigestOf(attestation.Format()));
        GovernanceAttestation.TryParse(attestation.Format(), out var parsed, out _).ShouldBeTrue();
        parsed.Format().ShouldBe(attestation.Format());
    }

    [Fact]
    public void A_statement_signed_by_another_key_is_refused_as_the_wrong_key()
    {
        using var stranger = NoteSigner.Create(AttestationLog.Origin, SigningKey.GenerateEd25519());

        Verify(_log.AttestGovernance(Sample.At(9), statementKey: stranger)).Code.ShouldBe("attestation-wrong-key");
    }

    [Fact]
    public void A_checkpoint_without_the_witness_quorum_is_refused_as_missing_quorum()
    {
        var check = Verify(_log.AttestGovernance(Sample.At(9), _log.Checkpoint(cosigned: false))).ShouldBeOfType<AttestationCheck.CheckpointRejected>();

        check.QuorumMissing.ShouldBeTrue(check.Describe());
    }

    [Fact]
    public void A_tampered_publication_is_refused_with_its_position()
    {
        var attestation = _log.AttestGovernance(Sample.At(9), entriesEdit: entries =>
        {
            var last = entries[^1];
            var text = System.Text.Encoding.UTF8.GetString(last.Entry).Replace("policy-8", "policy-9", StringComparison.Ordinal);
            entries[^1] = last with { Entry = System.Text.Encoding.UTF8.GetBytes(text) };
            return entries;
        });

        var check = Verify(attestation).ShouldBeOfType<AttestationCheck.EntryRejected>();

        check.Position.ShouldBe(attestation.Entries[^1].Position);
        check.Reason.ShouldContain("inclusion proof");
    }

    [Fact]
    public void A_dropped_publication_is_refused_because_the_stream_no_longer_chains()
    {
        var attestation = _log.AttestGovernance(Sample.At(9), entriesEdit: entries => [entries[0], entries[2]]);

        Verify(attestation).ShouldBeOfType<AttestationCheck.EntryRejected>().Reason.ShouldContain("version 3");
    }

    [Fact]
    public void A_statement_hiding_the_latest_publication_is_refused()
    {
        // The peer states two entries but serves three: the stated version is not what the entries are.
        var attestation = _log.AttestGovernance(Sample.At(9), statementEdit: s => s with { Version = 2 });

        Verify(attestation).ShouldBeOfType<AttestationCheck.StatementMismatch>().Member.ShouldBe("version");
    }

    [Fact]
    public void A_statement_older_than_max_peer_silence_is_stale()
    {
        Verify(_log.AttestGovernance(Sample.At(4))).Code.ShouldBe("attestation-stale");
    }

    [Fact]
    public void A_checkpoint_older_than_the_one_held_is_stale()
    {
        var old = _log.Checkpoint();
        _log.Append(new PolicyPublished("aws.edge", "edge-1", Digest7), Sample.At(3));
        var held = _log.Checkpoint().Format();

        Verify(_log.AttestGovernance(Sample.At(9), old), Context with { HeldCheckpoint = held }).Code.ShouldBe("attestation-stale");
    }

    [Fact]
    public void A_checkpoint_of_the_held_size_with_another_root_is_a_split_view()
    {
        var held = _log.Checkpoint().Format();
        var otherKeyed = new Checkpoint(AttestationLog.Origin, _log.Size, new byte[32]).Sign(_log.Key).AddSignatures(_log.Witness);

        var check = Verify(_log.AttestGovernance(Sample.At(9), otherKeyed), Context with { HeldCheckpoint = held });

        check.ShouldBeOfType<AttestationCheck.SplitView>().Kind.ShouldBe(SplitViewKind.SameSizeDifferentRoot);
    }

    [Fact]
    public void An_attestation_of_another_ledger_is_refused_as_the_wrong_subject()
    {
        var attestation = _log.AttestGovernance(Sample.At(9), statementEdit: s => s with { Origin = "other.example/ledger" });

        Verify(attestation).ShouldBeOfType<AttestationCheck.WrongSubject>();
    }

    [Fact]
    public void An_execution_attestation_is_not_a_governance_attestation()
    {
        var execution = Sample.ParentId;
        foreach (var recorded in Sample.UpTo(Ledger.Domain.Executions.ExecutionStatus.Declared, execution))
        {
            _log.Append(execution, recorded.Event, recorded.At);
        }

        var text = _log.Attest(execution, Sample.At(9)).Format();

        GovernanceAttestationVerifier.Verify(text, _log.Trust, Context).Code.ShouldBe("attestation-malformed");
    }
}
