using Ledger.Domain.Executions;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>
/// Every execution.proof-persisted.v1 is checked against its lineage tree, its execution's events and the checkpoint
/// it names. The bundles are written and signed by a ledger that lies in its proofs, so only the proof check can fail.
/// </summary>
public sealed class ProofTests : IDisposable
{
    private static readonly ExecutionId Root = Id("r1");
    private static readonly ExecutionId Child = Id("k1");
    private static readonly DateTimeOffset T = T0.AddHours(3);

    private readonly TestLog _log = new();
    private Scenario? _scenario;

    public void Dispose()
    {
        _scenario?.Dispose();
        _log.Dispose();
    }

    [Fact]
    public async Task A_full_bundle_whose_proofs_match_their_trees_is_valid_and_every_proof_is_checked()
    {
        ProvenTree();

        var report = Harness.Verify(await _log.FullBundleAsync(), _log);

        report.Failures.ShouldBeEmpty(report.Describe());
        report.Outcome.ShouldBe(VerificationOutcome.Valid);
        report.Counts.ProofsChecked.ShouldBe(3); // a1 of the standard scenario, r1 and k1.
        report.Counts.ProofDigestsNotChecked.ShouldBe(0);
        report.Counts.ProofRootsNotChecked.ShouldBe(0);
    }

    [Fact]
    public async Task A_lineage_bundle_checks_the_digest_but_cannot_check_a_root_it_holds_no_checkpoint_of()
    {
        ProvenTree();

        var report = Harness.Verify(await _log.LineageBundleAsync(Root), _log);

        report.Failures.ShouldBeEmpty(report.Describe());
        report.Counts.ProofsChecked.ShouldBe(2);
        report.Counts.ProofDigestsNotChecked.ShouldBe(0);
        report.Counts.ProofRootsNotChecked.ShouldBe(2);
    }

    [Fact]
    public async Task A_stream_bundle_of_a_child_checks_its_positions_but_not_the_digest_of_a_tree_it_does_not_hold()
    {
        ProvenTree(child: p => p with { LineageDigest = "sha256:" + new string('1', 64) });

        var report = Harness.Verify(await _log.StreamBundleAsync(Child.StreamName), _log);

        report.Failures.ShouldBeEmpty(report.Describe());
        report.Counts.ProofsChecked.ShouldBe(1);
        report.Counts.ProofDigestsNotChecked.ShouldBe(1);
    }

    [Fact]
    public async Task A_full_bundle_that_starts_inside_a_tree_does_not_check_its_digest()
    {
        ProvenTree();
        var from = _log.PositionsOf(Root.StreamName)[2];

        var report = Harness.Verify(await _log.FullBundleAsync(from), _log);

        report.Failures.ShouldBeEmpty(report.Describe());
        report.Counts.ProofsChecked.ShouldBe(2);
        report.Counts.ProofDigestsNotChecked.ShouldBe(2);
    }

    [Fact]
    public async Task An_altered_lineage_digest_is_found_at_the_proof_with_the_recomputed_digest()
    {
        var forged = "sha256:" + new string('1', 64);
        ProvenTree(child: p => p with { LineageDigest = forged });
        var proof = ProofPosition(Child);

        var report = Harness.Verify(await _log.FullBundleAsync(), _log);

        var failure = report.ShouldFailAt("proof.lineage-digest-mismatch", proof);
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("expected digest (recorded)", forged));
        failure.Evidence.ShouldContain(e => e.Key == "calculated digest" && e.Value != forged && e.Value.StartsWith("sha256:", StringComparison.Ordinal));
        report.FailureCount.ShouldBe(1, report.Describe());
    }

    [Fact]
    public async Task An_altered_lineage_digest_is_found_in_a_lineage_bundle_too()
    {
        ProvenTree(root: p => p with { LineageDigest = "sha256:" + new string('2', 64) });

        var report = Harness.Verify(await _log.LineageBundleAsync(Root), _log);

        report.ShouldFailAt("proof.lineage-digest-mismatch", ProofPosition(Root));
    }

    [Fact]
    public async Task A_digest_of_the_tree_without_one_of_its_members_is_found()
    {
        // The ledger digests the root alone, leaving its child out.
        ProvenTree(root: p => p with
        {
            LineageDigest = LineageDigest.Compute([new LineageNode(Root, null, [.. _log.PositionsOf(Root.StreamName).Select(q => new LineageEvent(q, _log.LeafHash(q)))])]),
        });

        var report = Harness.Verify(await _log.FullBundleAsync(), _log);

        report.ShouldFailAt("proof.lineage-digest-mismatch", ProofPosition(Root));
    }

    [Fact]
    public async Task A_proof_missing_one_of_its_positions_is_found_with_the_missing_position()
    {
        ProvenTree(child: p => p with { Positions = [.. p.Positions.Skip(1)] });
        var first = _log.PositionsOf(Child.StreamName)[0];

        var report = Harness.Verify(await _log.FullBundleAsync(), _log);

        var failure = report.ShouldFailAt("proof.positions-mismatch", ProofPosition(Child));
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("missing position", first.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        report.FailureCount.ShouldBe(1, report.Describe());
    }

    [Fact]
    public async Task A_proof_with_an_extra_position_of_another_execution_is_found()
    {
        var other = -1L;
        ProvenTree(child: p =>
        {
            other = _log.PositionsOf(Root.StreamName)[1];
            return p with { Positions = [.. p.Positions.Append(other).Order()] };
        });

        var report = Harness.Verify(await _log.FullBundleAsync(), _log);

        var failure = report.ShouldFailAt("proof.positions-mismatch", ProofPosition(Child));
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("extra position", other.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_proof_with_reordered_positions_is_not_a_valid_event()
    {
        // The codec refuses to write such a proof, so the lying ledger writes its bytes by hand.
        ProvenTree(childProved: false);
        var positions = string.Join(",", _log.PositionsOf(Child.StreamName).Reverse());
        var checkpoint = _log.SignedCheckpoints[^1];
        var root = Domain.Notes.Checkpoint.Parse(Domain.Notes.SignedNote.Parse(checkpoint.SignedNote).Text).RootHash.ToArray();
        var data = System.Text.Json.JsonDocument.Parse(
            $"{{\"checkpointRoot\":\"{Convert.ToBase64String(root)}\",\"checkpointSize\":{checkpoint.Size},\"lineageDigest\":\"sha256:{new string('1', 64)}\",\"positions\":[{positions}]}}").RootElement;
        var proof = _log.AppendRaw(Child.StreamName, "execution.proof-persisted.v1", Aws, Domain.Bundles.BundleFormat.LedgerEmitter, data, T.AddMinutes(31)).Position;
        _log.Checkpoint();

        var report = Harness.Verify(await _log.FullBundleAsync(), _log);

        report.ShouldFailAt("lifecycle.malformed-event", proof);
    }

    [Fact]
    public async Task A_checkpoint_that_does_not_cover_every_event_of_the_tree_is_too_small()
    {
        // The child's own positions fit, but its parent completed later.
        var rootLast = -1L;
        ProvenTree(child: p =>
        {
            rootLast = _log.PositionsOf(Root.StreamName)[^2]; // Its completion; the last is its proof.
            return p with { CheckpointSize = rootLast };
        });

        var report = Harness.Verify(await _log.FullBundleAsync(), _log);

        var failure = report.ShouldFailAt("proof.checkpoint-size-too-small", ProofPosition(Child));
        failure.TreeSize.ShouldBe(rootLast);
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("tree's last position", rootLast.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("execution", Root.Value));
    }

    [Fact]
    public async Task A_size_that_is_no_checkpoint_of_the_log_is_found()
    {
        var size = -1L;
        ProvenTree(child: p => p with { CheckpointSize = size = _log.Size });

        var report = Harness.Verify(await _log.FullBundleAsync(), _log);

        _log.SignedCheckpoints.ShouldNotContain(c => c.Size == size);
        report.ShouldFailAt("proof.checkpoint-unknown", ProofPosition(Child)).TreeSize.ShouldBe(size);
    }

    [Fact]
    public async Task A_checkpoint_that_would_hold_the_proof_itself_is_found()
    {
        ProvenTree(child: p => p with { CheckpointSize = _log.Size + 5 });

        var report = Harness.Verify(await _log.FullBundleAsync(), _log);

        report.ShouldFailAt("proof.checkpoint-unknown", ProofPosition(Child));
    }

    [Fact]
    public async Task A_wrong_checkpoint_root_is_found_with_the_signed_root()
    {
        var forged = Convert.ToBase64String(new byte[32]);
        ProvenTree(root: p => p with { CheckpointRoot = forged });

        var report = Harness.Verify(await _log.FullBundleAsync(), _log);

        var failure = report.ShouldFailAt("proof.checkpoint-root-mismatch", ProofPosition(Root));
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("recorded root", forged));
        failure.Evidence.ShouldContain(e => e.Key == "expected root (signed checkpoint)" && e.Value != forged);
        report.FailureCount.ShouldBe(1, report.Describe());
    }

    [Fact]
    public async Task A_proof_of_an_earlier_checkpoint_with_that_checkpoints_root_is_valid()
    {
        // An older checkpoint that still covers the whole tree: size and root of that checkpoint.
        ProvenTree(extraCheckpoint: true);

        var report = Harness.Verify(await _log.FullBundleAsync(), _log);

        report.Failures.ShouldBeEmpty(report.Describe());
        report.Counts.ProofsChecked.ShouldBe(4); // a1, later, r1 and k1.
    }

    [Fact]
    public async Task A_proof_persisted_while_another_member_of_the_tree_runs_is_found()
    {
        _scenario = Standard(_log);
        Grow(T);
        _scenario.Submit(Child, new RuntimeVerified(Measurement, VerificationVerdict.Ok), T.AddMinutes(10));
        _scenario.Submit(Child, new ExecutionCompleted(ExecutionOutcome.Succeeded, []), T.AddMinutes(11));
        _log.Checkpoint();
        _log.PersistProof(Child, T.AddMinutes(11)).ShouldBeOfType<Decision.Accepted>();
        var proof = _log.Size - 1;
        _log.Checkpoint();

        var report = Harness.Verify(await _log.FullBundleAsync(), _log);

        report.ShouldFailAt("proof.tree-not-ended", proof).Evidence.ShouldContain(new KeyValuePair<string, string>("open execution", Root.Value));
    }

    [Fact]
    public async Task An_entry_after_an_executions_proof_is_found_with_the_status_it_ended_in()
    {
        // Once its proof is persisted, an execution is kept only as its stream's key and its status; an entry after the
        // proof must still be found, and the other executions ended and proved around it must not be.
        ProvenTree();
        var late = _log.AppendRaw(Root.StreamName, "execution.runtime-verified.v1", Aws, _scenario!.AwsEmitter.Name,
            ExecutionEventCodec.ToData(new RuntimeVerified(Measurement, VerificationVerdict.Ok)), T.AddMinutes(40), _scenario.AwsEmitter.Key);
        _log.Checkpoint();

        var report = Harness.Verify(await _log.FullBundleAsync(), _log);

        var failure = report.ShouldFailAt("stream.after-proof", late.Position);
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("status", "completed"));
        report.Failures.Where(f => f.Code == "stream.after-proof").ShouldHaveSingleItem();
    }

    /// <summary>
    /// The standard log, then r1 with its child k1, both completed, checkpointed, and proved r1 then k1 (optionally
    /// altered), then checkpointed again.
    /// </summary>
    private void ProvenTree(Func<ProofPersisted, ProofPersisted>? root = null, Func<ProofPersisted, ProofPersisted>? child = null, bool extraCheckpoint = false, bool childProved = true)
    {
        _scenario = Standard(_log);
        Grow(T);
        _scenario.Submit(Child, new RuntimeVerified(Measurement, VerificationVerdict.Ok), T.AddMinutes(10));
        _scenario.Submit(Child, new ExecutionCompleted(ExecutionOutcome.Succeeded, []), T.AddMinutes(11));
        _scenario.Submit(Root, new RuntimeVerified(Measurement, VerificationVerdict.Ok), T.AddMinutes(12));
        _scenario.Submit(Root, new ExecutionCompleted(ExecutionOutcome.Succeeded, []), T.AddMinutes(13));
        _log.Checkpoint();
        if (extraCheckpoint)
        {
            _scenario.Completed(Id("later"), T.AddMinutes(14), verifications: 1, parent: null);
            _log.Checkpoint();
            _log.PersistProof(Id("later"), T.AddMinutes(30)).ShouldBeOfType<Decision.Accepted>();
        }

        // Both proofs name the checkpoint right after the tree's last event, the one just signed or an older one.
        var covering = _log.SignedCheckpoints.First(c => c.Size > _log.PositionsOf(Root.StreamName)[^1]);
        var coveringRoot = Domain.Notes.Checkpoint.Parse(Domain.Notes.SignedNote.Parse(covering.SignedNote).Text).RootHash.ToArray();
        ProofPersisted Covering(ProofPersisted p) => p with { CheckpointSize = covering.Size, CheckpointRoot = Convert.ToBase64String(coveringRoot) };
        _log.PersistProof(Root, T.AddMinutes(31), p => (root ?? (x => x))(Covering(p))).ShouldBeOfType<Decision.Accepted>();
        if (childProved)
        {
            _log.PersistProof(Child, T.AddMinutes(31), p => (child ?? (x => x))(Covering(p))).ShouldBeOfType<Decision.Accepted>();
            _log.Checkpoint();
        }
    }

    /// <summary>r1 started and verified, and its child k1 started under it.</summary>
    private void Grow(DateTimeOffset t)
    {
        _scenario!.RunUntilStarted(Root, t, parent: null);
        _scenario.Submit(Root, new RuntimeVerified(Measurement, VerificationVerdict.Ok), t.AddMinutes(5));
        _scenario.RunUntilStarted(Child, t.AddMinutes(5), parent: Root);
        _scenario.Submit(Root, new RuntimeVerified(Measurement, VerificationVerdict.Ok), t.AddMinutes(9));
    }

    private long ProofPosition(ExecutionId id) => _log.PositionsOf(id.StreamName)[^1];
}
