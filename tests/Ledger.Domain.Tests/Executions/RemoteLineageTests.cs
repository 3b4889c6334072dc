using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

/// <summary>Following a remote parent (DESIGN §8.2): what the follow job ends, and how the replay judges it.</summary>
public sealed class RemoteLineageTests
{
    private static readonly ParentRef Remote = new("peer.example/ledger", ParentId);

    private static ParentAttested Attested(ExecutionStatus status = ExecutionStatus.Running, DateTimeOffset? at = null, ParentRef? parent = null) =>
        new((parent ?? Remote).Ledger, (parent ?? Remote).ExecutionId, Digest('x'), "peer.example/ledger\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 peer.example/ledger AAAAAQE=\n",
            3, 5, status, ["read", "write"], At(120), at ?? T0);

    /// <summary>A child under <see cref="Remote"/> whose intent was decided on an attestation made at T0.</summary>
    private static ExecutionState Child(ExecutionStatus status) =>
        Execution.Replay(Id, new[] { new Recorded(Attested(), T0) }.Concat(UpTo(status, parent: Remote)).Select(r => (r.Event, r.At, r.Domain)));

    private static Decision Replay(ExecutionState state, IEnumerable<IExecutionEvent> events, DateTimeOffset at)
    {
        Decision last = new Decision.Accepted();
        foreach (var e in events)
        {
            var context = new DecisionContext(at, DefaultParameters) { ParentIsRemote = true }.WithAttestedParent(state, state.Parent);
            last = Execution.Decide(state, SubmissionOf(e) with { ByLedger = true }, context);
            if (last is not Decision.Accepted)
            {
                return last;
            }

            state = Execution.Evolve(state, e, at, Origin);
        }

        return last;
    }

    [Theory]
    [InlineData(ExecutionStatus.Halted)]
    [InlineData(ExecutionStatus.Denied)]
    [InlineData(ExecutionStatus.Completed)]
    public void A_parent_proven_ended_halts_a_running_child_with_the_attestation_as_evidence(ExecutionStatus parentStatus)
    {
        var running = Child(ExecutionStatus.Running);
        var proof = Attested(parentStatus, At(10));

        var events = RemoteLineage.EndForEndedParent(running, proof).ShouldNotBeNull();

        events[0].ShouldBe(proof);
        var halt = events[1].ShouldBeOfType<ExecutionHalted>();
        halt.Reason.ShouldBe(Reason.ParentHalted);
        halt.Detail.ShouldContain(proof.AttestationDigest);
        halt.Rejected.ShouldBeNull();
        Replay(running, events, At(10)).ShouldBeOfType<Decision.Accepted>("the offline replay accepts the evidence and the end");
    }

    [Fact]
    public void A_parent_proven_ended_denies_a_child_not_started_yet()
    {
        var declared = Child(ExecutionStatus.Governed);

        var events = RemoteLineage.EndForEndedParent(declared, Attested(ExecutionStatus.Halted, At(10))).ShouldNotBeNull();

        events[1].ShouldBeOfType<ExecutionDenied>().Reason.ShouldBe(Reason.ParentHalted);
        Replay(declared, events, At(10)).ShouldBeOfType<Decision.Accepted>();
    }

    [Fact]
    public void Nothing_ends_while_the_parent_runs_or_for_a_child_that_ended_or_belongs_to_another_parent()
    {
        RemoteLineage.EndForEndedParent(Child(ExecutionStatus.Running), Attested(ExecutionStatus.Running, At(10))).ShouldBeNull();
        var halted = Execution.Evolve(Child(ExecutionStatus.Running), new ExecutionHalted(Reason.EmitterReported, "stop"), At(6), Origin);
        RemoteLineage.EndForEndedParent(halted, Attested(ExecutionStatus.Halted, At(10))).ShouldBeNull();
        var other = new ParentRef(Remote.Ledger, ExecutionId.Parse("someone-else"));
        RemoteLineage.EndForEndedParent(Child(ExecutionStatus.Running), Attested(ExecutionStatus.Halted, At(10), other)).ShouldBeNull();
    }

    [Fact]
    public void A_remote_cascade_end_without_an_attestation_of_the_ended_parent_is_unjustified_in_replay()
    {
        var running = Child(ExecutionStatus.Running);

        Replay(running, [new ExecutionHalted(Reason.ParentHalted, "parent halted")], At(10))
            .ShouldBeOfType<Decision.Invalid>().Code.ShouldBe("ledger-event-unjustified");
    }

    [Fact]
    public void Silence_ends_a_child_only_after_max_peer_silence_from_the_latest_proof()
    {
        var running = Child(ExecutionStatus.Running); // attested in the log at T0; maxPeerSilence is 5 minutes

        RemoteLineage.EndForLostParent(running, Reason.FederationSyncLost, "down", null, At(5), DefaultParameters).ShouldBeNull();
        RemoteLineage.EndForLostParent(running, Reason.FederationSyncLost, "down", null, At(5, 1), DefaultParameters)
            .ShouldBeOfType<ExecutionHalted>().Reason.ShouldBe(Reason.FederationSyncLost);
        // A later verification by the follow job (not in the log) counts as a proof.
        RemoteLineage.EndForLostParent(running, Reason.FederationSyncLost, "down", At(4), At(9), DefaultParameters).ShouldBeNull();
        RemoteLineage.EndForLostParent(running, Reason.FederationSyncLost, "down", At(4), At(9, 1), DefaultParameters).ShouldNotBeNull();
        var longer = LedgerParameters.Default with { MaxPeerSilence = TimeSpan.FromMinutes(30) };
        RemoteLineage.EndForLostParent(running, Reason.FederationSyncLost, "down", null, At(20), longer).ShouldBeNull();
    }

    [Fact]
    public void A_split_view_ends_the_child_at_once()
    {
        RemoteLineage.EndForLostParent(Child(ExecutionStatus.Authorized), Reason.PeerSplitView, "split", At(1), At(1), DefaultParameters)
            .ShouldBeOfType<ExecutionDenied>().Reason.ShouldBe(Reason.PeerSplitView);
        Should.Throw<ArgumentOutOfRangeException>(() => RemoteLineage.EndForLostParent(Child(ExecutionStatus.Running), Reason.ParentHalted, "x", null, At(1), DefaultParameters));
    }

    [Fact]
    public void The_replay_accepts_a_sync_lost_end_only_when_the_logged_attestation_is_older_than_max_peer_silence()
    {
        var running = Child(ExecutionStatus.Running);
        var end = new ExecutionHalted(Reason.FederationSyncLost, "peer silent");

        Replay(running, [end], At(5, 1)).ShouldBeOfType<Decision.Accepted>();
        Replay(running, [end], At(4)).ShouldBeOfType<Decision.Invalid>().Code.ShouldBe("ledger-event-unjustified");
        Replay(running, [new ExecutionHalted(Reason.PeerSplitView, "split")], At(4)).ShouldBeOfType<Decision.Accepted>();
    }

    [Fact]
    public void The_decision_counts_the_follow_jobs_latest_proof_and_refuses_a_child_whose_parent_it_proved_ended()
    {
        var running = Child(ExecutionStatus.Running);

        Execution.Status(running, At(9), DefaultParameters).Reason.ShouldBe(Reason.FederationSyncLost);
        Execution.Status(running, At(9), DefaultParameters, remoteFollow: (At(8), ExecutionStatus.Running)).Allowed.ShouldBeTrue();
        var stale = Execution.Status(running, At(14), DefaultParameters, remoteFollow: (At(8), ExecutionStatus.Running));
        stale.Allowed.ShouldBeFalse();
        stale.Reason.ShouldBe(Reason.FederationSyncLost);
        var ended = Execution.Status(running, At(9), DefaultParameters, remoteFollow: (At(8), ExecutionStatus.Halted));
        ended.Allowed.ShouldBeFalse();
        ended.Reason.ShouldBe(Reason.ParentHalted);
    }
}
