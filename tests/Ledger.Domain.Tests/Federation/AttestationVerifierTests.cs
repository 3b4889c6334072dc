using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Notes;
using Ledger.Domain.Tests.Executions;

namespace Ledger.Domain.Tests.Federation;

public sealed class AttestationVerifierTests : IDisposable
{
    private static readonly ExecutionId Parent = Sample.ParentId;
    private static readonly DateTimeOffset Now = Sample.At(10);
    private static readonly AttestationContext Context = new(Now, TimeSpan.FromMinutes(5));
    private readonly AttestationLog _log = new();

    public AttestationVerifierTests()
    {
        foreach (var recorded in Sample.UpTo(ExecutionStatus.Running, Parent))
        {
            _log.Append(Parent, recorded.Event, recorded.At);
        }
    }

    public void Dispose() => _log.Dispose();

    private AttestationCheck Verify(ExecutionAttestation attestation, AttestationContext? context = null, PeerTrust? trust = null) =>
        AttestationVerifier.Verify(attestation.Format(), trust ?? _log.Trust, Parent, context ?? Context);

    [Fact]
    public void A_served_attestation_verifies_and_proves_the_running_parent_with_its_scope_and_expiry()
    {
        var attestation = _log.Attest(Parent, Sample.At(9));

        var check = Verify(attestation).ShouldBeOfType<AttestationCheck.Verified>();

        check.Execution.State.Status.ShouldBe(ExecutionStatus.Running);
        check.Execution.State.GrantedScope.ShouldBe(["read", "write"]);
        check.Execution.State.ExpiresAt.ShouldBe(Sample.At(120));
        check.Execution.Statement.Version.ShouldBe(5);
        check.Execution.Digest.ShouldBe(ExecutionAttestation.DigestOf(attestation.Format()));
        ExecutionAttestation.Parse(attestation.Format()).Format().ShouldBe(attestation.Format());
    }

    [Fact]
    public void A_statement_signed_by_another_key_is_refused_as_the_wrong_key()
    {
        using var stranger = NoteSigner.Create(AttestationLog.Origin, SigningKey.GenerateEd25519());

        Verify(_log.Attest(Parent, Sample.At(9), statementKey: stranger)).ShouldBeOfType<AttestationCheck.StatementNotSigned>().Code.ShouldBe("attestation-wrong-key");
    }

    [Fact]
    public void A_checkpoint_signed_by_another_key_is_refused()
    {
        using var stranger = NoteSigner.Create(AttestationLog.Origin, SigningKey.GenerateEd25519());

        Verify(_log.Attest(Parent, Sample.At(9), _log.Checkpoint(key: stranger))).ShouldBeOfType<AttestationCheck.CheckpointRejected>().QuorumMissing.ShouldBeFalse();
    }

    [Fact]
    public void A_checkpoint_without_the_witness_quorum_is_refused_as_missing_quorum()
    {
        var check = Verify(_log.Attest(Parent, Sample.At(9), _log.Checkpoint(cosigned: false))).ShouldBeOfType<AttestationCheck.CheckpointRejected>();

        check.QuorumMissing.ShouldBeTrue(check.Describe());
    }

    [Fact]
    public void A_tampered_entry_is_refused_with_its_position()
    {
        var attestation = _log.Attest(Parent, Sample.At(9), entriesEdit: entries =>
        {
            var start = entries[^1];
            var text = System.Text.Encoding.UTF8.GetString(start.Entry).Replace("node-17", "node-66", StringComparison.Ordinal);
            entries[^1] = start with { Entry = System.Text.Encoding.UTF8.GetBytes(text) };
            return entries;
        });

        var check = Verify(attestation).ShouldBeOfType<AttestationCheck.EntryRejected>();

        check.Position.ShouldBe(attestation.Entries[^1].Position);
        check.Reason.ShouldContain("inclusion proof");
    }

    [Fact]
    public void A_dropped_entry_is_refused_because_the_stream_no_longer_chains()
    {
        var attestation = _log.Attest(Parent, Sample.At(9), entriesEdit: entries => [.. entries.Where((_, i) => i != 2)]);

        Verify(attestation).ShouldBeOfType<AttestationCheck.EntryRejected>().Reason.ShouldContain("version");
    }

    [Fact]
    public void A_statement_claiming_another_status_than_the_entries_fold_to_is_refused()
    {
        var attestation = _log.Attest(Parent, Sample.At(9), statementEdit: s => s with { Status = ExecutionStatus.Halted });

        Verify(attestation).ShouldBeOfType<AttestationCheck.StatementMismatch>().Member.ShouldBe("status");
    }

    [Fact]
    public void A_statement_older_than_max_peer_silence_is_stale()
    {
        Verify(_log.Attest(Parent, Sample.At(4))).ShouldBeOfType<AttestationCheck.Stale>().Reason.ShouldContain("maxPeerSilence PT5M");
    }

    [Fact]
    public void A_statement_from_the_future_is_stale()
    {
        Verify(_log.Attest(Parent, Sample.At(20))).ShouldBeOfType<AttestationCheck.Stale>().Reason.ShouldContain("later than the verifier's clock");
    }

    [Fact]
    public void A_checkpoint_older_than_the_one_held_is_stale()
    {
        var old = _log.Checkpoint();
        _log.Append(Sample.Id, Sample.Intent(), Sample.At(6));
        var held = _log.Checkpoint().Format();

        Verify(_log.Attest(Parent, Sample.At(9), old), Context with { HeldCheckpoint = held }).ShouldBeOfType<AttestationCheck.Stale>()
            .Reason.ShouldContain("older than the one already held");
    }

    [Fact]
    public void A_newer_checkpoint_consistent_with_the_held_one_verifies()
    {
        var held = _log.Checkpoint().Format();
        var heldSize = _log.Size;
        _log.Append(Sample.Id, Sample.Intent(), Sample.At(6));

        Verify(_log.Attest(Parent, Sample.At(9), from: heldSize), Context with { HeldCheckpoint = held }).IsVerified.ShouldBeTrue();
    }

    [Fact]
    public void A_checkpoint_of_the_held_size_with_another_root_is_a_split_view()
    {
        // The peer signs a second tree of the same size, and states the execution under it.
        var held = _log.Checkpoint().Format();
        var forked = new Checkpoint(AttestationLog.Origin, _log.Size, new byte[32]).Sign(_log.Key).AddSignatures(_log.Witness);

        var check = Verify(_log.Attest(Parent, Sample.At(9), forked), Context with { HeldCheckpoint = held }).ShouldBeOfType<AttestationCheck.SplitView>();
        check.Kind.ShouldBe(SplitViewKind.SameSizeDifferentRoot);
        check.HeldNote.ShouldBe(held);
    }

    [Fact]
    public void A_consistency_proof_from_another_tree_at_the_held_size_is_a_proven_split_view()
    {
        var heldSize = _log.Size;
        var held = new Checkpoint(AttestationLog.Origin, heldSize, new byte[32]).Sign(_log.Key).AddSignatures(_log.Witness).Format();
        _log.Append(Sample.Id, Sample.Intent(), Sample.At(6));

        var check = Verify(_log.Attest(Parent, Sample.At(9), from: heldSize), Context with { HeldCheckpoint = held }).ShouldBeOfType<AttestationCheck.SplitView>();

        check.Kind.ShouldBe(SplitViewKind.ProvenInconsistent);
        check.Proof.ShouldNotBeEmpty();
    }

    [Fact]
    public void Split_view_evidence_as_recorded_shows_two_views_and_a_proof_or_roots_changed_after_does_not()
    {
        var heldSize = _log.Size;
        var held = new Checkpoint(AttestationLog.Origin, heldSize, new byte[32]).Sign(_log.Key).Format();
        _log.Append(Sample.Id, Sample.Intent(), Sample.At(6));
        var proven = Verify(_log.Attest(Parent, Sample.At(9), from: heldSize), Context with { HeldCheckpoint = held }).ShouldBeOfType<AttestationCheck.SplitView>();
        var recorded = new SplitViewDetected(AttestationLog.Origin, proven.Kind, proven.HeldNote, proven.ConflictingNote, proven.Proof, "execution-attestation");

        SplitViewEvidence.Problem(recorded).ShouldBeNull();
        SplitViewEvidence.Problem(recorded with { Proof = [.. recorded.Proof.Skip(1)] }).ShouldNotBeNull("a proof cut short leads nowhere");
        SplitViewEvidence.Problem(recorded with { Origin = "other.example/log" }).ShouldNotBeNull("the checkpoints are of another log");
        SplitViewEvidence.Problem(recorded with { Kind = SplitViewKind.SameSizeDifferentRoot }).ShouldNotBeNull("the sizes differ");
        SplitViewEvidence.Problem(recorded with { HeldNote = "not a note" }).ShouldNotBeNull();
        var same = new Checkpoint(AttestationLog.Origin, heldSize, new byte[32]).Sign(_log.Key).Format();
        SplitViewEvidence.Problem(new SplitViewDetected(AttestationLog.Origin, SplitViewKind.SameSizeDifferentRoot, held, same, [], "witness-submission"))
            .ShouldNotBeNull("one view twice is not a split view");
    }

    [Fact]
    public void An_attestation_of_another_execution_is_refused()
    {
        _log.Append(Sample.Id, Sample.Intent(), Sample.At(6));

        AttestationVerifier.Verify(_log.Attest(Sample.Id, Sample.At(9)).Format(), _log.Trust, Parent, Context)
            .ShouldBeOfType<AttestationCheck.WrongSubject>();
    }

    [Theory]
    [InlineData("")]
    [InlineData("execution-attestation@v1\n")]
    [InlineData("not an attestation\n")]
    public void Text_that_is_not_an_attestation_is_malformed(string text) =>
        AttestationVerifier.Verify(text, _log.Trust, Parent, Context).ShouldBeOfType<AttestationCheck.Malformed>();

    [Fact]
    public void A_reformatted_attestation_is_malformed()
    {
        var text = _log.Attest(Parent, Sample.At(9)).Format();

        AttestationVerifier.Verify(text.Replace("\n", "\r\n", StringComparison.Ordinal), _log.Trust, Parent, Context).ShouldBeOfType<AttestationCheck.Malformed>();
        AttestationVerifier.Verify(text + "\n", _log.Trust, Parent, Context).ShouldBeOfType<AttestationCheck.Malformed>();
    }
}
